import { startApiServer, InsecureBindError, buildApi, WeakApiKeyError } from '../../src/api';
import { sqliteTestDatabase } from '../db/support/databases';
import type { TestDatabase } from '../db/support/databases';
import { startTestS3 } from '../db/support/s3';
import type { TestS3 } from '../db/support/s3';
import { buildHarness } from './support/harness';

const KEY = 'k3y-that-must-never-be-logged-0123456789';

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

describe('binding and API keys', () => {
  it('refuses to listen on 0.0.0.0 without an API key', async () => {
    const { deps } = buildHarness(t, s3);
    await expect(startApiServer({ ...deps, host: '0.0.0.0', port: 0 })).rejects.toThrow(InsecureBindError);
  });

  it('on 0.0.0.0 with a key, requires x-api-key everywhere but /health, the docs included', async () => {
    const { deps } = buildHarness(t, s3);
    const server = await startApiServer({ ...deps, host: '0.0.0.0', port: 0, apiKey: KEY });
    const url = server.url.replace('0.0.0.0', '127.0.0.1');
    try {
      const anonymous = await fetch(`${url}/info`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ error: 'Unauthorized', field: 'headers/x-api-key' });
      expect((await fetch(`${url}/info`, { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
      const keyed = await fetch(`${url}/info`, { headers: { 'x-api-key': KEY } });
      expect(keyed.status).toBe(200);
      expect(JSON.stringify(await keyed.json())).not.toContain(KEY);
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect((await fetch(`${url}/docs/json`)).status).toBe(401);
      expect((await fetch(`${url}/docs`)).status).toBe(401);
      expect((await fetch(`${url}/docs/json`, { headers: { 'x-api-key': KEY } })).status).toBe(200);
      const post = await fetch(`${url}/orders`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(post.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('refuses to listen on 0.0.0.0 with a key shorter than 32 characters, saying why', async () => {
    const { deps } = buildHarness(t, s3);
    const attempt = startApiServer({ ...deps, host: '0.0.0.0', port: 0, apiKey: 'short-key' });
    await expect(attempt).rejects.toThrow(WeakApiKeyError);
    await expect(
      startApiServer({ ...deps, host: '0.0.0.0', port: 0, apiKey: 'x'.repeat(31) }),
    ).rejects.toThrow(/API key of 31 characters: off loopback the key must be at least 32 characters/);
  });

  it('accepts a short key on loopback, where the key is not what keeps the network out', async () => {
    const { deps } = buildHarness(t, s3);
    const server = await startApiServer({ ...deps, port: 0, apiKey: 'short-key' });
    try {
      expect((await fetch(`${server.url}/info`, { headers: { 'x-api-key': 'short-key' } })).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('binds to 127.0.0.1 by default and serves without a key there', async () => {
    const { deps } = buildHarness(t, s3);
    const server = await startApiServer({ ...deps, port: 0 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.url}/info`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('reports itself degraded with 503 when the database does not answer', async () => {
    const { deps } = buildHarness(t, s3);
    const app = buildApi({ ...deps, db: { ...deps.db, ping: async () => false } });
    const res = await app.inject('/health');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'degraded', database: { reachable: false } });
    await app.close();
  });

  it('answers 502, not 500, when the engine fails, and 503 when no symbol source is wired', async () => {
    const { deps } = buildHarness(t, s3);
    const { unavailableSymbolSource } = await import('../../src/api');
    const engine = {
      ...deps.engine,
      describe: async () => Promise.reject(new Error('throttled')),
      start: deps.engine.start,
      list: deps.engine.list,
    };
    const app = buildApi({ ...deps, engine, symbols: unavailableSymbolSource });
    const arn = 'arn:aws:states:local:000000000000:execution:bitget-orders:x';
    expect((await app.inject(`/orders/${encodeURIComponent(arn)}`)).statusCode).toBe(502);
    expect((await app.inject('/symbols')).statusCode).toBe(503);
    await app.close();
  });

  it('never writes the API key to a log line', async () => {
    const lines: string[] = [];
    const { deps } = buildHarness(t, s3);
    const app = buildApi({
      ...deps,
      apiKey: KEY,
      logger: { level: 'trace', stream: { write: (l) => void lines.push(l) } },
    });
    await app.inject({ url: '/info', headers: { 'x-api-key': KEY } });
    await app.inject({ url: '/info', headers: { 'x-api-key': `${KEY}-wrong` } });
    await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'x-api-key': KEY },
      payload: { bad: KEY },
    });
    await app.close();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(KEY);
  });
});
