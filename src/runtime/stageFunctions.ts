import { BitgetClient, DEFAULT_BASE_URL, sharedRateLimiters } from '../bitget/BitgetClient';
import type { EndpointId } from '../bitget/endpoints';
import { EnvReader } from '../config/EnvReader';
import { loadCredentials } from '../config/credentials';
import { bitgetExchange } from '../extraction/bitgetExchange';
import type { ExchangePort } from '../extraction/exchange';
import type { StageHandlers } from '../extraction/stageHandlers';
import { createStageHandlers } from '../extraction/stageHandlers';
import { DEFAULT_EXTRACTION_SETTINGS } from '../extraction/stages';
import type { PageQuery } from '../extraction/cursor';
import { RunStore, createS3Client } from '../storage';
import { instrumented, lambdaTelemetry, resetLambdaTelemetry } from '../observability/lambda';
import type { LambdaContextFields } from '../observability/lambda';
import { withRunLease } from './runLease';

/** The slice of the Lambda context the handlers use. */
export interface LambdaContextLike extends LambdaContextFields {
  getRemainingTimeInMillis(): number;
}

/**
 * How long before the Lambda timeout an invocation stops starting requests: enough for in-flight requests
 * (with the client's retries) to settle and the last checkpoint to reach S3.
 */
export function stopMarginMs(remainingMs: number): number {
  return Math.min(90_000, Math.max(2_000, Math.floor(remainingMs * 0.2)));
}

/**
 * The exchange, created on first use: functions that never call Bitget (unifier, collector) never read the
 * secret. The secret is read once per cold start. The client's rate limiters exist before it does, so the rate
 * a lane's split decisions use is the client's own from the first invocation on, as in a local run.
 */
function lazyExchange(env: NodeJS.ProcessEnv): ExchangePort {
  const baseUrl = (new EnvReader(env).optional('BITGET_BASE_URL') ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const limiters = sharedRateLimiters(baseUrl);
  let exchange: Promise<ExchangePort> | undefined;
  let ready: ExchangePort | undefined;
  const get = () =>
    (exchange ??= loadCredentials(env).then((credentials) => {
      lambdaTelemetry().redactor.add(credentials.apiKey, credentials.secretKey, credentials.passphrase);
      const client = new BitgetClient({ baseUrl, credentials, limiters });
      return (ready = bitgetExchange(client));
    }));
  return {
    serverTime: async () => (await get()).serverTime(),
    serverNow: () => ready?.serverNow?.(),
    accountMode: async () => (await get()).accountMode(),
    spotSymbols: async () => (await get()).spotSymbols(),
    fetchPage: async (q: PageQuery) => (await get()).fetchPage(q),
    rateLimit: (endpoint: EndpointId) => limiters.ratePerSecond(endpoint),
    endpointStats: (endpoint: EndpointId) =>
      ready?.endpointStats(endpoint) ?? { requests: 0, retries: 0, http429: 0 },
  };
}

let cached: { handlers: StageHandlers; deadline: { context?: LambdaContextLike } } | undefined;

/** The stage handlers of a Lambda process, built once per cold start from its environment. */
export function lambdaStageHandlers(env: NodeJS.ProcessEnv = process.env) {
  if (!cached) {
    const config = new EnvReader(env);
    const bucket = config.required('BUCKET_NAME');
    const store = new RunStore(
      createS3Client({
        bucket,
        region: config.optional('AWS_REGION'),
        endpoint: config.optional('S3_ENDPOINT'),
      }),
      bucket,
    );
    const deadline: { context?: LambdaContextLike } = {};
    const telemetry = lambdaTelemetry(env);
    const handlers = withRunLease(
      createStageHandlers(
        {
          store,
          exchange: lazyExchange(env),
          settings: DEFAULT_EXTRACTION_SETTINGS,
          log: telemetry.log,
          metrics: telemetry.metricsPort,
        },
        () => {
          const remaining = deadline.context?.getRemainingTimeInMillis() ?? 60_000;
          return Date.now() + remaining - stopMarginMs(remaining);
        },
      ),
      store,
      // Longer than the longest invocation (Lambda's 15 min): every lane invocation renews it.
      { ttlMs: 20 * 60_000 },
    );
    cached = { handlers, deadline };
  }
  return cached;
}

/**
 * The Lambda handler of one stage, which `functions/<name>/index.ts` exports: the stage handler itself, given
 * the invocation's deadline from the Lambda context.
 */
export function stageHandler<K extends keyof StageHandlers>(name: K) {
  return instrumented(
    name,
    async (event: unknown, context: LambdaContextLike): Promise<Awaited<ReturnType<StageHandlers[K]>>> => {
      const runtime = lambdaStageHandlers();
      runtime.deadline.context = context;
      return (await runtime.handlers[name](event)) as Awaited<ReturnType<StageHandlers[K]>>;
    },
  );
}

/** For tests: forget the cold-start state. */
export function resetLambdaRuntime(): void {
  cached = undefined;
  resetLambdaTelemetry();
}
