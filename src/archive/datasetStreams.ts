/**
 * The fills and ledger streams a sync asks (one per source of the run's plan: `spotFills`,
 * `futuresBills/USDT-FUTURES`, `taxSpotRecords`…) and where each starts: its covered end once a sync covered it;
 * before that, as far back as its endpoint serves (the tax records too: a first sync of a new archive reaches as
 * far back as they go).
 */
import { accountHasBills, datasetStreamOf, TAX_OF_BILLS } from '../bitget/datasetSources';
import { DAY_MS, retentionDaysOf } from '../bitget/endpoints';
import type { DatasetEndpointId } from '../bitget/datasetSchemas';
import type { Market } from '../core/order';
import { billSources, fillSources, taxSources } from '../extraction/datasetPlan';
import type { DatasetState, Gap } from './manifest';
import { KINDS, MARKETS } from '../core/order';
import { isTaxStream, streamId, streamStarts } from './coverage';

export type SyncedDataset = 'fills' | 'ledger';

export interface DatasetStream {
  stream: string;
  endpoint: DatasetEndpointId;
  tax: boolean;
}

/**
 * The streams of one data set the run of a sync plans, for these markets (no symbols: every symbol; the order
 * kinds asked change none of them).
 */
export function datasetStreams(
  dataset: SyncedDataset,
  mode: 'classic' | 'uta',
  markets: readonly Market[],
): DatasetStream[] {
  // Each market once, as the run's parsed request has them.
  const scope = { markets: [...new Set(markets)] };
  const sources =
    dataset === 'fills'
      ? fillSources(scope, mode)
      : [...billSources(scope, mode), ...taxSources(scope, mode)];
  return sources.map((source) => {
    const stream = datasetStreamOf(source);
    return { stream, endpoint: source.endpoint, tax: isTaxStream(stream) };
  });
}

/**
 * Where each stream starts in the next sync: its covered end; a tax stream never covered, where its endpoint's
 * retention begins at `until` (the planner starts it a margin inside). A fills or bills stream never covered is
 * left out: it is asked from as far back as Bitget serves, and the request's `since` is then left open.
 */
export function datasetStarts(
  state: DatasetState,
  streams: readonly DatasetStream[],
  until: number,
  /** The archive's orders: a fill (and its trade and fee entries) may be listed only once its order finished. */
  orders: DatasetState,
): { starts: Record<string, number>; uncovered: string[] } {
  const starts: Record<string, number> = {};
  const uncovered: string[] = [];
  for (const s of streams) {
    const span = state.streams[s.stream];
    if (s.tax) {
      starts[s.stream] =
        span !== undefined
          ? resumeAfterBills(state, s.stream, span.to)
          : until - retentionDaysOf(s.endpoint) * DAY_MS;
      continue;
    }
    const bound = unfinishedOrdersBound(orders, s.stream);
    if (span === undefined || bound === undefined) uncovered.push(s.stream);
    else starts[s.stream] = Math.min(span.to, bound);
  }
  return { starts, uncovered };
}

/** The markets whose orders' fills and trade entries a fills or bills stream lists (none: deposits, transfers). */
export function marketsOfStream(stream: string): Market[] {
  const [endpoint, selector] = stream.split('/');
  if (endpoint === 'spotFills' || endpoint === 'spotBills') return ['spot'];
  if (selector === 'SPOT' || selector === 'MARGIN') return ['spot'];
  const market = selector?.toLowerCase();
  return (MARKETS as readonly string[]).includes(market ?? '') && market !== 'spot' ? [market as Market] : [];
}

/**
 * How far back a fills or bills stream must look for records listed late: Bitget may list a fill only once its
 * order has finished (the simulator does), under the fill's own time — never before its order's creation. Every
 * order not yet final at the last sync was created after the start the orders' streams of its market resume from
 * (`streamStarts`: their covered end, when their open orders were last asked, the oldest order last seen open),
 * so that start bounds every fill listed since. Undefined when the market's normal orders were never synced: the
 * stream is then asked as far back as Bitget serves. Infinity for a stream of no market (nothing listed late).
 */
export function unfinishedOrdersBound(orders: DatasetState, stream: string): number | undefined {
  let bound = Infinity;
  for (const market of marketsOfStream(stream)) {
    const all = KINDS.map((k) => streamId(market, k));
    if (orders.streams[streamId(market, 'normal')] === undefined) return undefined;
    for (const t of Object.values(streamStarts(orders, all))) bound = Math.min(bound, t);
  }
  return bound;
}

/**
 * Where a tax stream covered up to `to` resumes: past the time its bills stream covers without a gap from
 * there (the bills hold those entries; the tax records are asked for the time before the bills and for their
 * gaps only). `to` itself when no bills stream repeats it or the bills do not cover `to`.
 */
export function resumeAfterBills(state: DatasetState, taxStream: string, to: number): number {
  const bills = billsStreamOf(taxStream);
  const span = bills === null ? undefined : state.streams[bills];
  if (span === undefined || to < span.from || to >= span.to) return to;
  const next = state.gaps
    .filter((g) => g.stream === bills && g.to > to)
    .reduce((first, g) => Math.min(first, g.from), span.to);
  return Math.max(to, next);
}

/**
 * The ledger state a sync stages into: each tax stream's covered end moved past the time its bills covered (the
 * ledger of that time is archived as bills), so that resuming there is no gap.
 */
export function withBillsCoverage(state: DatasetState, streams: readonly DatasetStream[]): DatasetState {
  const next = { ...state.streams };
  for (const s of streams) {
    const span = next[s.stream];
    if (s.tax && span !== undefined)
      next[s.stream] = { ...span, to: resumeAfterBills(state, s.stream, span.to) };
  }
  return { ...state, streams: next };
}

/** Bills endpoints and the tax endpoints that repeat their entries, stream for stream (`TAX_OF_BILLS`). */
const BILLS_AND_TAX: readonly (readonly [bills: string, tax: string])[] = Object.entries(TAX_OF_BILLS);

/** The stream of the other side of a pair (`from` 0: bills → tax; 1: tax → bills), keeping the selector. */
function pairedStream(stream: string, from: 0 | 1): string | null {
  const [endpoint, ...selector] = stream.split('/');
  const pair = BILLS_AND_TAX.find((p) => p[from] === endpoint);
  if (pair === undefined) return null;
  return [pair[from === 0 ? 1 : 0], ...selector].join('/');
}

/** The bills stream whose entries a tax-record stream repeats (none for margin and P2P records). */
export const billsStreamOf = (taxStream: string): string | null => pairedStream(taxStream, 1);

/** The tax-record stream that repeats a bills stream's entries over the time both reach (none for fills). */
export const taxStreamOf = (stream: string): string | null => pairedStream(stream, 0);

/**
 * The tax stream whose coverage spans a gap of a bills stream: the ledger entries of the gap are then in the
 * archive as tax records (source "tax"), though the bills of that time are not. Null when none does.
 */
export function gapCoveredBy(state: DatasetState, gap: Pick<Gap, 'stream' | 'from' | 'to'>): string | null {
  const tax = taxStreamOf(gap.stream);
  const span = tax === null ? undefined : state.streams[tax];
  return span !== undefined && span.from <= gap.from && span.to >= gap.to ? tax : null;
}

/** The bills streams that hold an account's ledger entries (none for margin and P2P). */
function billsStreamsOf(account: string, streams: readonly string[]): string[] {
  if (!accountHasBills(account)) return [];
  if (account === 'spot') return ['spotBills'];
  if (account === 'uta') return streams.filter((s) => s.startsWith('utaFinancialRecords/'));
  return [`futuresBills/${account.toUpperCase()}`];
}

/**
 * Whether the archive's bills cover a ledger entry's time for its account (inside a bills stream's span and in
 * none of its gaps): a tax record of such a time repeats a bill the archive holds, and an export takes the bill.
 */
export function billsCoverage(state: DatasetState): (entry: { account: string; cTime: number }) => boolean {
  const names = Object.keys(state.streams);
  return ({ account, cTime }) =>
    billsStreamsOf(account, names).some((stream) => {
      const span = state.streams[stream];
      return (
        span !== undefined &&
        cTime >= span.from &&
        cTime < span.to &&
        !state.gaps.some((g) => g.stream === stream && cTime >= g.from && cTime < g.to)
      );
    });
}
