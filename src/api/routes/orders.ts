import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ExecutionDescription } from '../../core/engine';
import { ExecutionNotFoundError } from '../../core/errors';
import { parseExtractionRequest } from '../../core/request';
import {
  countExecutions,
  countOrders,
  countSymbols,
  factsFromDescription,
  getExecution,
  ImportFailedError,
  importOrders,
  listExecutions,
  listProcessingLogs,
  listStoredOrders,
  recordExecution,
} from '../../db';
import type { ExecutionRecord } from '../../db';
import { resolveBucketUrl } from '../bucketUrl';
import type { ApiContext } from '../context';
import {
  BadRequestError,
  ConflictError,
  ForeignExecutionError,
  NotFoundError,
  UpstreamError,
} from '../errors';
import { belongsTo } from '../executionArn';
import { readResultFile } from '../resultFile';
import { progressOf } from '../runInfo';
import { parseRunSummary, presignResult, readRunSummary } from '../resultSummary';
import {
  executionLogsSchema,
  executionOrdersSchema,
  getExecutionSchema,
  listExecutionsSchema,
  saveFromUrlSchema,
  startOrdersSchema,
} from '../schemas';
import { startExecution } from '../startExecution';
import { executionSummary, executionView, storedOrderView } from '../views';
import type { ResultFacts } from '../views';

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
      markets,
      kinds,
      order,
    });
    const started = await startExecution(ctx, extraction);
    return reply.status(202).send({
      ...started,
      status: 'started',
      symbols: extraction.symbols ?? [],
      message: `extraction of ${(extraction.symbols ?? []).length} symbols started: poll ${started.links.status}`,
    });
  });

  app.get<{ Querystring: { limit: number } }>(
    '/orders/list',
    { schema: listExecutionsSchema },
    async (request) => {
      const { limit } = request.query;
      const [described, records, recorded] = await Promise.all([
        ctx.deps.engine.list(limit).catch((error: unknown) => {
          request.log.warn({ err: error }, 'engine list failed; answering from the database');
          return [] as ExecutionDescription[];
        }),
        listExecutions(db, { limit }),
        countExecutions(db),
      ]);
      const byArn = new Map<string, { d?: ExecutionDescription; r?: ExecutionRecord }>();
      for (const d of described) byArn.set(d.executionArn, { d });
      for (const r of records) byArn.set(r.executionArn, { ...byArn.get(r.executionArn), r });
      const now = ctx.now();
      const executions = [...byArn.values()]
        .map(({ d, r }) => executionSummary(d, r, now))
        .sort((a, b) => (b.startDate ?? '').localeCompare(a.startDate ?? ''))
        .slice(0, limit);
      // The database's executions plus those only the engine listed (not recorded yet).
      const engineOnly = [...byArn.values()].filter(({ r }) => r === undefined).length;
      return { executions, count: executions.length, total_executions: recorded + engineOnly };
    },
  );

  app.get<ArnParams>('/orders/:executionArn', { schema: getExecutionSchema }, async (request) => {
    const { executionArn } = request.params;
    ownExecution(ctx, executionArn);
    const description = await describeOrUndefined(ctx, executionArn, request.log);
    if (description) {
      // Written only when the engine says something the row does not hold yet: an import of this execution may
      // be running (it starts when the engine settles), and a needless UPDATE of its row can deadlock it (MySQL).
      let record = await getExecution(db, executionArn);
      if (!recordHolds(record, description)) {
        await recordExecution(db, factsFromDescription(description), ctx.now());
        record = await getExecution(db, executionArn);
      }
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
    const status = description?.status ?? record?.status;
    const facts =
      status === 'SUCCEEDED' ? await resultFacts(ctx, executionArn, description, record) : undefined;
    const view = executionView(executionArn, description, record, ctx.now(), facts);
    const progress = description?.status === 'RUNNING' ? await progressOf(ctx, description) : null;
    return progress ? { ...view, progress } : view;
  });

  app.get<ArnParams & { Querystring: { skip: number; limit: number } }>(
    '/orders/:executionArn/database',
    { schema: executionOrdersSchema },
    async (request) => {
      const { executionArn } = request.params;
      ownExecution(ctx, executionArn);
      const record = await getExecution(db, executionArn);
      if (!record) throw new NotFoundError(`execution ${executionArn} is not in the database`);
      const [page, symbols] = await Promise.all([
        listStoredOrders(db, executionArn, request.query),
        countSymbols(db, executionArn),
      ]);
      const jsonKey = record.result?.ordersJsonKey;
      return {
        executionArn,
        import: { status: record.import.status, importedOrders: record.import.importedOrders },
        orders: page.orders.map(storedOrderView),
        total: page.total,
        skip: page.skip,
        limit: page.limit,
        has_more: page.has_more,
        execution_arn: executionArn,
        execution_info: {
          status: record.status,
          total_orders: page.total,
          total_symbols: symbols,
          s3_uri: record.result && jsonKey ? `s3://${record.result.bucket}/${jsonKey}` : null,
          created_at: new Date(record.createdAt).toISOString(),
        },
        pagination: {
          skip: page.skip,
          limit: page.limit,
          total_orders: page.total,
          returned_count: page.orders.length,
          has_more: page.has_more,
        },
      };
    },
  );

  app.get<ArnParams & { Querystring: { limit: number } }>(
    '/orders/:executionArn/logs',
    { schema: executionLogsSchema },
    async (request) => {
      const { executionArn } = request.params;
      ownExecution(ctx, executionArn);
      if (!(await getExecution(db, executionArn)))
        throw new NotFoundError(`execution ${executionArn} is not in the database`);
      const logs = await listProcessingLogs(db, executionArn, request.query);
      return {
        executionArn,
        logs: logs.map((l) => ({ ...l, createdAt: new Date(l.createdAt).toISOString() })),
      };
    },
  );

  app.post<ArnParams & { Body?: { url?: string }; Querystring: { public_url?: string } }>(
    '/orders/:executionArn/save-from-url',
    { schema: saveFromUrlSchema },
    async (request) => {
      const startedAt = performance.now();
      const { executionArn } = request.params;
      ownExecution(ctx, executionArn);
      const url = sourceUrl(request.body?.url, request.query.public_url);
      const s3 = ctx.deps.s3;
      const endpoint = await s3.config.endpoint?.();
      const location = resolveBucketUrl(url, {
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
        const source = `s3://${location.bucket}/${location.key}`;
        return {
          executionArn,
          source,
          orders: orders.length,
          status: outcome.status,
          importedOrders: outcome.importedOrders,
          insertedNow: outcome.insertedNow,
          success: true,
          message: `saved ${outcome.importedOrders} orders of ${source} (${outcome.insertedNow} new)`,
          saved_orders_count: outcome.importedOrders,
          execution_arn: executionArn,
          processing_time_seconds: (performance.now() - startedAt) / 1000,
        };
      } catch (error) {
        if (error instanceof ImportFailedError) throw new ConflictError(error.message);
        throw error;
      }
    },
  );
}

/** Whether the database row already says what the engine's description says (status, stop, result). */
export function recordHolds(record: ExecutionRecord | undefined, d: ExecutionDescription): boolean {
  if (!record || record.status !== d.status || record.request === null) return false;
  if ((d.stopDate?.getTime() ?? null) !== record.stopDate) return false;
  if (d.output && (record.result === null || record.ordersCount !== d.output.orders)) return false;
  if ((d.error?.slice(0, 4000) ?? null) !== record.error) return false;
  if ((d.cause?.slice(0, 4000) ?? null) !== record.cause) return false;
  return true;
}

/** An execution ARN of another state machine, region, account or partition: 404, the engine is not asked. */
function ownExecution(ctx: ApiContext, executionArn: string): void {
  if (!belongsTo(executionArn, ctx.deps.stateMachineArn)) throw new ForeignExecutionError(executionArn);
}

/** The body's `url` or the source system's `?public_url=`, exactly one of them. */
function sourceUrl(bodyUrl: string | undefined, publicUrl: string | undefined): string {
  if (bodyUrl !== undefined && publicUrl !== undefined) {
    throw new BadRequestError('give either body/url or querystring/public_url, not both', 'body/url');
  }
  const url = bodyUrl ?? publicUrl;
  if (url === undefined)
    throw new BadRequestError('body/url is required (or querystring/public_url)', 'body/url');
  return url;
}

/** What a read of a succeeded execution adds: its summary, a URL signed now, the orders stored. */
async function resultFacts(
  ctx: ApiContext,
  executionArn: string,
  description: ExecutionDescription | undefined,
  record: ExecutionRecord | undefined,
): Promise<ResultFacts> {
  const { s3, db } = ctx.deps;
  const output = description?.output;
  const bucket = output?.bucket ?? record?.result?.bucket;
  const summaryKey = output?.summaryKey ?? record?.result?.summaryKey;
  const jsonKey = output?.ordersJsonKey ?? record?.result?.ordersJsonKey;
  const complete = output?.complete ?? record?.complete ?? false;
  const summary =
    parseRunSummary(record?.summary) ??
    (bucket && summaryKey ? await readRunSummary(s3, bucket, summaryKey) : null);
  const s3DataUrl =
    complete && bucket && jsonKey ? await presignResult(s3, bucket, jsonKey, ctx.presignSeconds) : null;
  return {
    summary,
    s3DataUrl,
    presignSeconds: ctx.presignSeconds,
    ordersInDb: await countOrders(db, executionArn),
  };
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
    if (error instanceof ExecutionNotFoundError) return undefined;
    log.error({ err: error, executionArn }, 'engine describe failed');
    throw new UpstreamError('the execution engine could not describe the execution');
  }
}
