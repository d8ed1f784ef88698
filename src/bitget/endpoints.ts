/**
 * The Bitget endpoints the product calls, with their documented budgets (shared/reference/bitget-api.md).
 * Both the client (to throttle) and the simulator (to enforce) read this table.
 */
/** How far back the v2 tax records reach: not stated by Bitget; a tax tool reports about two years. */
export const TAX_RETENTION_DAYS_V2 = 730;

export type EndpointId =
  | 'publicTime'
  | 'spotSymbols'
  | 'futuresContracts'
  | 'spotHistoryOrders'
  | 'spotPlanHistory'
  | 'futuresHistoryOrders'
  | 'futuresPlanHistory'
  | 'utaSettings'
  | 'utaHistoryOrders'
  | 'utaStrategyHistory'
  | OpenOrderEndpointId
  | 'spotAccountInfo'
  | 'utaAccountInfo'
  | FillEndpointId
  | LedgerEndpointId
  | TaxEndpointId;

/** The endpoints that list fills (executions): reference/bitget-api.md, "Fills". */
export type FillEndpointId = 'spotFills' | 'futuresFills' | 'utaFills';
/** The ledger (bills) endpoints: reference/bitget-api.md, "Ledger". */
export type LedgerEndpointId = 'spotBills' | 'futuresBills' | 'utaFinancialRecords';
/** The tax records, which reach further back than 90 days: reference/bitget-api.md, "Tax records". */
export type TaxEndpointId =
  'taxSpotRecords' | 'taxFutureRecords' | 'taxMarginRecords' | 'taxP2pRecords' | 'utaTaxRecords';

/** The endpoints that list orders still open (what history does not list yet). */
export type OpenOrderEndpointId =
  | 'spotUnfilledOrders'
  | 'spotCurrentPlanOrders'
  | 'futuresPendingOrders'
  | 'futuresPlanPending'
  | 'utaUnfilledOrders'
  | 'utaUnfilledStrategyOrders';

export interface EndpointSpec {
  readonly id: EndpointId;
  readonly path: string;
  /** Signed request (per-UID budget) or public (per-IP budget). */
  readonly auth: 'private' | 'public';
  /** Requests per second allowed by Bitget for one UID (private) or one IP (public). */
  readonly ratePerSecond: number;
  /** Largest startTime..endTime span accepted, in days (undefined: not limited beyond retention). */
  readonly maxSpanDays?: number;
  /** Largest `limit` accepted. */
  readonly maxLimit?: number;
  /** How many days back the endpoint serves (undefined: RETENTION_DAYS). */
  readonly retentionDays?: number;
}

export const ENDPOINTS: Readonly<Record<EndpointId, EndpointSpec>> = {
  publicTime: { id: 'publicTime', path: '/api/v2/public/time', auth: 'public', ratePerSecond: 20 },
  spotSymbols: { id: 'spotSymbols', path: '/api/v2/spot/public/symbols', auth: 'public', ratePerSecond: 20 },
  futuresContracts: {
    id: 'futuresContracts',
    path: '/api/v2/mix/market/contracts',
    auth: 'public',
    ratePerSecond: 20,
  },
  spotHistoryOrders: {
    id: 'spotHistoryOrders',
    path: '/api/v2/spot/trade/history-orders',
    auth: 'private',
    ratePerSecond: 20,
    maxSpanDays: 90,
    maxLimit: 100,
  },
  spotPlanHistory: {
    id: 'spotPlanHistory',
    path: '/api/v2/spot/trade/history-plan-order',
    auth: 'private',
    ratePerSecond: 20,
    maxSpanDays: 90,
    maxLimit: 100,
  },
  futuresHistoryOrders: {
    id: 'futuresHistoryOrders',
    path: '/api/v2/mix/order/orders-history',
    auth: 'private',
    ratePerSecond: 10,
    maxSpanDays: 90,
    maxLimit: 100,
  },
  futuresPlanHistory: {
    id: 'futuresPlanHistory',
    path: '/api/v2/mix/order/orders-plan-history',
    auth: 'private',
    ratePerSecond: 10,
    maxSpanDays: 90,
    maxLimit: 100,
  },
  utaSettings: { id: 'utaSettings', path: '/api/v3/account/settings', auth: 'private', ratePerSecond: 10 },
  utaHistoryOrders: {
    id: 'utaHistoryOrders',
    path: '/api/v3/trade/history-orders',
    auth: 'private',
    ratePerSecond: 20,
    maxSpanDays: 30,
    maxLimit: 100,
  },
  utaStrategyHistory: {
    id: 'utaStrategyHistory',
    path: '/api/v3/trade/history-strategy-orders',
    auth: 'private',
    ratePerSecond: 20,
    maxSpanDays: 30,
    maxLimit: 100,
  },
  // Open orders and the account's identity (reference/bitget-api.md, "Open orders", "Account identity").
  spotUnfilledOrders: {
    id: 'spotUnfilledOrders',
    path: '/api/v2/spot/trade/unfilled-orders',
    auth: 'private',
    ratePerSecond: 10,
    maxSpanDays: 90,
    maxLimit: 100,
  },
  spotCurrentPlanOrders: {
    id: 'spotCurrentPlanOrders',
    path: '/api/v2/spot/trade/current-plan-order',
    auth: 'private',
    ratePerSecond: 20,
    maxSpanDays: 90,
    maxLimit: 100,
  },
  futuresPendingOrders: {
    id: 'futuresPendingOrders',
    path: '/api/v2/mix/order/orders-pending',
    auth: 'private',
    ratePerSecond: 10,
    maxSpanDays: 90,
    maxLimit: 100,
  },
  futuresPlanPending: {
    id: 'futuresPlanPending',
    path: '/api/v2/mix/order/orders-plan-pending',
    auth: 'private',
    ratePerSecond: 10,
    maxSpanDays: 90,
    maxLimit: 100,
  },
  utaUnfilledOrders: {
    id: 'utaUnfilledOrders',
    path: '/api/v3/trade/unfilled-orders',
    auth: 'private',
    ratePerSecond: 20,
    maxSpanDays: 30,
    maxLimit: 100,
  },
  utaUnfilledStrategyOrders: {
    id: 'utaUnfilledStrategyOrders',
    path: '/api/v3/trade/unfilled-strategy-orders',
    auth: 'private',
    ratePerSecond: 20,
    maxSpanDays: 30,
    maxLimit: 100,
  },
  spotAccountInfo: {
    id: 'spotAccountInfo',
    path: '/api/v2/spot/account/info',
    auth: 'private',
    ratePerSecond: 1,
  },
  utaAccountInfo: { id: 'utaAccountInfo', path: '/api/v3/account/info', auth: 'private', ratePerSecond: 1 },
  // Fills (reference/bitget-api.md, "Fills"). futuresFills' span: one week in the newer copies of the docs.
  spotFills: {
    id: 'spotFills',
    path: '/api/v2/spot/trade/fills',
    auth: 'private',
    ratePerSecond: 10,
    maxSpanDays: 90,
    maxLimit: 100,
  },
  futuresFills: {
    id: 'futuresFills',
    path: '/api/v2/mix/order/fill-history',
    auth: 'private',
    ratePerSecond: 10,
    maxSpanDays: 7,
    maxLimit: 100,
  },
  utaFills: {
    id: 'utaFills',
    path: '/api/v3/trade/fills',
    auth: 'private',
    ratePerSecond: 20,
    maxSpanDays: 30,
    maxLimit: 100,
  },
  // The ledger (reference/bitget-api.md, "Ledger").
  spotBills: {
    id: 'spotBills',
    path: '/api/v2/spot/account/bills',
    auth: 'private',
    ratePerSecond: 10,
    maxSpanDays: 90,
    maxLimit: 500,
  },
  futuresBills: {
    id: 'futuresBills',
    path: '/api/v2/mix/account/bill',
    auth: 'private',
    ratePerSecond: 10,
    maxSpanDays: 30,
    maxLimit: 100,
  },
  utaFinancialRecords: {
    id: 'utaFinancialRecords',
    path: '/api/v3/account/financial-records',
    auth: 'private',
    ratePerSecond: 20,
    maxSpanDays: 30,
    maxLimit: 100,
  },
  // Tax records (reference/bitget-api.md, "Tax records"): 1 request/s, 500 rows a page. The v2 span is 30 days in
  // some copies of the docs and 366 in others: the smaller is the default (TAX_SPAN_DAYS can widen it), and the
  // exchange's span error is recognised rather than either copy trusted. How far back v2 reaches is not stated
  // (a tax tool reports about two years); v3 serves the last 366 days.
  taxSpotRecords: {
    id: 'taxSpotRecords',
    path: '/api/v2/tax/spot-record',
    auth: 'private',
    ratePerSecond: 1,
    maxSpanDays: 30,
    maxLimit: 500,
    retentionDays: TAX_RETENTION_DAYS_V2,
  },
  taxFutureRecords: {
    id: 'taxFutureRecords',
    path: '/api/v2/tax/future-record',
    auth: 'private',
    ratePerSecond: 1,
    maxSpanDays: 30,
    maxLimit: 500,
    retentionDays: TAX_RETENTION_DAYS_V2,
  },
  taxMarginRecords: {
    id: 'taxMarginRecords',
    path: '/api/v2/tax/margin-record',
    auth: 'private',
    ratePerSecond: 1,
    maxSpanDays: 30,
    maxLimit: 500,
    retentionDays: TAX_RETENTION_DAYS_V2,
  },
  taxP2pRecords: {
    id: 'taxP2pRecords',
    path: '/api/v2/tax/p2p-record',
    auth: 'private',
    ratePerSecond: 1,
    maxSpanDays: 30,
    maxLimit: 500,
    retentionDays: TAX_RETENTION_DAYS_V2,
  },
  utaTaxRecords: {
    id: 'utaTaxRecords',
    path: '/api/v3/tax/records',
    auth: 'private',
    ratePerSecond: 1,
    maxSpanDays: 7,
    maxLimit: 500,
    retentionDays: 366,
  },
};

/** Order history is served for the last 90 days only. */
export const RETENTION_DAYS = 90;
/** The whole IP may make 6000 requests a minute; crossing it blocks the IP for 5 minutes. */
export const IP_LIMIT_PER_MINUTE = 6000;
export const IP_BAN_MS = 5 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

export const FUTURES_PLAN_TYPES = ['normal_plan', 'track_plan', 'profit_loss'] as const;
export type FuturesPlanType = (typeof FUTURES_PLAN_TYPES)[number];

export const UTA_CATEGORIES = ['SPOT', 'MARGIN', 'USDT-FUTURES', 'COIN-FUTURES', 'USDC-FUTURES'] as const;
export type UtaCategory = (typeof UTA_CATEGORIES)[number];

/** The tax records' `bizType` values on the unified account (`GET /api/v3/tax/records`). */
export const UTA_TAX_BIZ_TYPES = [
  'SPOT',
  'MARGIN',
  'USDT-FUTURES',
  'COIN-FUTURES',
  'USDC-FUTURES',
  'OTHER',
] as const;
export type UtaTaxBizType = (typeof UTA_TAX_BIZ_TYPES)[number];

/** How many days back an endpoint serves. */
export function retentionDaysOf(id: EndpointId): number {
  return ENDPOINTS[id].retentionDays ?? RETENTION_DAYS;
}
