/**
 * The Bitget endpoints the product calls, with their documented budgets (shared/reference/bitget-api.md).
 * Both the client (to throttle) and the simulator (to enforce) read this table.
 */
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
  | 'utaAccountInfo';

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
