import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ExecutionDescription } from '../../core/engine';
import { parseExtractionRequest } from '../../core/request';
import {
  factsFromDescription,
  getExecution,
  ImportFailedError,
  importOrders,
  listExecutions,
  listOrders,
  listProcessingLogs,
  recordExecution,
} from '../../db';
import type { ExecutionRecord } from '../../db';
import { resolveBucketUrl } from '../bucketUrl';
import type { ApiContext } from '../context';
import { BadRequestError, ConflictError, isExecutionNotFound, NotFoundError, UpstreamError } from '../errors';
import { readResultFile } from '../resultFile';
import {
  executionLogsSchema,
  executionOrdersSchema,
  getExecutionSchema,
  listExecutionsSchema,
  saveFromUrlSchema,
  startOrdersSchema,
} from '../schemas';
import { startExecution } from '../startExecution';
import { executionSummary, executionView } from '../views';

const DAY_MS = 86_400_000;

interface StartOrdersBody {
  symbols: string[];
  start_ms: number;
  end_ms: number;
  markets?: string[];
  kinds?: string[];
  order?: string;
}
type ArnParams = { Params: { executionArn: string } };

/** The "orders API" system's endpoints. */
export function ordersRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { db } = ctx.deps;

  app.post<{ Body: StartOrdersBody }>('/orders', { schema: startOrdersSchema }, async (request, reply) => {
    const { symbols, start_ms, end_ms, markets, kinds, order } = request.body;
    if (start_ms >= end_ms) throw new BadRequestError('body/start_ms must be before end_ms', 'body/start_ms');
    if (end_ms > ctx.now() + DAY_MS) {
      throw new BadRequestError('body/end_ms must be at most one day in the future', 'body/end_ms');
    }
    const extraction = parseExtractionRequest({
      symbols,
      since: start_ms,
      until: end_ms,
      ...(markets ? { markets } : {}),
      ...(kinds ? { kinds } : {}),
      ...(order ? { order } : {}),
    });
    return reply.status(202).send(await startExecution(ctx, extraction));
  });

  app.get<{ Querystring: { limit: number } }>(
    '/orders/list',
    { schema: listExecutionsSchema },
    async (request) => {
      const { limit } = request.query;
      const [described, records] = await Promise.all([
        ctx.deps.engine.list(limit).catch((error: unknown) => {
          request.log.warn({ err: error }, 'engine list failed; answering from the database');
          return [] as ExecutionDescription[];
        }),
        listExecutions(db, { limit }),
      ]);
      const byArn = new Map<string, { d?: ExecutionDescription; r?: ExecutionRecord }>();
      for (const d of described) byArn.set(d.executionArn, { d });
      for (const r of records) byArn.set(r.executionArn, { ...byArn.get(r.executionArn), r });
      const now = ctx.now();
      const executions = [...byArn.values()]
        .map(({ d, r }) => executionSummary(d, r, now))
        .sort((a, b) => (b.startDate ?? '').localeCompare(a.startDate ?? ''))
        .slice(0, limit);
      return { executions, count: executions.length };
    },
  );

  app.get<ArnParams>('/orders/:executionArn', { schema: getExecutionSchema }, async (request) => {
    const { executionArn } = request.params;
    const description = await describeOrUndefined(ctx, executionArn, request.log);
    if (description) {
      await recordExecution(db, factsFromDescription(description), ctx.now());
      const record = await getExecution(db, executionArn);
      if (description.status === 'SUCCEEDED' && description.output && record?.import.status !== 'imported') {
        await ctx.importer.ensureImported(
          executionArn,
          description.name,
          description.output,
          ctx.importWaitMs,
        );
      }
    }
    const record = await getExecution(db, executionArn);
    if (!description && !record) throw new NotFoundError(`execution ${executionArn} is not known`);
    return executionView(executionArn, description, record, ctx.now());
  });

  app.get<ArnParams & { Querystring: { skip: number; limit: number } }>(
    '/orders/:executionArn/database',
    { schema: executionOrdersSchema },
    async (request) => {
      const { executionArn } = request.params;
      const record = await getExecution(db, executionArn);
      if (!record) throw new NotFoundError(`execution ${executionArn} is not in the database`);
      const page = await listOrders(db, executionArn, request.query);
      return {
        executionArn,
        import: { status: record.import.status, importedOrders: record.import.importedOrders },
        ...page,
      };
    },
  );

  app.get<ArnParams & { Querystring: { limit: number } }>(
    '/orders/:executionArn/logs',
    { schema: executionLogsSchema },
    async (request) => {
      const { executionArn } = request.params;
      if (!(await getExecution(db, executionArn)))
        throw new NotFoundError(`execution ${executionArn} is not in the database`);
      const logs = await listProcessingLogs(db, executionArn, request.query);
      return {
        executionArn,
        logs: logs.map((l) => ({ ...l, createdAt: new Date(l.createdAt).toISOString() })),
      };
    },
  );

  app.post<ArnParams & { Body: { url: string } }>(
    '/orders/:executionArn/save-from-url',
    { schema: saveFromUrlSchema },
    async (request) => {
      const { executionArn } = request.params;
      const s3 = ctx.deps.s3;
      const endpoint = await s3.config.endpoint?.();
      const location = resolveBucketUrl(request.body.url, {
        bucket: ctx.deps.bucket,
        region: await s3.config.region(),
        ...(endpoint
          ? {
              endpoint: new URL(
                `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}`,
              ),
            }
          : {}),
      });
      const orders = await readResultFile(s3, location, ctx.maxResultFileBytes);
      const description = await describeOrUndefined(ctx, executionArn, request.log).catch(() => undefined);
      if (description) await recordExecution(db, factsFromDescription(description), ctx.now());
      try {
        const outcome = await importOrders(db, { executionArn }, orders, { force: true, now: ctx.now });
        return {
          executionArn,
          source: `s3://${location.bucket}/${location.key}`,
          orders: orders.length,
          status: outcome.status,
          importedOrders: outcome.importedOrders,
          insertedNow: outcome.insertedNow,
        };
      } catch (error) {
        if (error instanceof ImportFailedError) throw new ConflictError(error.message);
        throw error;
      }
    },
  );
}

/** The engine's description, undefined when the engine does not know the execution. */
async function describeOrUndefined(
  ctx: ApiContext,
  executionArn: string,
  log: FastifyBaseLogger,
): Promise<ExecutionDescription | undefined> {
  try {
    return await ctx.deps.engine.describe(executionArn);
  } catch (error) {
    if (isExecutionNotFound(error)) return undefined;
    log.error({ err: error, executionArn }, 'engine describe failed');
    throw new UpstreamError('the execution engine could not describe the execution');
  }
}
