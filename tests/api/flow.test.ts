import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import { DATABASE_KINDS } from '../db/support/databases';
import type { TestDatabase } from '../db/support/databases';
import { startTestS3 } from '../db/support/s3';
import type { TestS3 } from '../db/support/s3';
import { buildHarness, enc, pollUntil } from './support/harness';
import type { Harness } from './support/harness';

const START = Date.UTC(2023, 11, 1);
const END = Date.UTC(2023, 11, 31);

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3.close();
});

describe.each(DATABASE_KINDS)('the API on %s', (_kind, open) => {
  let t: TestDatabase;
  let h: Harness;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await open();
    h = buildHarness(t, s3);
    app = h.app;
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });
  afterEach(() => jest.restoreAllMocks());

  async function startOrders(symbols = ['BTCUSDT', 'ethusdt']): Promise<string> {
    const res = await app.inject({
      method: 'POST',
      url: '/orders',
      payload: { symbols, start_ms: START, end_ms: END },
    });
    expect(res.statusCode).toBe(202);
    return res.json<{ executionArn: string }>().executionArn;
  }

  it('runs the whole flow: POST /orders, poll until imported, read the orders page by page', async () => {
    const arn = await startOrders();
    expect(h.engine.started.at(-1)).toEqual({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      since: START,
      until: END,
      markets: ['spot', 'usdt-futures', 'usdc-futures', 'coin-futures'],
      kinds: ['normal', 'tpsl', 'plan'],
      order: 'asc',
      datasets: ['orders', 'fills', 'ledger'],
    });
    const status = await pollUntil(
      async () => (await app.inject(`/orders/${enc(arn)}`)).json(),
      (b) => b.import.status === 'imported',
    );
    expect(status).toMatchObject({
      executionArn: arn,
      status: 'SUCCEEDED',
      timing: { durationMs: 123_000, duration: '2m 3s', running: false },
      result: { orders: 250, complete: true },
      import: { status: 'imported', importedOrders: 250, error: null },
    });

    const first = (await app.inject(`/orders/${enc(arn)}/database?skip=0&limit=100`)).json();
    expect(first).toMatchObject({ total: 250, skip: 0, limit: 100, has_more: true });
    expect(first.orders).toHaveLength(100);
    expect(first.orders[0].size).toBe('0.000079400000');
    const last = (await app.inject(`/orders/${enc(arn)}/database?skip=200&limit=100`)).json();
    expect(last).toMatchObject({ total: 250, skip: 200, limit: 100, has_more: false });
    expect(last.orders).toHaveLength(50);
    const times = [...first.orders, ...last.orders].map((o: { cTime: number }) => o.cTime);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('imports a succeeded execution once even when polls arrive together', async () => {
    const arn = await startOrders(['XRPUSDT']);
    await h.engine.settle();
    const send = jest.spyOn(s3.s3, 'send');
    const polls = await Promise.all(Array.from({ length: 6 }, () => app.inject(`/orders/${enc(arn)}`)));
    expect(polls.map((p) => p.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    const reads = send.mock.calls.filter(
      ([c]) => c instanceof GetObjectCommand && (c as GetObjectCommand).input.Key!.endsWith('orders.jsonl'),
    );
    expect(reads).toHaveLength(1);
    const after = (await app.inject(`/orders/${enc(arn)}`)).json();
    expect(after.import).toMatchObject({ status: 'imported', importedOrders: 250 });
    const logs = (await app.inject(`/orders/${enc(arn)}/logs`)).json();
    expect(logs.logs.map((l: { message: string }) => l.message)).toEqual([
      'execution started',
      'import started at offset 0',
      'imported 250 orders (250 new)',
    ]);
  });

  it('starts runs from the ultra endpoints and answers 202 at once', async () => {
    const all = await app.inject({
      method: 'POST',
      url: '/extract-orders',
      payload: { markets: ['spot'], order: 'desc' },
    });
    expect(all.statusCode).toBe(202);
    expect(all.json()).toMatchObject({ name: expect.any(String), startDate: expect.any(String) });
    expect(h.engine.started.at(-1)).toMatchObject({ markets: ['spot'], order: 'desc' });
    const empty = await app.inject({ method: 'POST', url: '/extract-orders' });
    expect(empty.statusCode).toBe(202);
    const one = await app.inject({
      method: 'POST',
      url: '/extract-single-symbol/btcusdt_umcbl',
      payload: { kinds: ['plan'] },
    });
    expect(one.statusCode).toBe(202);
    expect(h.engine.started.at(-1)).toMatchObject({ symbols: ['BTCUSDT'], kinds: ['plan'] });
    const bare = await app.inject({ method: 'POST', url: '/extract-single-symbol/ETHUSDT' });
    expect(bare.statusCode).toBe(202);
    expect(h.engine.started.at(-1)).toMatchObject({ symbols: ['ETHUSDT'] });
  });

  it('lists executions from the engine merged with the database, newest first', async () => {
    await startOrders(['SOLUSDT']);
    const listed = (await app.inject('/orders/list?limit=3')).json();
    expect(listed.count).toBe(3);
    const starts = listed.executions.map((e: { startDate: string }) => e.startDate);
    expect(starts).toEqual([...starts].sort().reverse());
    expect(listed.executions[0]).toMatchObject({
      status: expect.any(String),
      import: { status: expect.any(String) },
    });
  });

  it('answers 404 for an execution neither the engine nor the database knows', async () => {
    const arn = 'arn:aws:states:local:000000000000:execution:bitget-orders:never-started';
    expect((await app.inject(`/orders/${enc(arn)}`)).statusCode).toBe(404);
    expect((await app.inject(`/orders/${enc(arn)}/database`)).statusCode).toBe(404);
  });

  it('reports health with the database reachable, the version and the uptime', async () => {
    const res = await app.inject('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      database: { kind: t.kind, reachable: true },
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      uptimeSeconds: 0,
    });
  });

  it('describes itself at / and /info without secrets', async () => {
    const root = (await app.inject('/')).json();
    expect(root.links).toMatchObject({ docs: '/docs', health: '/health' });
    const info = (await app.inject('/info')).json();
    expect(info).toMatchObject({
      engine: 'fake',
      database: t.kind,
      bucket: s3.bucket,
      apiKeyRequired: false,
    });
    expect(JSON.stringify(info)).not.toMatch(/S3RVER|password/i);
  });

  it('lists symbols per market with counts by status', async () => {
    const res = (await app.inject('/symbols')).json();
    expect(res.summary).toEqual({
      spot: { total: 3, byStatus: { online: 2, offline: 1 } },
      'USDT-FUTURES': { total: 1, byStatus: { normal: 1 } },
      'USDC-FUTURES': { total: 1, byStatus: { normal: 1 } },
      'COIN-FUTURES': { total: 2, byStatus: { normal: 1, maintain: 1 } },
    });
    expect(res.spot.symbols).toContainEqual({ symbol: 'LUNAUSDT', status: 'offline' });
  });

  it('documents every route with a description at /docs', async () => {
    expect((await app.inject('/docs')).statusCode).toBeLessThan(400);
    const spec = (await app.inject('/docs/json')).json();
    const routes = Object.entries(
      spec.paths as Record<string, Record<string, { description?: string }>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op.description]),
    );
    expect(routes.map(([r]) => r).sort()).toEqual(
      [
        'GET /',
        'GET /health',
        'GET /info',
        'GET /symbols',
        'GET /orders/list',
        'GET /orders/{executionArn}',
        'GET /orders/{executionArn}/database',
        'GET /orders/{executionArn}/logs',
        'POST /extract-orders',
        'POST /extract-single-symbol/{symbol}',
        'POST /orders',
        'POST /orders/{executionArn}/save-from-url',
        'GET /archive/orders',
        'GET /archive/fills',
        'GET /archive/ledger',
        'GET /archive/report',
        'GET /archive/status',
        'POST /sync',
        'DELETE /orders/{executionArn}',
        'GET /orders/{executionArn}/orders',
        'GET /runs/events',
        'GET /runs/{runId}/report',
        'GET /runs/{runId}/files/{name}',
      ].sort(),
    );
    for (const [, description] of routes) expect(description).toEqual(expect.any(String));
  });

  it('compresses a response when the client accepts gzip, and not otherwise', async () => {
    const arn = await startOrders(['ADAUSDT']);
    await pollUntil(
      async () => (await app.inject(`/orders/${enc(arn)}`)).json(),
      (b) => b.import.status === 'imported',
    );
    const url = `/orders/${enc(arn)}/database?limit=100`;
    const zipped = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString()).orders).toHaveLength(100);
    const plain = await app.inject({ url });
    expect(plain.headers['content-encoding']).toBeUndefined();
  });
});
