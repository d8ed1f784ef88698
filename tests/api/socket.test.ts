import { startApiServer } from '../../src/api';
import type { RunningApiServer } from '../../src/api';
import { DATABASE_KINDS } from '../db/support/databases';
import type { TestDatabase } from '../db/support/databases';
import { makeOrders } from '../db/support/orders';
import { startTestS3 } from '../db/support/s3';
import type { TestS3 } from '../db/support/s3';
import { buildHarness, enc, pollUntil } from './support/harness';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
  await s3.put('socket/orders.json', JSON.stringify({ orders: makeOrders(7) }));
});
afterAll(async () => {
  await s3.close();
});

describe.each(DATABASE_KINDS)('every endpoint over a real socket on %s', (kind, open) => {
  let t: TestDatabase;
  let server: RunningApiServer;
  beforeAll(async () => {
    t = await open();
    server = await startApiServer({
      ...buildHarness(t, s3, { count: 130, prefix: `socket-${kind}` }).deps,
      port: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}${path}`, { headers });
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as ReturnType<typeof JSON.parse>,
    };
  };
  const post = async (path: string, payload?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      ...(payload === undefined
        ? {}
        : { body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }),
    });
    return { status: res.status, body: (await res.json()) as ReturnType<typeof JSON.parse> };
  };

  it('starts, polls, imports and pages through an execution', async () => {
    const started = await post('/orders', {
      symbols: ['BTCUSDT'],
      start_ms: Date.UTC(2023, 11, 1),
      end_ms: Date.UTC(2023, 11, 2),
    });
    expect(started.status).toBe(202);
    const arn = started.body.executionArn as string;
    const status = await pollUntil(
      () => get(`/orders/${enc(arn)}`),
      (r) => (r.body.import as { status: string }).status === 'imported',
    );
    expect(status.body).toMatchObject({
      status: 'SUCCEEDED',
      timing: { duration: '2m 3s' },
      import: { importedOrders: 130 },
    });
    const page = await get(`/orders/${enc(arn)}/database?skip=100&limit=100`);
    expect(page.body).toMatchObject({ total: 130, skip: 100, limit: 100, has_more: false });
    const logs = await get(`/orders/${enc(arn)}/logs`);
    expect(logs.status).toBe(200);
    const listed = await get('/orders/list?limit=5');
    expect((listed.body.executions as { executionArn: string }[]).map((e) => e.executionArn)).toContain(arn);
    const saved = await post(`/orders/${enc(arn)}/save-from-url`, {
      url: `s3://${s3.bucket}/socket/orders.json`,
    });
    expect(saved.status).toBe(409); // the database holds 130 orders for it, the file has 7: never called imported
  });

  it('answers the ultra endpoints', async () => {
    expect((await post('/extract-orders', { markets: ['spot'] })).status).toBe(202);
    expect((await post('/extract-orders')).status).toBe(202);
    expect((await post('/extract-single-symbol/ETHUSDT')).status).toBe(202);
    expect((await get('/health')).body).toMatchObject({ status: 'ok', database: { kind, reachable: true } });
  });

  it('answers the meta endpoints and the docs, compressed on request', async () => {
    expect((await get('/')).body.name).toBe('bitget-orders');
    expect((await get('/info')).body).toMatchObject({ database: kind, engine: 'fake' });
    expect((await get('/symbols')).body.summary).toMatchObject({ spot: { total: 3 } });
    const docs = await get('/docs/json', { 'accept-encoding': 'gzip' });
    expect(docs.headers.get('content-encoding')).toBe('gzip');
    expect(Object.keys(docs.body.paths as object)).toContain('/orders/{executionArn}/save-from-url');
    const ui = await fetch(`${server.url}/docs`);
    expect(ui.status).toBeLessThan(400);
  });

  it('answers bad input with a 4xx over the socket too', async () => {
    const bad = await post('/orders', { symbols: ['BTC USDT'], start_ms: 1, end_ms: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('body/symbols/0');
    const huge = await fetch(`${server.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ symbols: Array(40_000).fill('BTCUSDT') }),
    });
    expect(huge.status).toBe(413);
  });
});
