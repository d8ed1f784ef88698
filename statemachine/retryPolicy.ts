import { exponentialRetry, type Retrier } from './asl';

/** Transient failures of the Lambda service itself (the invocation never ran or its result was lost). */
export const LAMBDA_SERVICE_ERROR_NAMES = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
] as const;

/**
 * Errors of the product worth another attempt that nothing below has retried yet. The error name is what
 * Retry matches, so the handlers throw errors whose `name` is one of these. A timed-out invocation
 * (Sandbox.Timedout, Lambda.Unknown, States.Timeout) is safe to retry: the functions resume from saved cursors.
 *
 * `BitgetRetryableError` is absent on purpose: the client has already retried it with backoff (6 attempts), and
 * inside a lane a failing page counts against its cursor's breaker. Retrying it here too multiplied the
 * attempts (6 × 6: an unreachable exchange took minutes to report).
 */
export const RETRYABLE_ERROR_NAMES = [
  'StorageTransientError',
  'Sandbox.Timedout',
  'Lambda.Unknown',
  'States.Timeout',
] as const;

/** The Retry block every Task of the extraction machine carries. */
export function taskRetriers(): Retrier[] {
  return [
    exponentialRetry(LAMBDA_SERVICE_ERROR_NAMES, { intervalSeconds: 2, maxAttempts: 6, maxDelaySeconds: 30 }),
    exponentialRetry(RETRYABLE_ERROR_NAMES, { intervalSeconds: 5, maxAttempts: 6, maxDelaySeconds: 120 }),
  ];
}
