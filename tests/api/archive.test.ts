import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api';
import { runSync } from '../../src/archive';
import type { CanonicalOrder } from '../../src/core/order';
import { DAY, archiveEnv, keyOf, type ArchiveEnv } from '../archive/support';
import { DATABASE_KINDS, type TestDatabase } from '../db/support/databases';
import { fakeSymbols } from './support/harness';
import { localStateMachineArn } from '../../src/api';
import { LOCAL_STATE_MACHINE } from '../../src/engines/LocalEngine';

jest.setTimeout(180_000);

describe.each(DATABASE_KINDS)('the archive endpoints on %s', (_kind, open) => {
  let t: TestDatabase;
  let env: ArchiveEnv;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  beforeAll(async () => {
    t = await open();
    env = await archiveEnv({ seed: 52, orders: 700, days: 100, clockDaysAgo: 20 });
    const deps = {
      engine: env.stack.engine,
      stateMachineArn: localStateMachineArn(LOCAL_STATE_MACHINE),
      db: t.database,
      s3: env.stack.store.s3,
      bucket: env.stack.store.bucket,
      symbols: fakeSymbols,
    };
    app = buildApi({
      ...deps,
      sync: (options) =>
        runSync(
          {
            store: env.stack.store,
            client: env.stack.client,
            engine: env.stack.engine,
            database: t.database,
          },
          options,
        ),
    });
    bare = buildApi(deps);
  });
  afterAll(async () => {
    await app.close();
    await bare.close();
    await env.close();
    await t.dispose();
  });

  it('answers 404 on /archive/status before any sync, and 501 on POST /sync where no sync runner is given', async () => {
    expect((await app.inject('/archive/status')).statusCode).toBe(404);
    const res = await bare.inject({ method: 'POST', url: '/sync', payload: {} });
    expect(res.statusCode).toBe(501);
  });

  it('POST /sync runs a sync and GET /archive/status reports it', async () => {
    const first = await app.inject({ method: 'POST', url: '/sync', payload: {} });
    expect(first.statusCode).toBe(200);
    env.sim.clock.advance(20 * DAY);
    const second = await app.inject({
      method: 'POST',
      url: '/sync',
      payload: { markets: ['spot', 'usdt-futures', 'usdc-futures', 'coin-futures'] },
    });
    expect(second.statusCode).toBe(200);
    const report = second.json<{
      uid: string;
      records: number;
      datasets: Record<string, { records: number; gaps: unknown[] }>;
    }>();
    // fills and the ledger are synced beside orders and answered, not dropped by the response schema
    expect(Object.keys(report.datasets).sort()).toEqual(['fills', 'ledger']);
    expect(report.datasets['fills']!.records).toBeGreaterThan(0);
    expect(report.datasets['ledger']!.gaps).toEqual([]);
    const bad = await app.inject({ method: 'POST', url: '/sync', payload: { datasets: ['trades'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/datasets/);
    const status = (await app.inject('/archive/status')).json<Record<string, unknown>>();
    expect(status).toMatchObject({
      uid: report.uid,
      datasets: { orders: { records: report.records, gaps: [] } },
      database: { rows: report.records },
    });
  });

  it('GET /archive/orders pages through the whole archive with its cursor, equal to the ground truth', async () => {
    const seen: CanonicalOrder[] = [];
    let after: string | null = null;
    do {
      const res = await app.inject({
        url: '/archive/orders',
        query: { limit: '250', ...(after ? { after } : {}) },
      });
      expect(res.statusCode).toBe(200);
      const page: { orders: CanonicalOrder[]; next: string | null } = res.json<{
        orders: CanonicalOrder[];
        next: string | null;
      }>();
      seen.push(...page.orders);
      after = page.next;
    } while (after);
    const truth = await env.truth();
    expect(seen.map(keyOf)).toEqual(truth.map(keyOf));
    expect(seen.map((o) => o.raw)).toEqual(truth.map((t) => t.raw));
  });

  it('filters by market, kind, symbol, status and time', async () => {
    const truth = await env.truth();
    const pick = truth.find((x) => x.market === 'usdt-futures' && x.kind === 'plan')!;
    const archived = (await env.records()).find((r) => keyOf(r) === keyOf(pick))!;
    const since = pick.cTime - 10 * DAY;
    const until = pick.cTime + 10 * DAY;
    const res = await app.inject({
      url: '/archive/orders',
      query: {
        market: 'usdt-futures',
        kind: 'plan',
        symbol: pick.symbol,
        status: archived.status,
        since: String(since),
        until: String(until),
        limit: '500',
      },
    });
    const orders = res.json<{ orders: CanonicalOrder[] }>().orders;
    const expected = (await env.records()).filter(
      (r) =>
        r.market === 'usdt-futures' &&
        r.kind === 'plan' &&
        r.symbol === pick.symbol &&
        r.status === archived.status &&
        r.cTime >= since &&
        r.cTime < until,
    );
    expect(orders.map(keyOf)).toEqual(expected.map(keyOf));
    expect(orders.map(keyOf)).toContain(keyOf(pick));
    // The same span in ISO 8601: the same orders.
    const iso = await app.inject({
      url: '/archive/orders',
      query: {
        market: 'usdt-futures',
        kind: 'plan',
        symbol: pick.symbol,
        status: archived.status,
        since: new Date(since).toISOString(),
        until: new Date(until).toISOString(),
        limit: '500',
      },
    });
    expect(iso.json<{ orders: CanonicalOrder[] }>().orders).toEqual(orders);
  });

  it('refuses bad filters with 400 naming the field', async () => {
    const market = await app.inject({ url: '/archive/orders', query: { market: 'moon' } });
    expect(market.statusCode).toBe(400);
    expect(market.body).toMatch(/market/);
    const cursor = await app.inject({ url: '/archive/orders', query: { after: 'nope' } });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.body).toMatch(/after/);
    const range = await app.inject({ url: '/archive/orders', query: { since: '20', until: '10' } });
    expect(range.statusCode).toBe(400);
    expect(range.body).toMatch(/since must be before until/);
    const none = await app.inject({ method: 'POST', url: '/sync', payload: { datasets: [] } });
    expect(none.statusCode).toBe(400);
    expect(none.body).toMatch(/datasets/);
  });
});
