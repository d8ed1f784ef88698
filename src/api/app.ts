import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { apiKeyMatches, isPublicPath } from './apiKey';
import type { ApiContext } from './context';
import type { ApiDeps } from './deps';
import { DEFAULT_BODY_LIMIT, DEFAULT_IMPORT_WAIT_MS, DEFAULT_MAX_RESULT_FILE_BYTES } from './deps';
import { errorBody, handleError } from './errorHandler';
import { ResultImporter } from './resultImporter';
import { archiveRoutes } from './routes/archive';
import { metaRoutes } from './routes/meta';
import { ordersRoutes } from './routes/orders';
import { ultraRoutes } from './routes/ultra';
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

/** The HTTP API: both source systems' endpoints, validated, documented at /docs, compressed on request. */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(deps.logger),
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Unknown fields are refused (Fastify's default silently removes them).
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    routerOptions: { maxParamLength: 400 },
  });
  const now = deps.now ?? Date.now;
  const ctx: ApiContext = {
    deps,
    now,
    startedAt: now(),
    engineKind: deps.engineKind ?? engineKindOf(deps.engine),
    importer: new ResultImporter(deps.db, deps.s3, app.log, now),
    importWaitMs: deps.importWaitMs ?? DEFAULT_IMPORT_WAIT_MS,
    maxResultFileBytes: deps.maxResultFileBytes ?? DEFAULT_MAX_RESULT_FILE_BYTES,
  };
  app.decorate('importer', ctx.importer);

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(errorBody(404, `route ${request.method} ${request.url.split('?')[0]} does not exist`));
  });
  const apiKey = deps.apiKey;
  if (apiKey !== undefined) {
    app.addHook('onRequest', async (request, reply) => {
      if (isPublicPath(request.url)) return;
      if (!apiKeyMatches(request.headers['x-api-key'], apiKey)) {
        return reply
          .status(401)
          .send(errorBody(401, 'a valid x-api-key header is required', 'headers/x-api-key'));
      }
    });
  }

  void app.register(compress, { global: true, threshold: 1024 });
  void app.register(swagger, {
    openapi: {
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
