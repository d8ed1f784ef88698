import type { FastifyInstance } from 'fastify';
import { parseExtractionRequest } from '../../core/request';
import type { ApiContext } from '../context';
import { extractOrdersSchema, extractSingleSymbolSchema, healthSchema } from '../schemas';
import { startExecution } from '../startExecution';
import { VERSION } from '../version';

/** The "ultra" extraction system's endpoints. */
export function ultraRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post('/extract-orders', { schema: extractOrdersSchema }, async (request, reply) => {
    const extraction = parseExtractionRequest(request.body ?? {});
    const started = await startExecution(ctx, extraction);
    return reply.status(202).send({
      ...started,
      status: 'started',
      message: `extraction of ${extraction.symbols ? extraction.symbols.join(', ') : 'every symbol'} started: poll ${started.links.status}`,
    });
  });

  app.post<{ Params: { symbol: string } }>(
    '/extract-single-symbol/:symbol',
    { schema: extractSingleSymbolSchema },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const extraction = parseExtractionRequest({ ...body, symbols: [request.params.symbol] });
      const started = await startExecution(ctx, extraction);
      const symbol = extraction.symbols![0]!;
      return reply.status(202).send({
        ...started,
        status: 'processing',
        symbol,
        message: `extraction of ${symbol} started: poll ${started.links.status}`,
      });
    },
  );

  app.get('/health', { schema: healthSchema }, async (_request, reply) => {
    const reachable = await ctx.deps.db.ping();
    return reply.status(reachable ? 200 : 503).send({
      status: reachable ? 'ok' : 'degraded',
      database: { kind: ctx.deps.db.kind, reachable },
      version: VERSION,
      uptimeSeconds: Math.max(0, Math.round((ctx.now() - ctx.startedAt) / 1000)),
    });
  });
}
