import { DAY_MS, ENDPOINTS, FUTURES_PLAN_TYPES, RETENTION_DAYS } from '../bitget/endpoints';
import type { UtaCategory } from '../bitget/endpoints';
import type { EndpointId } from '../bitget/endpoints';
import type { FuturesMarket, Kind, Market, ProductType } from '../core/order';
import { PRODUCT_TYPE_BY_MARKET } from '../core/order';
import type { ExtractionRequest } from '../core/request';
import { requestedDatasets } from '../core/request';
import { newCursor } from './cursor';
import { sourceSince, streamSince } from './streamStarts';
import { planDatasetLanes } from './datasetPlan';
import type { SourceSpec } from './sources';
import type { LaneState, RunPlan, TimeWindow } from './runState';

export interface PlanSettings {
  /**
   * How far inside Bitget's 90-day retention the run starts: the boundary moves while the run works, and a
   * query that starts before it is refused. Orders in this sliver are reported as not servable. A run that
   * outlives the margin (a large account, a late resume) moves its cursors with the boundary and names what
   * expired (laneWorker.ts, cursor.ts `clampToBoundary`; the summary's `expired`).
   */
  retentionMarginMs: number;
}

export const DEFAULT_PLAN_SETTINGS: PlanSettings = { retentionMarginMs: 10 * 60 * 1000 };

/** The lane (rate-limit bucket) of each order endpoint: one per account × endpoint. */
export const LANE_BY_ENDPOINT: Record<SourceSpec['endpoint'], string> = {
  spotHistoryOrders: 'spot-history',
  spotPlanHistory: 'spot-plan',
  futuresHistoryOrders: 'futures-history',
  futuresPlanHistory: 'futures-plan',
  utaHistoryOrders: 'uta-history',
  utaStrategyHistory: 'uta-strategy',
};

export interface PlannedRun {
  plan: RunPlan;
  lanes: LaneState[];
}

/**
 * Plans a run: clamps the range to what Bitget serves, cuts windows each endpoint accepts and groups the
 * cursors into lanes, one per rate-limit bucket. Pure: the caller supplies the server time and account mode.
 */
export function planRun(input: {
  runId: string;
  request: ExtractionRequest;
  serverNow: number;
  mode: 'classic' | 'uta';
  /** Every spot symbol Bitget lists (any status): spot plan history needs a symbol, so each is asked. */
  listedSpotSymbols?: string[];
  settings?: PlanSettings;
}): PlannedRun {
  const { runId, request, serverNow, mode } = input;
  const settings = input.settings ?? DEFAULT_PLAN_SETTINGS;
  const notes: string[] = [];

  const oldestServed = serverNow - RETENTION_DAYS * DAY_MS + settings.retentionMarginMs;
  const startOf = (requested: number | undefined) => Math.max(requested ?? oldestServed, oldestServed);
  const since = startOf(request.since);
  const until = Math.min(request.until ?? serverNow + 1, serverNow + 1);
  if (request.since === undefined || request.since < oldestServed) {
    notes.push(
      `Bitget serves order history for the last ${RETENTION_DAYS} days only: the run covers ${iso(since)} to ${iso(until)}` +
        (request.since !== undefined ? ` (asked from ${iso(request.since)})` : '') +
        '. Older orders are only downloadable from Bitget’s website.',
    );
  }
  if (request.until !== undefined && request.until > serverNow + 1) {
    notes.push(`The range ends in the future; it was cut at the exchange's current time ${iso(serverNow)}.`);
  }

  const wantsOrders = requestedDatasets(request).includes('orders');
  const spotPlanSince = startOf(streamSince(request, 'spot/plan'));
  const needsSymbolSearch =
    wantsOrders && mode === 'classic' && spotPlanSince < until && wantsSpotPlanDiscovery(request);
  if (needsSymbolSearch) {
    notes.push(
      'Spot plan orders can only be asked symbol by symbol: this run asks every symbol Bitget lists and every other spot symbol its spot orders name. ' +
        'A symbol Bitget no longer lists whose only orders in the range are plan orders cannot be found this way: name it with --symbols to fetch them.',
    );
  }
  const listed = needsSymbolSearch
    ? [...new Set((input.listedSpotSymbols ?? []).map((x) => x.toUpperCase()))]
    : [];
  const orderSources = mode === 'uta' ? utaSources(request) : classicSources(request, listed);
  const sources = wantsOrders ? orderSources : [];
  if (
    mode === 'uta' &&
    request.markets.includes('spot') &&
    (request.kinds.includes('tpsl') || request.kinds.includes('plan'))
  ) {
    notes.push(
      'Unified account: Bitget documents no v3 endpoint for spot TP/SL and spot plan orders, so they are not in this result; v3 strategy orders cover futures TP/SL and trigger orders.',
    );
  }
  // Sources that start at the same time share one window set per span.
  const byStartAndSpan = new Map<string, TimeWindow[]>();
  const windowsFor = (endpoint: EndpointId, start: number): TimeWindow[] => {
    const span = maxWindowMs(endpoint);
    let ws = byStartAndSpan.get(`${start}:${span}`);
    if (!ws) {
      ws = cutWindows(start, until, span);
      byStartAndSpan.set(`${start}:${span}`, ws);
    }
    return ws;
  };

  const lanes = new Map<string, LaneState>();
  let servedSince = Infinity;
  for (const source of sources) {
    const start = startOf(sourceSince(request, source));
    if (start >= until) continue;
    servedSince = Math.min(servedSince, start);
    const laneId = LANE_BY_ENDPOINT[source.endpoint];
    const lane = lanes.get(laneId) ?? newLane(runId, laneId, source.endpoint);
    lanes.set(laneId, lane);
    for (const w of windowsFor(source.endpoint, start))
      lane.cursors.push(newCursor(lane, source, w.start, w.end));
  }

  const searchWindows = needsSymbolSearch ? windowsFor('spotPlanHistory', spotPlanSince) : [];
  const datasetLanes = planDatasetLanes({
    runId,
    request,
    mode,
    serverNow,
    served: { since, until },
    retentionMarginMs: settings.retentionMarginMs,
  });
  for (const lane of datasetLanes.lanes) lanes.set(lane.laneId, lane);
  notes.push(...datasetLanes.notes);
  if (lanes.size === 0 && (sources.length > 0 || since >= until)) {
    notes.push('Nothing to fetch: the requested range lies entirely outside what Bitget serves.');
  }

  const plan: RunPlan = {
    runId,
    createdAt: serverNow,
    request,
    mode,
    requested: {
      since: request.since ?? null,
      until: request.until ?? null,
      streamSince: request.streamSince,
    },
    // The earliest start of any source: each stream was served from its own start, none before this.
    served: { since: Number.isFinite(servedSince) ? servedSince : since, until },
    datasetRanges: datasetLanes.ranges,
    notes,
    laneIds: [...lanes.keys()],
    searchWindows,
    needsSymbolSearch,
    listedSpotSymbols: listed,
    stages: {},
  };
  return { plan, lanes: [...lanes.values()] };
}

/**
 * Whether spot plan orders must be discovered symbol by symbol (the endpoint needs a symbol and the caller
 * named none). On a classic account that means asking every listed symbol and searching the unlisted ones.
 */
export function wantsSpotPlanDiscovery(request: ExtractionRequest): boolean {
  return request.symbols === undefined && request.markets.includes('spot') && request.kinds.includes('plan');
}

/** The longest window an endpoint accepts, with a second to spare for the one-millisecond query overlap. */
export function maxWindowMs(endpoint: EndpointId): number {
  const days = ENDPOINTS[endpoint].maxSpanDays ?? RETENTION_DAYS;
  return days * DAY_MS - 1000;
}

/** Cuts [since, until) into consecutive windows no longer than `span`, newest last. */
export function cutWindows(since: number, until: number, span: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  for (let start = since, i = 0; start < until; start += span, i++) {
    windows.push({ windowId: `w${i}`, start, end: Math.min(start + span, until) });
  }
  return windows;
}

function classicSources(request: ExtractionRequest, listedSpotSymbols: string[]): SourceSpec[] {
  const out: SourceSpec[] = [];
  const symbols = request.symbols;
  const perSymbol = <T extends SourceSpec>(make: (symbol?: string) => T): T[] =>
    symbols ? symbols.map((s) => make(s)) : [make()];
  const wants = (k: Kind) => request.kinds.includes(k);

  if (request.markets.includes('spot')) {
    if (wants('normal'))
      out.push(
        ...perSymbol((symbol) => ({ endpoint: 'spotHistoryOrders', tpslType: 'normal', ...opt(symbol) })),
      );
    if (wants('tpsl'))
      out.push(
        ...perSymbol((symbol) => ({ endpoint: 'spotHistoryOrders', tpslType: 'tpsl', ...opt(symbol) })),
      );
    // Spot plan history needs a symbol: named symbols, or every listed symbol (its own rate budget, so it runs
    // beside the other lanes); the searcher later covers symbols seen in orders but absent from the list.
    for (const symbol of symbols ?? (wants('plan') ? listedSpotSymbols : []))
      if (wants('plan')) out.push({ endpoint: 'spotPlanHistory', symbol });
  }
  for (const market of futuresMarkets(request.markets)) {
    const productType = PRODUCT_TYPE_BY_MARKET[market];
    const inType = <T extends SourceSpec>(make: (symbol?: string) => T): T[] =>
      perSymbol(make).filter((src) => src.symbol === undefined || mayTradeAs(src.symbol, productType));
    if (wants('normal'))
      out.push(...inType((symbol) => ({ endpoint: 'futuresHistoryOrders', productType, ...opt(symbol) })));
    // Futures plan history lists trigger and trailing plans (kind `plan`) and TP/SL plans (`profit_loss`,
    // kind `tpsl`), one planType per query.
    const planTypes = FUTURES_PLAN_TYPES.filter((t) => wants(t === 'profit_loss' ? 'tpsl' : 'plan'));
    for (const planType of planTypes)
      out.push(
        ...inType((symbol) => ({ endpoint: 'futuresPlanHistory', productType, planType, ...opt(symbol) })),
      );
  }
  return out;
}

/**
 * Whether a named symbol can be a contract of a futures product type, by Bitget's naming: USDT-M contracts
 * are quoted in USDT (`BTCUSDT`), USDC-M in USDC or PERP (`BTCPERP`), COIN-M in USD (`BTCUSD`). Only the
 * clear mismatches are left out (a `…USDT` symbol is never a COIN-M or USDC-M contract): asking costs a request
 * per window, skipping a real contract would lose its orders.
 */
export function mayTradeAs(symbol: string, productType: ProductType): boolean {
  const usdt = /USDT(\d+)?$/.test(symbol);
  const usdc = /(USDC|PERP)(\d+)?$/.test(symbol);
  if (productType === 'USDT-FUTURES') return !usdc;
  if (productType === 'USDC-FUTURES') return !usdt;
  return !usdt && !usdc;
}

/**
 * Unified accounts: v3 history orders per category (spot and margin are the spot market), and v3 strategy
 * orders (TP/SL and trigger orders), which Bitget documents for the futures categories only.
 */
function utaSources(request: ExtractionRequest): SourceSpec[] {
  const futures = futuresMarkets(request.markets).map((m) => PRODUCT_TYPE_BY_MARKET[m]);
  const categories = [...(request.markets.includes('spot') ? (['SPOT', 'MARGIN'] as const) : []), ...futures];
  const symbols: (string | undefined)[] = request.symbols ?? [undefined];
  const fits = (category: UtaCategory, symbol: string | undefined) =>
    symbol === undefined || category === 'SPOT' || category === 'MARGIN' || mayTradeAs(symbol, category);
  const out: SourceSpec[] = [];
  for (const symbol of symbols) {
    for (const category of request.kinds.includes('normal') ? categories : [])
      if (fits(category, symbol)) out.push({ endpoint: 'utaHistoryOrders', category, ...opt(symbol) });
    // v3 strategy orders are TP/SL (kind `tpsl`) and trigger orders (kind `plan`), listed together: when only
    // one kind is asked for, the source says so and the lane keeps only its rows.
    const kinds = request.kinds.filter((k): k is 'tpsl' | 'plan' => k === 'tpsl' || k === 'plan');
    for (const category of kinds.length > 0 ? futures : [])
      if (fits(category, symbol))
        out.push({
          endpoint: 'utaStrategyHistory',
          category,
          ...opt(symbol),
          ...(kinds.length === 1 ? { kinds } : {}),
        });
  }
  return out;
}

function futuresMarkets(markets: Market[]): FuturesMarket[] {
  return markets.filter((m): m is FuturesMarket => m !== 'spot');
}

function opt(symbol: string | undefined): { symbol?: string } {
  return symbol === undefined ? {} : { symbol };
}

export function newLane(runId: string, laneId: string, endpoint: EndpointId): LaneState {
  return {
    runId,
    laneId,
    endpoint,
    cursors: [],
    nextCursorSeq: 0,
    partsWritten: 0,
    ordersFetched: 0,
    requests: 0,
    retries: 0,
    http429: 0,
    errors: {},
    symbolsSeen: {},
    invocations: 0,
    busyMs: 0,
    requestsBySecond: {},
    done: false,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
