import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { LogPort, MetricsPort } from '../extraction/telemetry';
import { powertoolsLogPort } from './logPort';
import { DEFAULT_METRICS_NAMESPACE } from './metricNames';
import { powertoolsMetricsPort } from './metrics';
import type { SecretRedactor } from './redact';
import { redactorFor } from './redact';

/** The service name when POWERTOOLS_SERVICE_NAME is unset (the stack sets it to the deployment's name prefix). */
export const DEFAULT_SERVICE_NAME = 'bitget-orders';

/** A Lambda process's logger and metrics, built once per cold start. */
export interface LambdaTelemetry {
  logger: Logger;
  metrics: Metrics;
  log: LogPort;
  metricsPort: MetricsPort;
  /** Learns the secrets read after the cold start (the Bitget keys from Secrets Manager). */
  redactor: SecretRedactor;
}

let current: LambdaTelemetry | undefined;

/**
 * Powertools logger and metrics from the environment: POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE,
 * POWERTOOLS_LOG_LEVEL (or LOG_LEVEL). Every line is JSON, passed through the secret redactor.
 */
export function lambdaTelemetry(env: NodeJS.ProcessEnv = process.env): LambdaTelemetry {
  if (current) return current;
  const serviceName = env['POWERTOOLS_SERVICE_NAME']?.trim() || DEFAULT_SERVICE_NAME;
  const redactor = redactorFor(env);
  const level = (env['POWERTOOLS_LOG_LEVEL'] ?? env['LOG_LEVEL'] ?? 'INFO').toUpperCase();
  const logger = new Logger({
    serviceName,
    logLevel: level as 'INFO',
    jsonReplacerFn: redactor.replacer,
  });
  const metrics = new Metrics({
    serviceName,
    namespace: env['POWERTOOLS_METRICS_NAMESPACE']?.trim() || DEFAULT_METRICS_NAMESPACE,
  });
  current = {
    logger,
    metrics,
    log: powertoolsLogPort(logger),
    metricsPort: powertoolsMetricsPort(metrics),
    redactor,
  };
  return current;
}

/** For tests: the next lambdaTelemetry() reads the environment again (and counts as a cold start). */
export function resetLambdaTelemetry(): void {
  current = undefined;
}

/** The fields of the Lambda context the logger reads; tests pass only some. */
export interface LambdaContextFields {
  functionName?: string;
  functionVersion?: string;
  invokedFunctionArn?: string;
  memoryLimitInMB?: string;
  awsRequestId?: string;
}

/** The keys of an event that name what it works on: written on every line of the invocation. */
function eventKeys(event: unknown): Record<string, string> {
  if (typeof event !== 'object' || event === null) return {};
  const e = event as Record<string, unknown>;
  const keys: Record<string, string> = {};
  for (const k of ['runId', 'laneId', 'windowId', 'executionName'] as const) {
    const v = e[k];
    if (typeof v === 'string' && v !== '') keys[k] = v;
  }
  return keys;
}

/**
 * Wraps a Lambda handler: the context (and the cold start) and the event's run id, lane id, window id and
 * execution name on every line, one line when the invocation starts and one when it ends or fails, and the
 * metrics flushed before it returns.
 */
export function instrumented<E, C extends LambdaContextFields | undefined, R>(
  functionName: string,
  handler: (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  return async (event, context) => {
    const t = lambdaTelemetry();
    const name = context?.functionName ?? process.env['AWS_LAMBDA_FUNCTION_NAME'] ?? functionName;
    t.logger.addContext({
      functionName: name,
      functionVersion: context?.functionVersion ?? '$LATEST',
      invokedFunctionArn: context?.invokedFunctionArn ?? '',
      memoryLimitInMB: context?.memoryLimitInMB ?? '',
      awsRequestId: context?.awsRequestId ?? '',
    } as never);
    t.logger.appendKeys(eventKeys(event));
    t.metrics.captureColdStartMetric(name);
    const began = Date.now();
    t.logger.info('invocation started', { stage: functionName });
    try {
      const result = await handler(event, context);
      t.logger.info('invocation ended', { stage: functionName, ms: Date.now() - began });
      return result;
    } catch (err) {
      t.logger.error('invocation failed', {
        stage: functionName,
        ms: Date.now() - began,
        error: err as Error,
      });
      throw err;
    } finally {
      if (t.metrics.hasStoredMetrics()) t.metrics.publishStoredMetrics();
      t.logger.resetKeys();
    }
  };
}
