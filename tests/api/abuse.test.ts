import { startApiServer } from '../../src/api';
import type { RunningApiServer, StartApiServerOptions } from '../../src/api';
import type { ExecutionDescription, ExecutionEngine, StartedExecution } from '../../src/core/engine';
import { ExecutionNotFoundError } from '../../src/core/errors';
import type { ExtractionRequest } from '../../src/core/request';
import { getExecution } from '../../src/db';
import { sqliteTestDatabase } from '../db/support/databases';
import type { TestDatabase } from '../db/support/databases';
import { localArn } from '../db/support/orders';
import { startTestS3 } from '../db/support/s3';
import type { TestS3 } from '../db/support/s3';
import { buildHarness, enc } from './support/harness';
import { rawRequest } from './support/raw';

let s3: TestS3;
let t: TestDatabase;
beforeAll(async () => {
  s3 = await startTestS3();
  t = await sqliteTestDatabase();
});
afterAll(async () => {
  await t.dispose();
  await s3.close();
});

/** An engine whose runs stay RUNNING until the test ends them. */
class HeldEngine implements ExecutionEngine {
  readonly kind = 'held';
  readonly runs = new Map<string, ExecutionDescription>();
  describes = 0;
  private counter = 0;
  async start(request: ExtractionRequest): Promise<StartedExecution> {
    this.counter += 1;
    const name = `held-${process.pid}-${this.counter}`;
    const executionArn = localArn(name);
    const startDate = new Date(Date.UTC(2024, 0, 1, 0, this.counter));
    this.runs.set(executionArn, { executionArn, name, status: 'RUNNING', startDate, input: request });
    return { executionArn, name, startDate };
  }
  async describe(executionArn: string): Promise<ExecutionDescription> {
    this.describes += 1;
    const run = this.runs.get(executionArn);
    if (!run) throw new ExecutionNotFoundError(executionArn);
    return { ...run };
  }
  async list(): Promise<ExecutionDescription[]> {
    return [...this.runs.values()].map((r) => ({ ...r }));
  }
  end(executionArn: string): void {
    const run = this.runs.get(executionArn)!;
    run.status = 'FAILED';
    run.stopDate = new Date(run.startDate.getTime() + 1000);
  }
}

describe('the API on loopback under abuse, over a real socket', () => {
  const servers: RunningApiServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  async function serve(overrides: Partial<StartApiServerOptions> = {}) {
    const h = buildHarness(t, s3, { prefix: `abuse-${servers.length}` });
    const server = await startApiServer({ ...h.deps, port: 0, ...overrides });
    servers.push(server);
    return { server, engine: h.engine, port: Number(new URL(server.url).port) };
  }

  it('refuses a foreign Host with 421 and answers localhost, 127.0.0.1 and [::1] with the port', async () => {
    const { server, engine, port } = await serve();
    for (const host of [
      'evil.example.com',
      `evil.example.com:${port}`,
      'localhost',
      `127.0.0.1:${port + 1}`,
    ]) {
      const res = await rawRequest(`${server.url}/info`, { headers: { host } });
      expect([host, res.status]).toEqual([host, 421]);
      expect(res.body).toMatchObject({ error: 'Misdirected Request', field: 'headers/host' });
    }
    const rebound = await rawRequest(`${server.url}/extract-orders`, {
      method: 'POST',
      headers: { host: 'evil.example.com', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(rebound.status).toBe(421);
    expect(engine.started).toHaveLength(0);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const res = await rawRequest(`${server.url}/info`, { headers: { host } });
      expect([host, res.status]).toEqual([host, 200]);
    }
  });

  it('refuses a text/plain POST with 415 and starts nothing', async () => {
    const { server, engine } = await serve();
    for (const body of ['{}', '', '{"markets":["spot"]}']) {
      const res = await rawRequest(`${server.url}/extract-orders`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
        body,
      });
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ field: 'headers/content-type' });
    }
    expect(engine.started).toHaveLength(0);
  });

  it('refuses a body-less POST from another origin with 415, accepts it without Origin and from its own', async () => {
    const { server, engine, port } = await serve();
    for (const origin of ['https://evil.example', 'null', `http://localhost:${port + 1}`]) {
      const res = await rawRequest(`${server.url}/extract-single-symbol/BTCUSDT`, {
        method: 'POST',
        headers: { origin },
      });
      expect([origin, res.status]).toEqual([origin, 415]);
      expect(res.body.field).toBe('headers/origin');
    }
    expect(engine.started).toHaveLength(0);
    const plain = await rawRequest(`${server.url}/extract-orders`, { method: 'POST' });
    expect(plain.status).toBe(202);
    const own = await rawRequest(`${server.url}/extract-orders`, {
      method: 'POST',
      headers: { origin: `http://127.0.0.1:${port}` },
    });
    expect(own.status).toBe(202);
    expect(engine.started).toHaveLength(2);
  });

  it('refuses coerced bodies over the socket: a string for a list, digits for a time', async () => {
    const { server, engine } = await serve();
    const post = (body: unknown) =>
      rawRequest(`${server.url}/extract-orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ markets: 'spot' })).body).toMatchObject({ statusCode: 400, field: 'body/markets' });
    expect((await post({ since: '1790000000000' })).body).toMatchObject({ field: 'body/since' });
    expect((await post({ order: ['desc'] })).body).toMatchObject({ field: 'body/order' });
    expect(engine.started).toHaveLength(0);
  });

  it('grants no CORS: a preflight and a cross-origin read get no Access-Control-Allow header', async () => {
    const { server } = await serve();
    const preflight = await rawRequest(`${server.url}/extract-orders`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    const read = await rawRequest(`${server.url}/orders/list`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(read.status).toBe(200);
    for (const res of [preflight, read]) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-allow'))).toEqual([]);
    }
  });

  it('sends security headers on every answer, errors included', async () => {
    const { server } = await serve();
    for (const res of [
      await rawRequest(`${server.url}/info`),
      await rawRequest(`${server.url}/nope`),
      await rawRequest(`${server.url}/info`, { headers: { host: 'evil.example.com' } }),
    ]) {
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'cross-origin-resource-policy': 'same-origin',
        'content-security-policy': expect.stringContaining("default-src 'self'"),
      });
      expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    }
  });

  it('answers the 4th wrong key within the window with 429, and then the right key too', async () => {
    const key = 'loopback-key';
    const { server } = await serve({ apiKey: key, rateLimit: { failedKeyMax: 3 } });
    const info = (k: string) => rawRequest(`${server.url}/info`, { headers: { 'x-api-key': k } });
    expect((await info(key)).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await info(`wrong-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const locked = await info(key);
    expect(locked.status).toBe(429); // a guess can no longer be told right from wrong
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.body).toMatchObject({ error: 'Too Many Requests', message: /too many wrong API keys/ });
    expect((await rawRequest(`${server.url}/health`)).status).toBe(200);
  });

  it('answers the request after the configured maximum per window with 429 and Retry-After', async () => {
    const { server } = await serve({ rateLimit: { max: 4 } });
    const statuses = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await rawRequest(`${server.url}/info`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body).toMatchObject({ statusCode: 429, message: /at most 4 requests/ });
  });

  it('refuses a start beyond the cap on running executions with 429 and Retry-After, and admits one once a run ended', async () => {
    const engine = new HeldEngine();
    const { server } = await serve({ engine, maxRunningExecutions: 2, runningRetryAfterSeconds: 7 });
    const start = () =>
      rawRequest(`${server.url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          symbols: ['BTCUSDT'],
          start_ms: Date.UTC(2023, 11, 1),
          end_ms: Date.UTC(2023, 11, 2),
        }),
      });
    const first = await start();
    expect((await start()).status).toBe(202);
    const refused = await start();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('7');
    expect(refused.body.message).toMatch(/2 executions are running and at most 2 may run at once/);
    expect(engine.runs.size).toBe(2);
    engine.end(first.body.executionArn as string);
    expect((await start()).status).toBe(202);
    expect((await getExecution(t.database, first.body.executionArn as string))?.status).toBe('FAILED');
  });

  it('answers 404 for an execution of another state machine or region, without asking the engine', async () => {
    const engine = new HeldEngine();
    const { server } = await serve({ engine });
    const own = localArn('someone');
    for (const foreign of [
      own.replace(':local:', ':eu-west-1:'),
      own.replace(':bitget-orders:', ':another-machine:'),
      own.replace('000000000000', '210987654321'),
    ]) {
      const res = await rawRequest(`${server.url}/orders/${enc(foreign)}`);
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(`${foreign} is not an execution of this deployment`);
    }
    expect(engine.describes).toBe(0);
    const unknown = await rawRequest(`${server.url}/orders/${enc(own)}`);
    expect(unknown).toMatchObject({ status: 404, body: { message: expect.stringMatching(/is not known/) } });
    expect(engine.describes).toBe(1);
  });
});
