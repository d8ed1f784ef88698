import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { apiKeyGuard } from './apiKey';
import type { ApiContext } from './context';
import type { ApiDeps } from './deps';
import { DEFAULT_BODY_LIMIT, DEFAULT_IMPORT_WAIT_MS, DEFAULT_MAX_RESULT_FILE_BYTES } from './deps';
import { errorBody, handleError } from './errorHandler';
import { TooManyRequestsError } from './errors';
import { parseStateMachineArn } from './executionArn';
import {
  DEFAULT_MAX_RUNNING_EXECUTIONS,
  DEFAULT_PRESIGN_SECONDS,
  DEFAULT_RUNNING_RETRY_AFTER_SECONDS,
  resolveRateLimit,
} from './limits';
import { hostGuard, postGuard } from './requestGuards';
import { ResultImporter } from './ResultImporter';
import { RunningExecutionsCap } from './RunningExecutionsCap';
import { archiveRoutes } from './routes/archive';
import { metaRoutes } from './routes/meta';
import { ordersRoutes } from './routes/orders';
import { runsRoutes } from './routes/runs';
import { ultraRoutes } from './routes/ultra';
import { webRoutes } from './routes/web';
import { bodiesWithoutCoercion } from './validators';
import { PRODUCT_NAME, VERSION } from './version';

/** Header and field names whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers["x-api-key"]',
  'headers.authorization',
  'apiKey',
  'secretKey',
  'passphrase',
];

/**
 * The HTTP API: both source systems' endpoints, validated, documented at /docs, compressed on request.
 * Every request passes, in this order: security headers (helmet), the Host allow-list (on loopback), the
 * per-client rate limit, the API key (wrong keys limited harder), and the POST media-type rule.
 */
export function buildApi(deps: ApiDeps): FastifyInstance {
  parseStateMachineArn(deps.stateMachineArn);
  const app = Fastify({
    logger: loggerOptions(deps.logger),
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Unknown fields are refused (Fastify's default silently removes them); bodies are never coerced.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    schemaController: { compilersFactory: { buildValidator: bodiesWithoutCoercion() } },
    routerOptions: { maxParamLength: 400 },
  });
  // Responses are written as they are: the schemas document them (and tests hold responses against them), a
  // serializer compiled from them would silently drop or coerce what does not fit.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // Only JSON bodies: Fastify's text/plain parser is what let a cross-site form start runs.
  app.removeContentTypeParser('text/plain');
  const now = deps.now ?? Date.now;
  let closed = false;
  const ctx: ApiContext = {
    deps,
    now,
    startedAt: now(),
    engineKind: deps.engineKind ?? engineKindOf(deps.engine),
    importer: new ResultImporter(deps.db, deps.s3, app.log, now),
    importWaitMs: deps.importWaitMs ?? DEFAULT_IMPORT_WAIT_MS,
    maxResultFileBytes: deps.maxResultFileBytes ?? DEFAULT_MAX_RESULT_FILE_BYTES,
    presignSeconds: deps.presignSeconds ?? DEFAULT_PRESIGN_SECONDS,
    runningCap: new RunningExecutionsCap({
      engine: deps.engine,
      db: deps.db,
      max: deps.maxRunningExecutions ?? DEFAULT_MAX_RUNNING_EXECUTIONS,
      retryAfterSeconds: deps.runningRetryAfterSeconds ?? DEFAULT_RUNNING_RETRY_AFTER_SECONDS,
      now,
    }),
    log: app.log,
    closing: [],
    isClosed: () => closed,
  };
  app.decorate('importer', ctx.importer);

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(errorBody(404, `route ${request.method} ${request.url.split('?')[0]} does not exist`));
  });

  // Helmet's defaults, except upgrade-insecure-requests: `serve` speaks plain HTTP on loopback, and a page
  // told to upgrade would fetch /docs' scripts over https from a server that has none.
  void app.register(helmet, {
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  const limits = deps.rateLimit === false ? undefined : resolveRateLimit(deps.rateLimit);
  void app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new TooManyRequestsError(
        `rate limit exceeded: at most ${context.max} requests in ${(limits?.timeWindowMs ?? 0) / 1000} s per client; retry in ${context.after}`,
        Math.max(1, Math.ceil(context.ttl / 1000)),
      ),
  });
  const apiKey = deps.apiKey;
  // Hooks are added once the plugins above are loaded (the limiters need them) and before any route.
  app.after(() => {
    if (deps.allowedHosts) app.addHook('onRequest', hostGuard(deps.allowedHosts));
    if (limits) app.addHook('onRequest', app.rateLimit({ max: limits.max, timeWindow: limits.timeWindowMs }));
    if (apiKey !== undefined) {
      const failedKeys = app.createRateLimit({
        max: limits?.failedKeyMax ?? Number.MAX_SAFE_INTEGER,
        timeWindow: limits?.failedKeyWindowMs ?? 60_000,
      });
      app.addHook('onRequest', apiKeyGuard(apiKey, failedKeys));
    }
    app.addHook('onRequest', postGuard);
  });

  void app.register(compress, { global: true, threshold: 1024 });
  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `${PRODUCT_NAME} API`,
        version: VERSION,
        description: 'Bitget order extraction and storage.',
      },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
      ...(apiKey !== undefined ? { security: [{ apiKey: [] }] } : {}),
    },
  });
  void app.register(swaggerUi, { routePrefix: '/docs' });
  void app.register(async (scope) => {
    ultraRoutes(scope, ctx);
    ordersRoutes(scope, ctx);
    metaRoutes(scope, ctx);
    archiveRoutes(scope, ctx);
    runsRoutes(scope, ctx);
    webRoutes(scope, ctx);
  });
  app.addHook('preClose', async () => {
    closed = true;
    for (const stop of ctx.closing.splice(0)) stop();
  });
  app.addHook('onClose', async () => ctx.importer.drain());
  return app;
}

function engineKindOf(engine: object): string {
  const kind = (engine as { kind?: unknown }).kind;
  return typeof kind === 'string' ? kind : 'custom';
}

function loggerOptions(logger: ApiDeps['logger']): FastifyServerOptions['logger'] {
  if (logger === undefined || logger === false) return false;
  const options = logger === true ? {} : logger;
  return {
    level: options.level ?? 'info',
    ...(options.stream ? { stream: options.stream } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The importer of succeeded executions' results (drained on close). */
    importer: ResultImporter;
  }
}
