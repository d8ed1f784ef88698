/**
 * The physical limit of the fills and the ledger of an extraction, computed from the simulator's truth of each
 * (sim.fillTruth(), sim.ledgerTruth()), by the rules of the orders' limit (bench/lib/limit.ts): per rate-limit
 * bucket (one per endpoint), every stream over every mandatory window (the range cut into the endpoint's largest
 * span), ceil(n / page size) pages a window and at least one. What differs per endpoint is read from
 * ENDPOINTS: its span (futures fills 7 days, futures bills 30, tax records 30, spot fills and bills 90), its page
 * (500 on spot bills and the tax records, 100 elsewhere) and its rate (1/s on the tax records).
 *
 * Streams (classic accounts, the ones the bench measures): spot fills; futures fills per product type; spot bills;
 * futures bills per product type; the tax records of spot, of margin (isolated and crossed), of P2P, and future
 * records per product type. Fills and bills cover the range the orders are served over; tax records the part of
 * the asked range older than that. With named symbols a fill stream is asked per symbol, mandatory when the
 * symbol has fills in that market; the ledger is selected by account, never by symbol.
 */
import { DAY_MS, ENDPOINTS } from '../../src/bitget/endpoints';
import type { EndpointId } from '../../src/bitget/endpoints';
import type { DatasetName } from '../../src/core/dataset';
import type { CanonicalFill } from '../../src/core/fill';
import type { CanonicalLedgerEntry } from '../../src/core/ledgerEntry';
import type { Market } from '../../src/core/order';
import { PRODUCT_TYPE_BY_MARKET } from '../../src/core/order';
import type { BucketLimit } from './limit';
import { bucketsOf } from './limit';

export type LimitFill = Pick<CanonicalFill, 'market' | 'symbol' | 'cTime'>;
export type LimitLedgerEntry = Pick<CanonicalLedgerEntry, 'source' | 'account' | 'cTime'>;

export interface DatasetLimitRequest {
  mode: 'classic' | 'uta';
  /** The data sets asked for: only fills and ledger are counted here. */
  datasets: readonly DatasetName[];
  markets?: readonly Market[];
  /** Named symbols (undefined: every symbol); they select fills only. */
  symbols?: readonly string[];
  /** What fills and bills cover: the range the orders are served over, [since, until). */
  recent: { since: number; until: number };
  /** What the tax records cover, [since, until); null when the run asks none. */
  tax: { since: number; until: number } | null;
}

const ALL_MARKETS: readonly Market[] = ['spot', 'usdt-futures', 'usdc-futures', 'coin-futures'];

interface Range {
  since: number;
  until: number;
}

interface Stream {
  endpoint: EndpointId;
  range: Range;
  perWindow: number[];
}

const spanMs = (e: EndpointId) => ENDPOINTS[e].maxSpanDays! * DAY_MS;
const pageSize = (e: EndpointId) => ENDPOINTS[e].maxLimit ?? 100;

/** Streams keyed by their id; each counts its records per mandatory window of its range. */
class StreamCounts {
  private readonly streams = new Map<string, Stream>();

  ensure(key: string, endpoint: EndpointId, range: Range): Stream {
    let s = this.streams.get(key);
    if (!s) {
      const windows = Math.max(1, Math.ceil((range.until - range.since) / spanMs(endpoint)));
      s = { endpoint, range, perWindow: new Array<number>(windows).fill(0) };
      this.streams.set(key, s);
    }
    return s;
  }

  /** Counts one record of stream `key` when its time lies in the stream's range. */
  count(key: string, cTime: number): void {
    const s = this.streams.get(key);
    if (!s || cTime < s.range.since || cTime >= s.range.until) return;
    const w = Math.floor((cTime - s.range.since) / spanMs(s.endpoint));
    s.perWindow[Math.min(s.perWindow.length - 1, w)]! += 1;
  }

  values(): IterableIterator<Stream> {
    return this.streams.values();
  }
}

const futuresOf = (markets: readonly Market[]) => markets.filter((m) => m !== 'spot');

/** The fills' buckets: spot fills, futures fills per product type (per symbol when symbols are named). */
export async function fillBuckets(
  fills: AsyncIterable<LimitFill> | Iterable<LimitFill>,
  req: DatasetLimitRequest,
): Promise<BucketLimit[]> {
  classicOnly(req);
  const markets = req.markets ?? ALL_MARKETS;
  const endpointOf = (m: Market): EndpointId => (m === 'spot' ? 'spotFills' : 'futuresFills');
  const keyOf = (m: Market, symbol?: string) => (symbol ? `${m}@${symbol.toUpperCase()}` : m);
  const named = req.symbols ? new Set(req.symbols.map((s) => s.toUpperCase())) : null;
  const counts = new StreamCounts();
  if (!named) for (const m of markets) counts.ensure(keyOf(m), endpointOf(m), req.recent);
  for await (const f of fills as AsyncIterable<LimitFill>) {
    if (!markets.includes(f.market)) continue;
    if (named && !named.has(f.symbol.toUpperCase())) continue;
    const key = keyOf(f.market, named ? f.symbol : undefined);
    // Named: a (market, symbol) stream is mandatory once the symbol has a fill in that market, at any time.
    if (named) counts.ensure(key, endpointOf(f.market), req.recent);
    counts.count(key, f.cTime);
  }
  return bucketsOf('fills', counts.values(), pageSize);
}

/** The ledger's buckets: bills over the recent range, tax records over theirs (none when `tax` is null). */
export async function ledgerBuckets(
  ledger: AsyncIterable<LimitLedgerEntry> | Iterable<LimitLedgerEntry>,
  req: DatasetLimitRequest,
): Promise<BucketLimit[]> {
  classicOnly(req);
  const markets = req.markets ?? ALL_MARKETS;
  const counts = new StreamCounts();
  const spot = markets.includes('spot');
  if (spot) counts.ensure('bills:spot', 'spotBills', req.recent);
  for (const m of futuresOf(markets)) counts.ensure(`bills:${m}`, 'futuresBills', req.recent);
  if (req.tax) {
    if (spot) {
      counts.ensure('tax:spot', 'taxSpotRecords', req.tax);
      counts.ensure('tax:margin:isolated', 'taxMarginRecords', req.tax);
      counts.ensure('tax:margin:crossed', 'taxMarginRecords', req.tax);
      counts.ensure('tax:p2p', 'taxP2pRecords', req.tax);
    }
    for (const m of futuresOf(markets))
      counts.ensure(`tax:${PRODUCT_TYPE_BY_MARKET[m]}`, 'taxFutureRecords', req.tax);
  }
  for await (const e of ledger as AsyncIterable<LimitLedgerEntry>) {
    const key = ledgerStreamKey(e);
    // Streams not planned above (a market not asked, tax records when none are asked) do not count.
    if (key !== null) counts.count(key, e.cTime);
  }
  return bucketsOf('ledger', counts.values(), pageSize);
}

/**
 * The stream a classic ledger entry is listed by. A margin tax record does not say whether it is isolated or
 * crossed: it is counted in the isolated stream (the simulator has no margin activity; with some, the minimum
 * could be off by one page a window).
 */
function ledgerStreamKey(e: LimitLedgerEntry): string | null {
  if (e.source === 'bills') return e.account === 'spot' || isFutures(e.account) ? `bills:${e.account}` : null;
  if (e.account === 'spot') return 'tax:spot';
  if (e.account === 'margin') return 'tax:margin:isolated';
  if (e.account === 'p2p') return 'tax:p2p';
  return isFutures(e.account) ? `tax:${PRODUCT_TYPE_BY_MARKET[e.account]}` : null;
}

function isFutures(account: string): account is Exclude<Market, 'spot'> {
  return account === 'usdt-futures' || account === 'usdc-futures' || account === 'coin-futures';
}

function classicOnly(req: DatasetLimitRequest): void {
  if (req.mode !== 'classic')
    throw new Error(
      'the fills and ledger limit is computed for classic accounts only: on a unified account the tax records do not say which bizType lists them',
    );
}

/** Both data sets' buckets, for the data sets the request names. */
export async function computeDatasetBuckets(
  truth: { fills(): AsyncIterable<LimitFill>; ledger(): AsyncIterable<LimitLedgerEntry> },
  req: DatasetLimitRequest,
): Promise<BucketLimit[]> {
  const out: BucketLimit[] = [];
  if (req.datasets.includes('fills')) out.push(...(await fillBuckets(truth.fills(), req)));
  if (req.datasets.includes('ledger')) out.push(...(await ledgerBuckets(truth.ledger(), req)));
  return out;
}
