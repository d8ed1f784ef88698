import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ExecutionDescription } from '../../core/engine';
import { ExecutionNotFoundError } from '../../core/errors';
import {
  factsFromDescription,
  getExecution,
  listExecutions,
  recordExecution,
  addProcessingLog,
} from '../../db';
import type { ExecutionRecord } from '../../db';
import type { ApiContext } from '../context';
import { ConflictError, ForeignExecutionError, NotFoundError, UpstreamError } from '../errors';
import { belongsTo } from '../executionArn';
import { listOrdersAfter } from '../orderQuery';
import { recordHolds } from './orders';
import type { OrderFilters } from '../orderQuery';
import { ensureResultFile, resultFile } from '../runFiles';
import { progressOf, runIdOf, runStoreOf } from '../runInfo';
import {
  filteredOrdersSchema,
  runEventsSchema,
  runFileSchema,
  runReportSchema,
  stopExecutionSchema,
} from '../runSchemas';
import { bothTimes, parseTime } from '../times';
import { storedOrderView } from '../views';

type ArnParams = { Params: { executionArn: string } };
interface FilterQuery {
  market?: string;
  kind?: string;
  symbol?: string;
  status?: string;
  since?: string;
  until?: string;
  after?: string;
  limit: number;
}

const EVENT_INTERVAL_MS = 1000;
const list = (value: string | undefined) => (value ? [...new Set(value.split(','))] : undefined);

/** Runs as a person follows them: stop, filtered orders, the report and result files, live events. */
export function runsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { db } = ctx.deps;

  app.delete<ArnParams>('/orders/:executionArn', { schema: stopExecutionSchema }, async (request) => {
    const { executionArn } = request.params;
    if (!belongsTo(executionArn, ctx.deps.stateMachineArn)) throw new ForeignExecutionError(executionArn);
    const engine = ctx.deps.engine;
    let description: ExecutionDescription;
    try {
      description = await engine.describe(executionArn);
    } catch (error) {
      if (error instanceof ExecutionNotFoundError)
        throw new NotFoundError(`execution ${executionArn} is not known to the engine`);
      throw new UpstreamError('the execution engine could not describe the execution');
    }
    if (description.status !== 'RUNNING') {
      throw new ConflictError(
        `execution ${executionArn} is ${description.status}, not RUNNING: nothing to stop`,
      );
    }
    if (!engine.stop) throw new ConflictError(`the ${ctx.engineKind} engine cannot stop executions`);
    await engine.stop(executionArn, 'stopped through DELETE /orders/{executionArn}');
    const after = await engine.describe(executionArn).catch(() => description);
    await recordExecution(db, factsFromDescription(after), ctx.now());
    await addProcessingLog(db, executionArn, 'info', 'execution stopped by a DELETE', ctx.now());
    const runId = runIdOf(after, undefined);
    return {
      executionArn,
      runId,
      status: after.status === 'RUNNING' ? 'STOPPING' : after.status,
      resumable: true,
      message: `execution stopped; its cursors stay in the bucket: resume with \`bitget-orders extract --run-id ${runId ?? '<run id>'}\``,
    };
  });

  app.get<ArnParams & { Querystring: FilterQuery }>(
    '/orders/:executionArn/orders',
    { schema: filteredOrdersSchema },
    async (request) => {
      const { executionArn } = request.params;
      if (!belongsTo(executionArn, ctx.deps.stateMachineArn)) throw new ForeignExecutionError(executionArn);
      if (!(await getExecution(db, executionArn)))
        throw new NotFoundError(`execution ${executionArn} is not in the database`);
      const q = request.query;
      const filters: OrderFilters = {
        ...(q.market ? { markets: list(q.market)! } : {}),
        ...(q.kind ? { kinds: list(q.kind)! } : {}),
        ...(q.symbol ? { symbols: list(q.symbol)!.map((s) => s.toUpperCase()) } : {}),
        ...(q.status ? { statuses: list(q.status)! } : {}),
        ...(q.since !== undefined ? { since: parseTime(q.since, 'querystring/since') } : {}),
        ...(q.until !== undefined ? { until: parseTime(q.until, 'querystring/until') } : {}),
      };
      const page = await listOrdersAfter(db, executionArn, filters, {
        limit: q.limit,
        after: q.after,
      });
      return {
        executionArn,
        filters: {
          market: filters.markets ?? null,
          kind: filters.kinds ?? null,
          symbol: filters.symbols ?? null,
          status: filters.statuses ?? null,
          since: bothTimes(filters.since),
          until: bothTimes(filters.until),
        },
        orders: page.orders.map((stored) => {
          const { order_id: _o, c_time: _c, created_at: _s, ...view } = storedOrderView(stored);
          return {
            ...view,
            cTimeIso: new Date(stored.order.cTime).toISOString(),
            uTimeIso: stored.order.uTime === null ? null : new Date(stored.order.uTime).toISOString(),
          };
        }),
        count: page.orders.length,
        matched: page.matched,
        limit: q.limit,
        next: page.next,
      };
    },
  );

  app.get<{ Params: { runId: string } }>(
    '/runs/:runId/report',
    { schema: runReportSchema },
    async (request, reply) => sendResultFile(ctx, request.params.runId, 'report.html', reply),
  );

  app.get<{ Params: { runId: string; name: string } }>(
    '/runs/:runId/files/:name',
    { schema: runFileSchema },
    async (request, reply) => sendResultFile(ctx, request.params.runId, request.params.name, reply),
  );

  app.get<{ Querystring: { limit: number; once: boolean } }>(
    '/runs/events',
    { schema: runEventsSchema },
    async (request, reply) => {
      const { limit, once } = request.query;
      const wantsJson =
        once ||
        ctx.deps.eventStream === false ||
        !(request.headers.accept ?? '').includes('text/event-stream');
      if (wantsJson) return runsEvent(ctx, limit, request);
      streamEvents(ctx, limit, request, reply);
      return reply;
    },
  );
}

/** Streams the file or, when the deployment presigns, redirects to a URL signed now. One path, chosen by config. */
async function sendResultFile(ctx: ApiContext, runId: string, name: string, reply: FastifyReply) {
  const store = runStoreOf(ctx);
  const key = await ensureResultFile(store, runId, name);
  if ((ctx.deps.resultDelivery ?? 'stream') === 'presign') {
    return reply.redirect(await store.presignGet(key, ctx.presignSeconds), 302);
  }
  const file = resultFile(name);
  const body = await store.openStream(key);
  void reply.type(file.contentType);
  if (name !== 'report.html')
    void reply.header('content-disposition', `attachment; filename="${runId}-${name}"`);
  return reply.send(body);
}

/** The newest executions (engine and database together), with progress for those running. */
async function runsEvent(ctx: ApiContext, limit: number, request: FastifyRequest) {
  const { db, engine } = ctx.deps;
  const [described, records] = await Promise.all([
    engine.list(limit).catch((error: unknown) => {
      request.log.warn({ err: error }, 'engine list failed; answering from the database');
      return [] as ExecutionDescription[];
    }),
    listExecutions(db, { limit }),
  ]);
  const byArn = new Map<string, { d?: ExecutionDescription; r?: ExecutionRecord }>();
  for (const r of records) byArn.set(r.executionArn, { r });
  for (const d of described) byArn.set(d.executionArn, { ...byArn.get(d.executionArn), d });
  const runs = await Promise.all(
    [...byArn.values()].map(async ({ d, r }) => {
      if (d && !recordHolds(r, d)) await recordExecution(db, factsFromDescription(d), ctx.now());
      // A run that succeeded while nobody asked: the import starts now (the start path's hook imports too).
      if (d?.status === 'SUCCEEDED' && d.output && r?.import.status !== 'imported')
        void ctx.importer.ensureImported(d.executionArn, d.name, d.output, 0);
      const startMs = d?.startDate.getTime() ?? r?.startDate ?? null;
      return {
        executionArn: d?.executionArn ?? r!.executionArn,
        name: d?.name ?? r!.name,
        runId: runIdOf(d, r),
        status: d?.status ?? r!.status,
        startDate: bothTimes(startMs),
        stopDate: bothTimes(d?.stopDate?.getTime() ?? r?.stopDate ?? null),
        request: (d?.input ?? r?.request ?? null) as Record<string, unknown> | null,
        orders: d?.output?.orders ?? r?.ordersCount ?? null,
        import: { status: r?.import.status ?? 'pending', importedOrders: r?.import.importedOrders ?? 0 },
        progress: d ? await progressOf(ctx, d) : null,
      };
    }),
  );
  runs.sort((a, b) => (b.startDate.ms ?? 0) - (a.startDate.ms ?? 0));
  return { at: bothTimes(ctx.now()), runs: runs.slice(0, limit) };
}

/** Server-sent events: a `runs` event each second until the client leaves or the server closes. */
function streamEvents(ctx: ApiContext, limit: number, request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    connection: 'keep-alive',
  });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  request.raw.on('close', stop);
  ctx.closing.push(stop);
  const send = async () => {
    if (stopped) return;
    try {
      const event = await runsEvent(ctx, limit, request);
      if (!stopped) res.write(`event: runs\ndata: ${JSON.stringify(event)}\n\n`);
    } catch (error) {
      request.log.warn({ err: error }, 'runs event failed');
      if (!stopped)
        res.write(`event: failure\ndata: ${JSON.stringify({ message: 'the runs could not be read' })}\n\n`);
    }
    if (!stopped) {
      timer = setTimeout(() => void send(), EVENT_INTERVAL_MS);
      timer.unref();
    }
  };
  void send();
}
