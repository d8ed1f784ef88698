/**
 * The fills, ledger and tax-record streams of a run, planned beside its order streams: one lane per rate-limit
 * bucket (each endpoint its own), cursors over windows the endpoint accepts. Fills and bills cover the range the
 * orders are served over (the same 90 days); tax records cover the part of the asked range older than that, as
 * far back as each tax endpoint reaches.
 */
import type { DatasetEndpointId } from '../bitget/datasetSchemas';
import type { DatasetSource } from '../bitget/datasetSources';
import { datasetStreamOf, isTaxWithoutBills } from '../bitget/datasetSources';
import { DAY_MS, RETENTION_DAYS, retentionDaysOf, UTA_CATEGORIES } from '../bitget/endpoints';
import type { UtaCategory, UtaTaxBizType } from '../bitget/endpoints';
import { datasetSpanMs, TAX_ENDPOINTS } from '../bitget/taxSpan';
import type { DatasetName } from '../core/dataset';
import type { FuturesMarket, Market } from '../core/order';
import { PRODUCT_TYPE_BY_MARKET } from '../core/order';
import type { ExtractionRequest } from '../core/request';
import { requestedDatasets } from '../core/request';
import { newCursor } from './cursor';
import { cutWindows, mayTradeAs, newLane } from './plan';
import type { LaneState, RunPlan } from './runState';

/** The lane (rate-limit bucket) of each data-set endpoint: one per account × endpoint. */
export const LANE_BY_DATASET_ENDPOINT: Record<DatasetEndpointId, string> = {
  spotFills: 'spot-fills',
  futuresFills: 'futures-fills',
  utaFills: 'uta-fills',
  spotBills: 'spot-bills',
  futuresBills: 'futures-bills',
  utaFinancialRecords: 'uta-financial-records',
  taxSpotRecords: 'tax-spot',
  taxFutureRecords: 'tax-future',
  taxMarginRecords: 'tax-margin',
  taxP2pRecords: 'tax-p2p',
  utaTaxRecords: 'uta-tax',
};

const isTax = (endpoint: DatasetEndpointId) => (TAX_ENDPOINTS as readonly string[]).includes(endpoint);

/** One stream over one range: its cursors are cut from it. */
interface PlannedStream {
  source: DatasetSource;
  since: number;
  until: number;
}

export interface DatasetLanes {
  lanes: LaneState[];
  notes: string[];
  ranges: NonNullable<RunPlan['datasetRanges']>;
}

/**
 * Plans the fills and ledger lanes of a run. `served` is what the orders (and so fills and bills) are served
 * over; nothing is planned for a data set the request does not name. Tax records are asked only for a `since`
 * older than that: a request without one asks for what the order endpoints serve (its documented meaning), and
 * the plan's notes then say how far back the tax records would reach. Pure.
 */
export function planDatasetLanes(input: {
  runId: string;
  request: ExtractionRequest;
  mode: 'classic' | 'uta';
  serverNow: number;
  served: { since: number; until: number };
  /** How far inside each endpoint's retention its queries start (the boundary moves while the run works). */
  retentionMarginMs: number;
}): DatasetLanes {
  const { request, mode, served } = input;
  const datasets = requestedDatasets(request);
  const streams: PlannedStream[] = [];
  const notes: string[] = [];
  const ranges: DatasetLanes['ranges'] = {};
  // Where an endpoint's retention begins when the run is planned (inside it by the margin).
  const reachOf = (endpoint: DatasetEndpointId) =>
    input.serverNow - retentionDaysOf(endpoint) * DAY_MS + input.retentionMarginMs;
  // A stream's own start (a sync's watermark) or the run's, never before the endpoint serves.
  const recentStream = (source: DatasetSource): PlannedStream | null => {
    const asked = request.streamSince?.[datasetStreamOf(source)];
    const since = asked === undefined ? served.since : Math.max(asked, reachOf(source.endpoint));
    return since < served.until ? { source, since, until: served.until } : null;
  };
  const rangeOf = (planned: PlannedStream[]) => ({
    since: Math.min(served.since, ...planned.map((s) => s.since)),
    until: served.until,
    streams: Object.fromEntries(
      planned.map((s) => [datasetStreamOf(s.source), { since: s.since, until: s.until }]),
    ),
  });

  if (datasets.includes('fills')) {
    const planned = fillSources(request, mode).flatMap((source) => recentStream(source) ?? []);
    streams.push(...planned);
    ranges['fills'] = rangeOf(planned);
  }
  if (datasets.includes('ledger')) {
    const planned = billSources(request, mode).flatMap((source) => recentStream(source) ?? []);
    // Tax records for the part of the asked range older than the bills serve, as far as each endpoint reaches.
    // A request without `since` (nor a stream's own start) asks for what the order endpoints serve: the 90 days
    // the bills cover too.
    // Margin and P2P records have no bills endpoint here: their tax records are their only source, up to now.
    const billsReach = reachOf('spotBills');
    const taxUntil = Math.min(billsReach, request.until ?? billsReach, served.until);
    const untilOf = (endpoint: DatasetEndpointId) => (isTaxWithoutBills(endpoint) ? served.until : taxUntil);
    let taxSince: number | null = null;
    let reachedBack: number | null = null;
    let askedTax = false;
    for (const source of taxSources(request, mode)) {
      const reach = reachOf(source.endpoint);
      reachedBack = reachedBack === null ? reach : Math.min(reachedBack, reach);
      const asked = request.streamSince?.[datasetStreamOf(source)] ?? request.since;
      if (asked === undefined) continue;
      askedTax = true;
      const since = Math.max(asked, reach);
      if (since >= untilOf(source.endpoint)) continue;
      taxSince = taxSince === null ? since : Math.min(taxSince, since);
      planned.push({ source, since, until: untilOf(source.endpoint) });
    }
    streams.push(...planned);
    ranges['ledger'] = { ...rangeOf(planned), taxSince };
    if (!askedTax && reachedBack !== null) {
      notes.push(
        `Ledger: the bills cover the last ${RETENTION_DAYS} days; the tax records reach back to ${iso(reachedBack)}: ` +
          'name an older --since to fetch them (source "tax").',
      );
    }
    if (taxSince !== null) {
      notes.push(
        `Ledger: the bills cover ${iso(served.since)} to ${iso(served.until)}; tax records (source "tax") cover ` +
          `${iso(taxSince)} to ${iso(taxUntil)}, as far back as the tax endpoints reach` +
          (request.since !== undefined && request.since < taxSince
            ? ` (asked from ${iso(request.since)})`
            : '') +
          (planned.some((p) => isTaxWithoutBills(p.source.endpoint))
            ? '; margin and P2P records, which have no bills here, to the end of the range'
            : '') +
          '.',
      );
    }
    if (request.symbols !== undefined) {
      notes.push(
        'Ledger entries are selected by account, not by symbol: the ledger holds every entry of the accounts asked for.',
      );
    }
  }

  const lanes = new Map<string, LaneState>();
  for (const s of streams) {
    const endpoint = s.source.endpoint;
    const laneId = LANE_BY_DATASET_ENDPOINT[endpoint];
    const lane = lanes.get(laneId) ?? {
      ...newLane(input.runId, laneId, endpoint),
      dataset: datasetOfLane(endpoint),
    };
    lanes.set(laneId, lane);
    const span = datasetSpanMs(endpoint, isTax(endpoint) ? request.taxSpanDays : undefined) - 1000;
    for (const w of cutWindows(s.since, s.until, span))
      lane.cursors.push(newCursor(lane, s.source, w.start, w.end));
  }
  return { lanes: [...lanes.values()], notes, ranges };
}

function datasetOfLane(endpoint: DatasetEndpointId): Exclude<DatasetName, 'orders'> {
  return endpoint === 'spotFills' || endpoint === 'futuresFills' || endpoint === 'utaFills'
    ? 'fills'
    : 'ledger';
}

function futuresMarkets(markets: readonly Market[]): FuturesMarket[] {
  return markets.filter((m): m is FuturesMarket => m !== 'spot');
}

/**
 * What the fills, bills and tax sources of a run depend on: the markets asked for and the symbols named (an
 * extraction request is one; a sync names only its markets).
 */
export interface SourceScope {
  markets: readonly Market[];
  symbols?: readonly string[];
}

/** The named symbols (each its own stream) or one stream of every symbol. */
const symbolsOf = (scope: SourceScope): readonly (string | undefined)[] => scope.symbols ?? [undefined];

/** Classic: spot fills, futures fills per product type; unified: v3 fills per category. */
export function fillSources(request: SourceScope, mode: 'classic' | 'uta'): DatasetSource[] {
  const out: DatasetSource[] = [];
  for (const symbol of symbolsOf(request)) {
    if (mode === 'uta') {
      for (const category of utaCategories(request.markets))
        if (
          symbol === undefined ||
          category === 'SPOT' ||
          category === 'MARGIN' ||
          mayTradeAs(symbol, category)
        )
          out.push({ endpoint: 'utaFills', category, symbol });
      continue;
    }
    if (request.markets.includes('spot')) out.push({ endpoint: 'spotFills', symbol });
    for (const market of futuresMarkets(request.markets)) {
      const productType = PRODUCT_TYPE_BY_MARKET[market];
      if (symbol === undefined || mayTradeAs(symbol, productType))
        out.push({ endpoint: 'futuresFills', productType, symbol });
    }
  }
  return out.map(withoutUndefined);
}

/**
 * Classic: spot bills, futures bills per product type; unified: v3 financial records per category, `OTHER`
 * (deposits, withdrawals) always, since those belong to no market.
 */
export function billSources(request: SourceScope, mode: 'classic' | 'uta'): DatasetSource[] {
  if (mode === 'uta') {
    return [...utaCategories(request.markets), 'OTHER' as const].map((category) => ({
      endpoint: 'utaFinancialRecords',
      category,
    }));
  }
  const out: DatasetSource[] = [];
  if (request.markets.includes('spot')) out.push({ endpoint: 'spotBills' });
  for (const market of futuresMarkets(request.markets))
    out.push({ endpoint: 'futuresBills', productType: PRODUCT_TYPE_BY_MARKET[market] });
  return out;
}

/**
 * Classic: spot, margin (isolated and crossed) and P2P records with the spot market, future records per product
 * type; unified: v3 tax records per bizType (`OTHER` always, as the financial records).
 */
export function taxSources(request: SourceScope, mode: 'classic' | 'uta'): DatasetSource[] {
  if (mode === 'uta') {
    const bizTypes: UtaTaxBizType[] = [...utaCategories(request.markets), 'OTHER'];
    return bizTypes.map((bizType) => ({ endpoint: 'utaTaxRecords', bizType }));
  }
  const out: DatasetSource[] = [];
  if (request.markets.includes('spot')) {
    out.push({ endpoint: 'taxSpotRecords' });
    out.push({ endpoint: 'taxMarginRecords', marginType: 'isolated' });
    out.push({ endpoint: 'taxMarginRecords', marginType: 'crossed' });
    out.push({ endpoint: 'taxP2pRecords' });
  }
  for (const market of futuresMarkets(request.markets))
    out.push({ endpoint: 'taxFutureRecords', productType: PRODUCT_TYPE_BY_MARKET[market] });
  return out;
}

/** v3 categories of the markets asked for: spot is SPOT and MARGIN. */
function utaCategories(markets: readonly Market[]): UtaCategory[] {
  const futures = futuresMarkets(markets).map((m) => PRODUCT_TYPE_BY_MARKET[m]);
  return UTA_CATEGORIES.filter(
    (c) =>
      ((c === 'SPOT' || c === 'MARGIN') && markets.includes('spot')) || (futures as string[]).includes(c),
  );
}

/** A source as saved: a symbol that is not set is left out (the schemas are strict and the ids stable). */
function withoutUndefined(source: DatasetSource): DatasetSource {
  return Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined)) as DatasetSource;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
