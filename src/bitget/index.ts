export { BitgetClient, DEFAULT_BASE_URL, accountLabel, sharedRateLimiters } from './client';
export type {
  AccountMode,
  BitgetClientOptions,
  FuturesHistoryQuery,
  FuturesPlanQuery,
  Page,
  SpotHistoryQuery,
  SpotPlanQuery,
  UtaHistoryQuery,
} from './client';
export { getBitgetClient, clearBitgetClients } from './registry';
export { bitgetConfigFromEnv } from './config';
export type { BitgetEnvConfig } from './config';
export {
  BitgetApiError,
  BitgetFatalError,
  BitgetResponseError,
  BitgetRetryableError,
  RETRYABLE_EXCHANGE_CODES,
  categoriseFailure,
} from './errors';
export type { BitgetApiErrorFields, FailureFacts } from './errors';
export { DEFAULT_RATE_MARGIN, RateLimiters, minTimeFor } from './rate-limits';
export type { RateLimitOptions } from './rate-limits';
export {
  normaliseOrder,
  unifyOrderStatus,
  unifyPlanStatus,
  PLAN_STATUS,
  marketOfProductType,
  marketOfUtaCategory,
} from './normalise';
export type { OrderSource } from './normalise';
export { buildQueryString, sign } from './signing';
export type { Credentials } from './signing';
export type { ClientStats } from './stats';
export type { RetryInfo } from './transport';
export type {
  FuturesContract,
  FuturesOrderRow,
  FuturesPlanRow,
  SpotOrderRow,
  SpotPlanRow,
  SpotSymbol,
  UtaOrderRow,
  UtaStrategyRow,
} from './schemas';
export { canonicalDecimal, negateDecimal } from './decimal';
export {
  DAY_MS,
  ENDPOINTS,
  FUTURES_PLAN_TYPES,
  IP_BAN_MS,
  IP_LIMIT_PER_MINUTE,
  RETENTION_DAYS,
  UTA_CATEGORIES,
} from './endpoints';
export type { EndpointId, EndpointSpec, FuturesPlanType, UtaCategory } from './endpoints';
