/**
 * The physical limit of an extraction, computed from the ground truth: the fewest requests any client needs,
 * and the least time Bitget's rate limits allow for them.
 *
 * Rules (see docs/BENCHMARKS.md):
 * - A stream is what one query lists: (endpoint, stream parameters[, symbol]). Per rate-limit bucket (one
 *   per endpoint: the budget is per UID per endpoint), every stream must be asked over every mandatory window
 *   (the served range cut into the endpoint's largest span: 90 days on v2, 30 days on v3). A window with n
 *   orders needs ceil(n / 100) pages, and at least one request even when it is empty (nobody can know it is
 *   empty without asking). Where a page cannot say it is the last (every endpoint but spot plan history's
 *   `nextFlag` and v3's cursor), a window with rows needs one request more: the one that comes back empty. A
 *   client that stopped on a short page would guess that pagination is over, which an exact client never does
 *   (`pages` keeps the count without those end pages).
 * - Spot plan history needs a symbol: only symbols that have spot plan orders count (a lower bound: a real
 *   client must also discover them).
 * - Unified (v3) accounts: history orders per category (SPOT, MARGIN and the three futures categories), strategy
 *   orders for the futures categories only (what Bitget documents).
 * - Named symbols: a (stream, symbol) is mandatory when the symbol trades in that stream's market. An endpoint
 *   that accepts no symbol (all but spot plan history) can instead be asked once per stream without a symbol,
 *   keeping the named symbols' rows: per stream, the cheaper of the two counts (the rows it lists are then every
 *   symbol's).
 * - Time: the largest of (minimum requests of a bucket ÷ its rate) over the buckets, and (all minimum
 *   requests ÷ the IP cap of 6000 a minute).
 */
import { DAY_MS, ENDPOINTS, IP_LIMIT_PER_MINUTE } from '../../src/bitget/endpoints';
import type { EndpointId, FuturesPlanType } from '../../src/bitget/endpoints';
import type { DatasetName } from '../../src/core/dataset';
import type { Kind, Market } from '../../src/core/order';
import type { TruthRecord } from '../../src/sim';

export const PAGE_SIZE = 100;

/**
 * Endpoints whose last page says so: spot plan history (`nextFlag: false`) and the v3 ones (no `cursor`). On the
 * others the next cursor is the last row's id (or `endId`) whenever a page has rows, so only an empty page ends a
 * window (the client's `next` in src/bitget/BitgetClient.ts and datasetPages.ts).
 */
const SAYS_LAST_PAGE: ReadonlySet<EndpointId> = new Set<EndpointId>([
  'spotPlanHistory',
  'utaHistoryOrders',
  'utaStrategyHistory',
  'utaFills',
  'utaFinancialRecords',
  'utaTaxRecords',
]);

/** The fewest requests an exact client makes for one window listing `listed` rows, `pageSize` a page. */
export function windowRequests(endpoint: EndpointId, listed: number, pageSize: number): number {
  const pages = Math.ceil(listed / pageSize);
  if (pages === 0) return 1;
  return SAYS_LAST_PAGE.has(endpoint) ? pages : pages + 1;
}

/** What the limit reads of a truth record. */
export type LimitTruthRecord = Pick<
  TruthRecord,
  'orderId' | 'market' | 'kind' | 'symbol' | 'cTime' | 'planType'
>;

export interface LimitRequest {
  mode: 'classic' | 'uta';
  /** The range a client must cover: [since, until). */
  since: number;
  until: number;
  /** Named symbols (undefined: every symbol). */
  symbols?: string[];
  markets?: Market[];
  kinds?: Kind[];
}

export interface BucketLimit {
  endpoint: EndpointId;
  /** The data set the bucket's records belong to (tax records are ledger entries). */
  dataset: DatasetName;
  ratePerSecond: number;
  streams: number;
  windows: number;
  /** Records the bucket delivers over its mandatory windows: orders, fills or ledger entries (named symbols': a stream asked without a symbol lists more). */
  records: number;
  minRequests: number;
  /** The pages alone: minRequests without the end page of each window on endpoints whose pages never say last. */
  pages: number;
  /** minRequests ÷ rate, in ms. */
  boundMs: number;
}

/** The bound of buckets that run in parallel: the whole run's figures. */
export interface CombinedBound {
  minRequests: number;
  /** max(bucket bounds, ipBoundMs). */
  boundMs: number;
  ipBoundMs: number;
  /** Which bucket (or 'ip') sets the bound. */
  bottleneck: string;
}

export interface Limit extends CombinedBound {
  buckets: BucketLimit[];
  orders: number;
}

const ALL_MARKETS: readonly Market[] = ['spot', 'usdt-futures', 'usdc-futures', 'coin-futures'];
const ALL_KINDS: readonly Kind[] = ['normal', 'tpsl', 'plan'];
const PLAN_TYPES: readonly FuturesPlanType[] = ['normal_plan', 'track_plan', 'profit_loss'];
const UTA_CATEGORY: Record<Market, string> = {
  spot: 'SPOT',
  'usdt-futures': 'USDT-FUTURES',
  'usdc-futures': 'USDC-FUTURES',
  'coin-futures': 'COIN-FUTURES',
};

interface StreamDef {
  endpoint: EndpointId;
  key: string;
  market: Market | null;
}

/** The streams a complete client must ask, without symbols (they are added per symbol when named). */
function baseStreams(req: LimitRequest): StreamDef[] {
  const markets = req.markets ?? ALL_MARKETS;
  const kinds = req.kinds ?? ALL_KINDS;
  const out: StreamDef[] = [];
  if (req.mode === 'classic') {
    if (markets.includes('spot')) {
      if (kinds.includes('normal'))
        out.push({ endpoint: 'spotHistoryOrders', key: 'spot:normal', market: 'spot' });
      if (kinds.includes('tpsl'))
        out.push({ endpoint: 'spotHistoryOrders', key: 'spot:tpsl', market: 'spot' });
      // spot plan: per symbol, added from the truth
    }
    for (const m of markets) {
      if (m === 'spot') continue;
      if (kinds.includes('normal'))
        out.push({ endpoint: 'futuresHistoryOrders', key: `${m}:normal`, market: m });
      // profit_loss plans are TP/SL orders (kind tpsl); trigger and trailing plans are kind plan.
      for (const pt of PLAN_TYPES)
        if (kinds.includes(pt === 'profit_loss' ? 'tpsl' : 'plan'))
          out.push({ endpoint: 'futuresPlanHistory', key: `${m}:plan:${pt}`, market: m });
    }
  } else {
    const cats: { key: string; market: Market | null }[] = [];
    for (const m of markets) cats.push({ key: UTA_CATEGORY[m], market: m });
    // MARGIN is a category of its own on v3: a complete client asks it (it is empty on the simulator).
    if (markets.includes('spot')) cats.push({ key: 'MARGIN', market: null });
    for (const c of cats) {
      if (kinds.includes('normal'))
        out.push({ endpoint: 'utaHistoryOrders', key: `${c.key}:normal`, market: c.market });
      // v3 strategy orders: the futures categories only (Bitget documents no v3 spot strategy history)
      if ((kinds.includes('tpsl') || kinds.includes('plan')) && c.market !== 'spot' && c.market !== null)
        out.push({ endpoint: 'utaStrategyHistory', key: `${c.key}:strategy`, market: c.market });
    }
  }
  return out;
}

/** The stream (bucket endpoint + key) that lists a truth record, in the given mode. */
export function streamOf(
  t: LimitTruthRecord,
  mode: 'classic' | 'uta',
): { endpoint: EndpointId; key: string } {
  if (mode === 'uta') {
    const cat = UTA_CATEGORY[t.market];
    return t.kind === 'normal'
      ? { endpoint: 'utaHistoryOrders', key: `${cat}:normal` }
      : { endpoint: 'utaStrategyHistory', key: `${cat}:strategy` };
  }
  if (t.market === 'spot') {
    if (t.kind === 'plan') return { endpoint: 'spotPlanHistory', key: `spot:plan:${t.symbol}` };
    return { endpoint: 'spotHistoryOrders', key: `spot:${t.kind}` };
  }
  if (t.kind === 'normal') return { endpoint: 'futuresHistoryOrders', key: `${t.market}:normal` };
  return { endpoint: 'futuresPlanHistory', key: `${t.market}:plan:${t.planType ?? 'normal_plan'}` };
}

function windowSpanMs(endpoint: EndpointId): number {
  return (ENDPOINTS[endpoint].maxSpanDays ?? 90) * DAY_MS;
}

/** Computes the limit; streams the truth once (memory: one counter per stream × window). */
export async function computeLimit(
  truth: AsyncIterable<LimitTruthRecord> | Iterable<LimitTruthRecord>,
  req: LimitRequest,
): Promise<Limit> {
  const range = Math.max(0, req.until - req.since);
  const windowsOf = (e: EndpointId) => Math.max(1, Math.ceil(range / windowSpanMs(e)));
  const windowIndex = (e: EndpointId, cTime: number) => Math.floor((cTime - req.since) / windowSpanMs(e));
  const named = req.symbols ? new Set(req.symbols.map((s) => s.toUpperCase())) : null;
  const markets = req.markets ?? ALL_MARKETS;
  const kinds = req.kinds ?? ALL_KINDS;

  /** stream key (with symbol when named) → counts per window */
  const counts = new Map<string, { endpoint: EndpointId; perWindow: number[] }>();
  const ensure = (endpoint: EndpointId, key: string) => {
    let c = counts.get(key);
    if (!c) {
      c = { endpoint, perWindow: new Array<number>(windowsOf(endpoint)).fill(0) };
      counts.set(key, c);
    }
    return c;
  };
  const base = baseStreams(req);
  // Unnamed: every base stream is mandatory. Named: a base stream × symbol is mandatory when the symbol
  // trades in that market (seen in the truth), added below.
  if (!named) for (const s of base) ensure(s.endpoint, s.key);
  const symbolMarkets = new Set<string>();

  /** Named: every symbol's rows per stream key (without symbol) → counts per window, for the no-symbol query. */
  const everySymbol = new Map<string, number[]>();
  for await (const t of truth as AsyncIterable<LimitTruthRecord>) {
    if (!markets.includes(t.market)) continue;
    const inRange = kinds.includes(t.kind) && t.cTime >= req.since && t.cTime < req.until;
    if (named && inRange) {
      const s = streamOf(t, req.mode);
      let perWindow = everySymbol.get(s.key);
      if (!perWindow) everySymbol.set(s.key, (perWindow = new Array<number>(windowsOf(s.endpoint)).fill(0)));
      perWindow[Math.min(perWindow.length - 1, windowIndex(s.endpoint, t.cTime))]! += 1;
    }
    if (named && !named.has(t.symbol.toUpperCase())) continue;
    if (named) symbolMarkets.add(`${t.market}|${t.symbol.toUpperCase()}`);
    if (!inRange) continue;
    const s = streamOf(t, req.mode);
    const key = named && s.endpoint !== 'spotPlanHistory' ? `${s.key}@${t.symbol.toUpperCase()}` : s.key;
    const c = ensure(s.endpoint, key);
    const w = Math.min(c.perWindow.length - 1, windowIndex(s.endpoint, t.cTime));
    c.perWindow[w]! += 1;
  }
  if (named) {
    for (const sm of symbolMarkets) {
      const [market, symbol] = sm.split('|') as [Market, string];
      for (const s of base) if (s.market === market) ensure(s.endpoint, `${s.key}@${symbol}`);
      // MARGIN (no market) is asked for every named spot symbol
      if (market === 'spot')
        for (const s of base) if (s.market === null) ensure(s.endpoint, `${s.key}@${symbol}`);
      // named spot symbols: spot plan is asked per named symbol too (a client cannot know it is empty)
      if (market === 'spot' && req.mode === 'classic' && kinds.includes('plan'))
        ensure('spotPlanHistory', `spot:plan:${symbol}`);
    }
  }

  const streams = named ? cheaperWithoutSymbol(counts, everySymbol) : [...counts.values()];
  const buckets = bucketsOf('orders', streams, () => PAGE_SIZE);
  return { buckets, orders: buckets.reduce((n, b) => n + b.records, 0), ...combineBuckets(buckets) };
}

/** A stream of the limit: the records it must deliver per window, and the rows it lists when that is more. */
export interface LimitStream {
  endpoint: EndpointId;
  perWindow: number[];
  /** Rows the query lists per window, when it lists rows it does not keep (a query without a symbol). */
  listedPerWindow?: number[];
}

/**
 * Named symbols: per stream key, the named symbols' per-symbol streams, or one stream without a symbol (listing
 * every symbol's rows) when that needs fewer requests. Spot plan history needs a symbol, so it stays per symbol.
 */
function cheaperWithoutSymbol(
  counts: Map<string, { endpoint: EndpointId; perWindow: number[] }>,
  everySymbol: Map<string, number[]>,
): LimitStream[] {
  const pages = (endpoint: EndpointId, perWindow: number[]) =>
    perWindow.reduce((n, x) => n + windowRequests(endpoint, x, PAGE_SIZE), 0);
  const grouped = new Map<string, { endpoint: EndpointId; perWindow: number[] }[]>();
  const out: LimitStream[] = [];
  for (const [key, c] of counts) {
    const at = key.lastIndexOf('@');
    if (c.endpoint === 'spotPlanHistory' || at < 0) out.push(c);
    else grouped.set(key.slice(0, at), [...(grouped.get(key.slice(0, at)) ?? []), c]);
  }
  for (const [key, perSymbol] of grouped) {
    const endpoint = perSymbol[0]!.endpoint;
    const listed = everySymbol.get(key) ?? new Array<number>(perSymbol[0]!.perWindow.length).fill(0);
    if (pages(endpoint, listed) >= perSymbol.reduce((n, c) => n + pages(endpoint, c.perWindow), 0)) {
      out.push(...perSymbol);
      continue;
    }
    const kept = listed.map((_, w) => perSymbol.reduce((n, c) => n + c.perWindow[w]!, 0));
    out.push({ endpoint, perWindow: kept, listedPerWindow: listed });
  }
  return out;
}

/**
 * Per endpoint: its streams' windows summed into a bucket, each window `windowRequests` (ceil(n / page size) pages,
 * at least 1, and the empty end page where pages never say last), n the rows the query lists.
 */
export function bucketsOf(
  dataset: DatasetName,
  streams: Iterable<LimitStream>,
  pageSize: (endpoint: EndpointId) => number,
): BucketLimit[] {
  const byEndpoint = new Map<EndpointId, BucketLimit>();
  for (const { endpoint, perWindow, listedPerWindow } of streams) {
    let b = byEndpoint.get(endpoint);
    if (!b) {
      b = {
        endpoint,
        dataset,
        ratePerSecond: ENDPOINTS[endpoint].ratePerSecond,
        streams: 0,
        windows: 0,
        records: 0,
        minRequests: 0,
        pages: 0,
        boundMs: 0,
      };
      byEndpoint.set(endpoint, b);
    }
    b.streams += 1;
    b.windows += perWindow.length;
    for (const [w, n] of perWindow.entries()) {
      b.records += n;
      const listed = listedPerWindow?.[w] ?? n;
      b.minRequests += windowRequests(endpoint, listed, pageSize(endpoint));
      b.pages += Math.max(1, Math.ceil(listed / pageSize(endpoint)));
    }
  }
  const buckets = [...byEndpoint.values()].sort((a, b) => a.endpoint.localeCompare(b.endpoint));
  for (const b of buckets) b.boundMs = (b.minRequests / b.ratePerSecond) * 1000;
  return buckets;
}

/**
 * The bound of buckets that all run at once (separate budgets): the slowest bucket's minimum time, or all their
 * minimum requests under the IP cap of 6000 a minute when that is longer.
 */
export function combineBuckets(buckets: readonly BucketLimit[]): CombinedBound {
  const minRequests = buckets.reduce((n, b) => n + b.minRequests, 0);
  const ipBoundMs = (minRequests / IP_LIMIT_PER_MINUTE) * 60_000;
  let boundMs = ipBoundMs;
  let bottleneck = 'ip';
  for (const b of buckets) {
    if (b.boundMs > boundMs) {
      boundMs = b.boundMs;
      bottleneck = b.endpoint;
    }
  }
  return { minRequests, boundMs, ipBoundMs, bottleneck };
}
