import { startSimulatedStack, type SimulatedStack } from '../helpers/simulatedStack';
import { request as httpRequest } from 'node:http';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApi, localStateMachineArn } from '../../src/api';
import type { ApiDeps } from '../../src/api';
import { bitgetSymbolSource } from '../../src/api/bitgetSymbolSource';
import { CSV_COLUMNS } from '../../src/archive/exportFormats';
import { getExecution } from '../../src/db';
import type { Database } from '../../src/db';
import { LOCAL_STATE_MACHINE } from '../../src/engines/LocalEngine';
import type { LocalStack } from '../../src/runtime/localStack';
import type { Simulator } from '../../src/sim';
import { pollUntil } from './support/harness';

jest.setTimeout(180_000);

/** Whether @dsnp/parquetjs loads in this install (the exporter needs its built dist/). */
function parquetLoads(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@dsnp/parquetjs');
    return true;
  } catch {
    return false;
  }
}

const enc = encodeURIComponent;
type Spec = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>
  >;
};

/**
 * The run endpoints over the real local engine and the simulator: progress while a run works, a stop that leaves
 * the run resumable, the import at the engine's completion, filtered keyset pages, the report and the files
 * (streamed, and presigned when so configured), the events. Every JSON answer is held against the OpenAPI
 * document.
 */
describe('the run endpoints, on runs of the simulator', () => {
  let simulated: SimulatedStack;
  let sim: Simulator;
  let stack: LocalStack;
  let db: Database;
  let app: FastifyInstance;
  let deps: ApiDeps;
  let spec: Spec;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);

  beforeAll(async () => {
    simulated = await startSimulatedStack({ seed: 31, orders: 600, symbols: 4 }, 'api-runs-');
    ({ sim, stack, db } = simulated);
    deps = {
      engine: stack.engine,
      stateMachineArn: localStateMachineArn(LOCAL_STATE_MACHINE),
      db,
      s3: stack.store.s3,
      bucket: stack.store.bucket,
      symbols: bitgetSymbolSource(stack.client),
      exchange: 'simulator',
    };
    app = buildApi(deps);
    await app.ready();
    spec = app.swagger() as unknown as Spec;
  });
  afterAll(async () => {
    await app?.close();
    await simulated?.close();
  });

  /** Sends the request, expects the status and holds the JSON answer against the document's schema of `route`. */
  async function call(route: string, request: InjectOptions & { url: string }, status: number) {
    const res = await app.inject(request);
    expect([route, res.statusCode, res.body.slice(0, 300)]).toEqual([route, status, expect.any(String)]);
    const method = String(request.method ?? 'GET').toLowerCase();
    const responses = spec.paths[route]![method]!.responses;
    const schema = (responses[String(status)] ?? responses[`${String(status)[0]}XX`])!.content![
      'application/json'
    ]!.schema!;
    const validate = ajv.compile(schema);
    expect({ route, errors: validate(res.json()) ? null : validate.errors }).toEqual({ route, errors: null });
    return res.json();
  }

  const start = async (payload: object) =>
    (await call('/extract-orders', { method: 'POST', url: '/extract-orders', payload }, 202)) as {
      executionArn: string;
      name: string;
    };

  it('shows how far a running run is, stops it, and leaves its run resumable', async () => {
    // The simulator holds every order-history request: the run is RUNNING in its lanes until released, however
    // fast or slow this machine is.
    sim.holdHistory();
    try {
      const { executionArn } = await start({});
      const status = () => call('/orders/{executionArn}', { url: `/orders/${enc(executionArn)}` }, 200);
      const first = await pollUntil(status, (v) => v.progress?.stage === 'lanes', 30_000);
      expect(first.status).toBe('RUNNING');
      expect(first.progress).toMatchObject({ runId: expect.stringMatching(/^run-/), stage: 'lanes' });
      expect(first.progress.lanesTotal).toBeGreaterThan(0);
      expect(first.progress.lanes.length).toBe(first.progress.lanesTotal);
      expect(first.progress.lanesDone).toBe(0);
      // A second read never goes backwards (how the figures move is proved in tests/api/runProgress.test.ts).
      const later = await status();
      expect(later.status).toBe('RUNNING');
      expect(later.progress.requests).toBeGreaterThanOrEqual(first.progress.requests);
      expect(later.progress.orders).toBeGreaterThanOrEqual(first.progress.orders);

      const stopped = await call(
        '/orders/{executionArn}',
        { method: 'DELETE', url: `/orders/${enc(executionArn)}` },
        200,
      );
      expect(stopped).toMatchObject({
        executionArn,
        runId: first.progress.runId,
        status: 'ABORTED',
        resumable: true,
      });
      expect(stopped.message).toContain(`--run-id ${first.progress.runId}`);
      const after = await status();
      expect(after).toMatchObject({ status: 'ABORTED' });
      expect(after.progress).toBeUndefined();
      // Resumable: the lanes' cursors are still in the bucket.
      expect(await stack.store.list(`runs/${first.progress.runId}/lanes/`)).not.toHaveLength(0);
      await call('/orders/{executionArn}', { method: 'DELETE', url: `/orders/${enc(executionArn)}` }, 409);
    } finally {
      sim.release();
    }
  });

  describe('a finished run', () => {
    let executionArn: string;
    let runId: string;
    beforeAll(async () => {
      ({ executionArn } = await start({}));
      await stack.engine.wait(executionArn);
      // Imported at the engine's completion: nobody reads the execution through the API before this holds.
      const record = await pollUntil(
        () => getExecution(db, executionArn),
        (r) => r?.import.status === 'imported',
        4000,
      );
      expect(record?.import).toMatchObject({ status: 'imported', importedOrders: 600 });
      runId = record!.result!.ordersJsonlKey!.split('/')[1]!;
    });

    it('pages its orders by keyset, up to 1000 a page, in the same order as the skip/limit pages', async () => {
      const all = await call(
        '/orders/{executionArn}/orders',
        { url: `/orders/${enc(executionArn)}/orders?limit=1000` },
        200,
      );
      expect(all).toMatchObject({ count: 600, matched: 600, next: null, limit: 1000 });
      const ids: string[] = [];
      let after: string | null = null;
      do {
        const page = await call(
          '/orders/{executionArn}/orders',
          { url: `/orders/${enc(executionArn)}/orders?limit=250${after ? `&after=${after}` : ''}` },
          200,
        );
        ids.push(...page.orders.map((o: { orderId: string }) => o.orderId));
        after = page.next;
      } while (after);
      expect(ids).toEqual(all.orders.map((o: { orderId: string }) => o.orderId));
      const skipPage = (
        await app.inject({ url: `/orders/${enc(executionArn)}/database?skip=100&limit=100` })
      ).json();
      expect(skipPage.orders.map((o: { orderId: string }) => o.orderId)).toEqual(ids.slice(100, 200));
      const first = all.orders[0];
      expect(first.cTimeIso).toBe(new Date(first.cTime).toISOString());
    });

    it('filters by market, kind, symbol, status and a time range given as ISO 8601 or epoch ms', async () => {
      const all = (await app.inject({ url: `/orders/${enc(executionArn)}/orders?limit=1000` })).json();
      const o = all.orders[300];
      const since = all.orders[100].cTime as number;
      const until = all.orders[400].cTime as number;
      const q = `market=${o.market}&kind=${o.kind}&symbol=${o.symbol}&status=${o.status}`;
      const expected = all.orders.filter(
        (x: typeof o) =>
          x.market === o.market &&
          x.kind === o.kind &&
          x.symbol === o.symbol &&
          x.status === o.status &&
          x.cTime >= since &&
          x.cTime < until,
      );
      const byMs = await call(
        '/orders/{executionArn}/orders',
        { url: `/orders/${enc(executionArn)}/orders?${q}&since=${since}&until=${until}&limit=1000` },
        200,
      );
      const byIso = await call(
        '/orders/{executionArn}/orders',
        {
          url: `/orders/${enc(executionArn)}/orders?${q}&since=${new Date(since).toISOString()}&until=${enc(new Date(until).toISOString())}&limit=1000`,
        },
        200,
      );
      expect(byMs.orders).toEqual(expected);
      expect(byIso.orders).toEqual(expected);
      expect(byMs.filters.since).toEqual({ ms: since, iso: new Date(since).toISOString() });
      expect(byMs.matched).toBe(expected.length);
      const bad = await call(
        '/orders/{executionArn}/orders',
        { url: `/orders/${enc(executionArn)}/orders?since=yesterday` },
        400,
      );
      expect(bad).toMatchObject({ field: 'querystring/since', message: expect.stringContaining('ISO 8601') });
      await call(
        '/orders/{executionArn}/orders',
        { url: `/orders/${enc(executionArn)}/orders?limit=1001` },
        400,
      );
      await call(
        '/orders/{executionArn}/orders',
        { url: `/orders/${enc(executionArn)}/orders?market=moon` },
        400,
      );
      await call(
        '/orders/{executionArn}/orders',
        { url: `/orders/${enc(executionArn)}/orders?after=bm90LWEtY3Vyc29y` },
        400,
      );
    });

    it('streams its files: JSONL, CSV (the archive exporter), Parquet and the report', async () => {
      const jsonl = await app.inject({ url: `/runs/${runId}/files/orders.jsonl` });
      expect(jsonl.statusCode).toBe(200);
      expect(jsonl.headers['content-type']).toMatch(/^application\/x-ndjson/);
      expect(jsonl.headers['content-disposition']).toBe(`attachment; filename="${runId}-orders.jsonl"`);
      expect(jsonl.body.trim().split('\n')).toHaveLength(600);
      const csv = await app.inject({ url: `/runs/${runId}/files/orders.csv` });
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.body.split('\n')[0]).toBe(CSV_COLUMNS.join(','));
      expect(await stack.store.exists(`results/${runId}/orders.csv`)).toBe(true);
      const parquet = await app.inject({ url: `/runs/${runId}/files/orders.parquet` });
      if (parquetLoads()) {
        expect(parquet.statusCode).toBe(200);
        expect(parquet.rawPayload.subarray(0, 4).toString()).toBe('PAR1');
      } else {
        // An install without @dsnp/parquetjs' build: a 503 that names the library, never a broken file.
        expect(parquet.statusCode).toBe(503);
        expect(parquet.json().message).toMatch(/@dsnp\/parquetjs/);
        expect(await stack.store.exists(`results/${runId}/orders.parquet`)).toBe(false);
      }
      const report = await app.inject({ url: `/runs/${runId}/report` });
      expect(report.headers['content-type']).toMatch(/^text\/html/);
      expect(report.body).toContain('<svg');
      const unknown = await call(
        '/runs/{runId}/files/{name}',
        { url: `/runs/${runId}/files/secrets.txt` },
        400,
      );
      expect(unknown.field).toBe('params/name');
      await call('/runs/{runId}/report', { url: '/runs/run-that-never-was/report' }, 404);
    });

    it('answers one event as JSON, even to an event-stream client, where the deployment cannot stream', async () => {
      const buffered = buildApi({ ...deps, eventStream: false });
      try {
        const res = await buffered.inject({ url: '/runs/events', headers: { accept: 'text/event-stream' } });
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.json().runs.map((r: { executionArn: string }) => r.executionArn)).toContain(executionArn);
      } finally {
        await buffered.close();
      }
    });

    it('redirects to a short-lived presigned URL when the deployment presigns (the Lambda)', async () => {
      const presigning = buildApi({ ...deps, resultDelivery: 'presign', presignSeconds: 120 });
      try {
        const res = await presigning.inject({ url: `/runs/${runId}/files/orders.jsonl` });
        expect(res.statusCode).toBe(302);
        const location = String(res.headers.location);
        expect(location).toMatch(/X-Amz-Expires=120/);
        const download = await fetch(location);
        expect((await download.text()).trim().split('\n')).toHaveLength(600);
      } finally {
        await presigning.close();
      }
    });

    it('pushes the runs as server-sent events', async () => {
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const first = await new Promise<string>((resolve, reject) => {
        const req = httpRequest(
          `${address}/runs/events`,
          { headers: { accept: 'text/event-stream' } },
          (res) => {
            expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
              if (text.includes('\n\n')) {
                req.destroy();
                resolve(text);
              }
            });
          },
        );
        req.on('error', reject);
        req.end();
      });
      const [event, data] = first.split('\n');
      expect(event).toBe('event: runs');
      const body = JSON.parse(data!.slice('data: '.length));
      expect(body.runs.find((r: { executionArn: string }) => r.executionArn === executionArn)).toMatchObject({
        status: 'SUCCEEDED',
        runId,
        import: { status: 'imported', importedOrders: 600 },
      });
    });
  });
});
