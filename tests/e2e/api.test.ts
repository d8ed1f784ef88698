import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi, localStateMachineArn } from '../../src/api';
import { bitgetSymbolSource } from '../../src/api/bitgetSymbolSource';
import { createDatabase } from '../../src/db';
import { LOCAL_STATE_MACHINE } from '../../src/engines/LocalEngine';
import type { Database } from '../../src/db';
import { startLocalStack } from '../../src/runtime/localStack';
import type { LocalStack } from '../../src/runtime/localStack';
import { startSimulator } from '../../src/sim';
import type { Simulator } from '../../src/sim';

jest.setTimeout(180_000);

const MYSQL_URL = process.env['MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';

interface Page {
  orders: { orderId: string; market: string; cTime: number }[];
  total: number;
  skip: number;
  limit: number;
  has_more: boolean;
}

async function mysqlDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = await createDatabase(MYSQL_URL, { migrate: false });
  const { sql } = await import('kysely');
  await sql.raw(`CREATE DATABASE IF NOT EXISTS ${name}`).execute(admin.db);
  await admin.close();
  const url = MYSQL_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const a = await createDatabase(MYSQL_URL, { migrate: false });
      await sql.raw(`DROP DATABASE IF EXISTS ${name}`).execute(a.db);
      await a.close();
    },
  };
}

describe.each(['sqlite', 'mysql'] as const)(
  'the API over the real local engine and the simulator (%s)',
  (kind) => {
    let sim: Simulator;
    let stack: LocalStack;
    let db: Database;
    let app: FastifyInstance;
    let dir: string;
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      sim = await startSimulator({ seed: 13, orders: 1200, symbols: 6 });
      dir = mkdtempSync(join(tmpdir(), 'api-e2e-'));
      stack = await startLocalStack({
        dataDir: dir,
        baseUrl: sim.url,
        credentials: sim.credentials,
        retryIntervalMs: 10,
      });
      if (kind === 'sqlite') db = await createDatabase(`sqlite:${join(dir, 'orders.sqlite')}`);
      else {
        const m = await mysqlDatabase(`bitget_orders_e2e_${process.pid}`);
        drop = m.drop;
        db = await createDatabase(m.url);
      }
      app = buildApi({
        engine: stack.engine,
        stateMachineArn: localStateMachineArn(LOCAL_STATE_MACHINE),
        db,
        s3: stack.store.s3,
        bucket: stack.store.bucket,
        symbols: bitgetSymbolSource(stack.client),
      });
      await app.ready();
    });
    afterAll(async () => {
      await app.close();
      await db.close();
      await drop?.();
      await stack.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('POST /orders → poll → imported into the database once → every order readable page by page', async () => {
      const bad = await app.inject({ method: 'POST', url: '/orders', payload: { symbols: ['BTC/USDT'] } });
      expect(bad.statusCode).toBe(400); // bad input names the field
      expect(bad.json().message).toMatch(/start_ms|symbols/);

      const post = await app.inject({ method: 'POST', url: '/extract-orders', payload: {} });
      expect(post.statusCode).toBe(202);
      const { executionArn } = post.json() as { executionArn: string };
      const arn = encodeURIComponent(executionArn);

      let status = '';
      for (let i = 0; i < 600 && status !== 'SUCCEEDED'; i++) {
        const poll = await app.inject({ method: 'GET', url: `/orders/${arn}` });
        expect(poll.statusCode).toBe(200);
        status = (poll.json() as { status: string }).status;
        expect(status).not.toBe('FAILED');
        if (status !== 'SUCCEEDED') await new Promise((r) => setTimeout(r, 100));
      }
      // Once succeeded, a poll imports the result (once, even when polled again).
      const done = await app.inject({ method: 'GET', url: `/orders/${arn}` });
      expect(JSON.stringify(done.json())).toMatch(/imported/);
      await app.inject({ method: 'GET', url: `/orders/${arn}` });

      const seen = new Set<string>();
      let total: number | undefined;
      for (let skip = 0; ; skip += 100) {
        const res = await app.inject({
          method: 'GET',
          url: `/orders/${arn}/database?skip=${skip}&limit=100`,
        });
        expect(res.statusCode).toBe(200);
        const page = res.json() as Page;
        total = page.total;
        for (const o of page.orders) seen.add(`${o.market}:${o.orderId}`);
        if (!page.has_more) break;
      }
      expect(total).toBe(1200);
      expect(seen.size).toBe(1200);
      const truth = new Set<string>();
      for await (const t of sim.truth()) truth.add(`${t.market}:${t.orderId}`);
      expect([...seen].every((k) => truth.has(k))).toBe(true);
    });

    it('GET /symbols lists spot and every futures product type from the exchange', async () => {
      const res = await app.inject({ method: 'GET', url: '/symbols' });
      expect(res.statusCode).toBe(200);
      expect(JSON.stringify(res.json())).toMatch(/USDT-FUTURES/);
    });
  },
);
