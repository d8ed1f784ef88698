/**
 * Coverage per stream: the creation-time span syncs fetched while Bitget served it, the gaps (spans no sync
 * covered while they were still served, with exact bounds), and where the next sync has to start.
 */
import { datasetStream } from '../bitget/datasetSources';
import type { DatasetEndpointId } from '../bitget/datasetSchemas';
import type { TaxEndpointId } from '../bitget/endpoints';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { Kind, Market } from '../core/order';
import type { DatasetState, Gap, OpenRef, Span } from './manifest';

export const streamId = (market: Market, kind: Kind): string => `${market}/${kind}`;

/**
 * A stream of fills or of the ledger: the endpoint, and the selector it is queried per where it has one (a
 * futures product type `USDT-FUTURES`, a unified account's category `SPOT`): `spotFills`, `futuresFills/USDT-FUTURES`
 * (one format with the run's plan: src/bitget/datasetSources.ts).
 */
export const endpointStream = datasetStream;

const TAX_ENDPOINTS: readonly TaxEndpointId[] = [
  'taxSpotRecords',
  'taxFutureRecords',
  'taxMarginRecords',
  'taxP2pRecords',
  'utaTaxRecords',
];

/** A stream of tax records (their coverage reaches further back than the bills', and is reported apart). */
export const isTaxStream = (stream: string): boolean =>
  (TAX_ENDPOINTS as readonly string[]).includes(stream.split('/')[0]!);

const productType = (market: string): string => market.toUpperCase();
const categoryOf = (raw: Record<string, unknown>): string | undefined =>
  typeof raw.category === 'string' ? raw.category : undefined;

/** A fills or ledger stream's parts: its name is `endpointStream(endpoint, selector)`. */
export interface StreamParts {
  endpoint: DatasetEndpointId;
  selector?: string;
}

const nameOf = (p: StreamParts): string => endpointStream(p.endpoint, p.selector);

/** The stream a fill came from: a unified account's rows carry their category, v2 rows do not. */
export function fillStreamParts(f: CanonicalFill): StreamParts {
  const category = categoryOf(f.raw);
  if (category !== undefined) return { endpoint: 'utaFills', selector: category };
  return f.market === 'spot'
    ? { endpoint: 'spotFills' }
    : { endpoint: 'futuresFills', selector: productType(f.market) };
}

/** The stream a ledger entry came from, by its source and account (reference/bitget-api.md, "Ledger", "Tax records"). */
export function ledgerStreamParts(e: CanonicalLedgerEntry): StreamParts {
  if (e.source === 'tax') {
    switch (e.account) {
      case 'uta':
        return { endpoint: 'utaTaxRecords' };
      case 'spot':
        return { endpoint: 'taxSpotRecords' };
      case 'margin':
        return { endpoint: 'taxMarginRecords' };
      case 'p2p':
        return { endpoint: 'taxP2pRecords' };
      default:
        return { endpoint: 'taxFutureRecords' };
    }
  }
  if (e.account === 'uta') return { endpoint: 'utaFinancialRecords', selector: categoryOf(e.raw) };
  return e.account === 'spot'
    ? { endpoint: 'spotBills' }
    : { endpoint: 'futuresBills', selector: productType(e.account) };
}

/** The name of the stream a fill came from (`fillStreamParts`). */
export const fillStream = (f: CanonicalFill): string => nameOf(fillStreamParts(f));

/** The name of the stream a ledger entry came from (`ledgerStreamParts`). */
export const ledgerStream = (e: CanonicalLedgerEntry): string => nameOf(ledgerStreamParts(e));

/**
 * The order streams a sync of these markets and kinds fetches. A unified account has no documented endpoint
 * for spot TP/SL and spot plan orders (ARCHITECTURE.md), so those streams are not claimed as covered.
 */
export function orderStreams(
  mode: 'classic' | 'uta',
  markets: readonly Market[],
  kinds: readonly Kind[],
): string[] {
  const streams: string[] = [];
  for (const market of markets)
    for (const kind of kinds) {
      if (mode === 'uta' && market === 'spot' && kind !== 'normal') continue;
      streams.push(streamId(market, kind));
    }
  return streams;
}

/**
 * Where the next sync starts: the earliest end of the streams' coverage, or earlier when an order last seen
 * open was created before it (Bitget may list it in history only once it finishes, under its creation time).
 * Undefined when some stream has never been covered: then everything Bitget still serves is asked.
 */
export function syncStart(state: DatasetState, streams: readonly string[]): number | undefined {
  let start = Infinity;
  for (const s of streams) {
    const span = state.streams[s];
    if (span === undefined) return undefined;
    start = Math.min(start, span.to, state.openChecked?.[s] ?? span.to);
  }
  for (const open of state.open) if (streams.includes(open.stream)) start = Math.min(start, open.cTime);
  return Number.isFinite(start) ? start : undefined;
}

/**
 * Where each covered stream starts in the next sync: its own covered end, or when its open orders were last
 * asked, or the creation time of its oldest order last seen open, whichever is earliest. Only that stream
 * needs to look back that far; the open order's current state comes from the open-order endpoints.
 * A stream never covered is left out (it is asked from as far back as Bitget serves).
 */
export function streamStarts(state: DatasetState, streams: readonly string[]): Record<string, number> {
  const starts: Record<string, number> = {};
  for (const s of streams) {
    const span = state.streams[s];
    if (span === undefined) continue;
    starts[s] = Math.min(span.to, state.openChecked?.[s] ?? span.to);
  }
  for (const open of state.open)
    if (starts[open.stream] !== undefined) starts[open.stream] = Math.min(starts[open.stream]!, open.cTime);
  return starts;
}

/** The holes a sync that served `served` leaves after the previous coverage of each stream. */
export function newGaps(state: DatasetState, streams: readonly string[], served: Span, at: number): Gap[] {
  const gaps: Gap[] = [];
  for (const stream of streams) {
    const span = state.streams[stream];
    if (span !== undefined && served.from > span.to)
      gaps.push({ stream, from: span.to, to: served.from, detectedAt: at });
  }
  return gaps;
}

/** Coverage after a sync that served `served` (the span moves forward only). */
export function advanceCoverage(
  state: DatasetState,
  streams: readonly string[],
  served: Span,
): Record<string, Span> {
  const next = { ...state.streams };
  for (const stream of streams) {
    const span = state.streams[stream];
    next[stream] = span
      ? { from: Math.min(span.from, served.from), to: Math.max(span.to, served.to) }
      : { ...served };
  }
  return next;
}

/** Open orders of the synced streams are replaced by what the exchange says is open now; others are kept. */
/**
 * How long a stream with no order last seen open may go without its open-order endpoints being asked. Until
 * then a sync skips them and asks that stream's history from when they were last asked (an order created since
 * may be open, and Bitget may list it only once it finishes): a day of history again, against a query per
 * symbol and plan type.
 */
export const OPEN_CHECK_EVERY_MS = 24 * 3_600_000;

/**
 * The streams whose open-order endpoints a sync at `at` asks in full: those never asked, asked more than
 * OPEN_CHECK_EVERY_MS ago, or with orders last seen open (spot plan orders excepted: those are asked for by
 * the symbols of the orders last seen open, `planSymbols`, unless the stream is due anyway).
 */
export function dueOpenChecks(
  state: DatasetState,
  streams: readonly string[],
  at: number,
): { due: Set<string>; planSymbols: string[] } {
  const due = new Set<string>();
  for (const s of streams) {
    const checked = state.openChecked?.[s] ?? state.streams[s]?.to;
    if (checked === undefined || at - checked >= OPEN_CHECK_EVERY_MS) due.add(s);
    else if (s !== 'spot/plan' && state.open.some((o) => o.stream === s)) due.add(s);
  }
  const planSymbols = due.has('spot/plan')
    ? []
    : [
        ...new Set(
          state.open.flatMap((o) => (o.stream === 'spot/plan' && o.symbol ? [o.symbol.toUpperCase()] : [])),
        ),
      ].sort();
  return { due, planSymbols };
}

export function nextOpenRefs(state: DatasetState, streams: readonly string[], openNow: OpenRef[]): OpenRef[] {
  return [...state.open.filter((o) => !streams.includes(o.stream)), ...openNow].sort(
    (a, b) => a.cTime - b.cTime || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

/** Orders last seen open that were created before what Bitget still serves: their final state can no longer
 * be fetched from history (they stay archived in the state last seen, unless an open-order endpoint lists them). */
export function staleOpen(
  state: DatasetState,
  streams: readonly string[],
  served: Span,
  openNow: OpenRef[],
): OpenRef[] {
  const still = new Set(openNow.map((o) => o.key));
  return state.open.filter((o) => streams.includes(o.stream) && o.cTime < served.from && !still.has(o.key));
}
