export { buildApi, REDACTED_PATHS } from './app';
export {
  startApiServer,
  assertStrongApiKey,
  isLoopbackHost,
  DEFAULT_API_HOST,
  DEFAULT_API_PORT,
} from './server';
export type { StartApiServerOptions, RunningApiServer } from './server';
export type { ApiDeps } from './deps';
export { DEFAULT_BODY_LIMIT, DEFAULT_MAX_RESULT_FILE_BYTES, DEFAULT_IMPORT_WAIT_MS } from './deps';
export { FUTURES_PRODUCT_TYPES, unavailableSymbolSource, summariseSymbols } from './symbols';
export type { SymbolSource, SymbolInfo, SymbolListSummary } from './symbols';
export {
  ApiError,
  HttpError,
  BadRequestError,
  NotFoundError,
  UrlNotAllowedError,
  PayloadTooLargeError,
  UnprocessableContentError,
  ConflictError,
  UpstreamError,
  MisdirectedRequestError,
  UnsupportedMediaTypeError,
  TooManyRequestsError,
  ForeignExecutionError,
  NotImplementedError,
  InsecureBindError,
  WeakApiKeyError,
  InvalidStateMachineArnError,
  SymbolSourceUnavailableError,
} from './errors';
export { resolveBucketUrl } from './bucketUrl';
export type { BucketUrlPolicy, ObjectLocation } from './bucketUrl';
export { readResultFile, parseResultFile } from './resultFile';
export {
  EXECUTION_ARN_PATTERN,
  isExecutionArn,
  belongsTo,
  localStateMachineArn,
  parseStateMachineArn,
  stateMachineOf,
} from './executionArn';
export { humanDuration, preciseDuration } from './duration';
export {
  DEFAULT_RATE_LIMIT,
  DEFAULT_MAX_RUNNING_EXECUTIONS,
  DEFAULT_RUNNING_RETRY_AFTER_SECONDS,
  DEFAULT_PRESIGN_SECONDS,
  MIN_API_KEY_LENGTH,
} from './limits';
export type { RateLimitOptions } from './limits';
export { loopbackHosts } from './requestGuards';
export { apiKeyMatches } from './apiKey';
export { ResultImporter } from './ResultImporter';
export { VERSION } from './version';
