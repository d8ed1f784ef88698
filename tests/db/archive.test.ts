import type { CanonicalOrder } from '../../src/core/order';
import { countArchiveOrders, listArchiveOrders, upsertArchiveOrders } from '../../src/db/archiveOrders';
import { InvalidArchiveQueryError } from '../../src/db/errors';
import { DAY, archiveEnv, keyOf, type ArchiveEnv } from '../archive/support';
import { DATABASE_KINDS, type TestDatabase } from './support/databases';

jest.setTimeout(240_000);

const UID = '3000000001';

function order(id: number, cTime: number, patch: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return {
    orderId: String(1_100_000_000_000_000_000n + BigInt(id)),
    clientOid: null,
    market: id % 2 ? 'spot' : 'usdt-futures',
    kind: 'normal',
    symbol: id % 3 ? 'BTCUSDT' : 'ETHUSDT',
    side: 'buy',
    orderType: 'limit',
    status: 'live',
    price: '1.5',
    size: '2',
    priceAvg: null,
    baseVolume: null,
    quoteVolume: null,
    fee: null,
    feeCoin: null,
    leverage: null,
    marginMode: null,
    posSide: null,
    tradeSide: null,
    reduceOnly: false,
    cTime,
    uTime: cTime,
    raw: { orderId: String(id) },
    ...patch,
  };
}

describe.each(DATABASE_KINDS)('the archive table on %s', (_kind, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t.dispose());

  it('holds one row per order and account, replaced only by a newer uTime, in batches', async () => {
    const orders = Array.from({ length: 1200 }, (_, i) =>
      order(i + 1, 1_700_000_000_000 + Math.floor(i / 3)),
    );
    expect(await upsertArchiveOrders(t.database, UID, orders, { batch: 250 })).toEqual({
      inserted: 1200,
      updated: 0,
    });
    expect(await upsertArchiveOrders(t.database, UID, orders, { batch: 250 })).toEqual({
      inserted: 0,
      updated: 0,
    });
    const filled = order(7, orders[6]!.cTime, { status: 'filled', uTime: orders[6]!.cTime + 5000 });
    const older = order(8, orders[7]!.cTime, { status: 'canceled', uTime: orders[7]!.cTime - 1 });
    expect(await upsertArchiveOrders(t.database, UID, [filled, older])).toEqual({ inserted: 0, updated: 1 });
    expect(await upsertArchiveOrders(t.database, '3000000002', [order(7, 1)])).toEqual({
      inserted: 1,
      updated: 0,
    });
    expect(await countArchiveOrders(t.database, UID)).toBe(1200);
    const page = await listArchiveOrders(t.database, { uid: UID, status: 'filled', limit: 10 });
    expect(page.orders).toEqual([filled]);
  });

  it('pages with a keyset cursor in (cTime, orderId, market) order, under filters', async () => {
    const seen: CanonicalOrder[] = [];
    let after: string | undefined;
    do {
      const page = await listArchiveOrders(t.database, {
        uid: UID,
        symbol: 'btcusdt',
        since: 1_700_000_000_010,
        until: 1_700_000_000_300,
        limit: 37,
        ...(after ? { after } : {}),
      });
      seen.push(...page.orders);
      after = page.next ?? undefined;
    } while (after);
    const expected = Array.from({ length: 1200 }, (_, i) =>
      order(i + 1, 1_700_000_000_000 + Math.floor(i / 3)),
    )
      .filter((o) => o.symbol === 'BTCUSDT' && o.cTime >= 1_700_000_000_010 && o.cTime < 1_700_000_000_300)
      .map((o) => o.orderId);
    expect(seen.map((o) => o.orderId)).toEqual(expected);
    await expect(
      listArchiveOrders(t.database, { uid: UID, after: 'bogus', limit: 5 }),
    ).rejects.toBeInstanceOf(InvalidArchiveQueryError);
    await expect(listArchiveOrders(t.database, { uid: UID, limit: 0 })).rejects.toThrow(/limit must be/);
  });
});

describe.each(DATABASE_KINDS)('syncs into %s', (_kind, open) => {
  let t: TestDatabase;
  let env: ArchiveEnv;
  beforeAll(async () => {
    t = await open();
    env = await archiveEnv({ seed: 41, orders: 900, days: 100, clockDaysAgo: 40 }, t.database);
  });
  afterAll(async () => {
    await env.close();
    await t.dispose();
  });

  const rows = async (uid: string) => {
    const out: CanonicalOrder[] = [];
    let after: string | undefined;
    do {
      const page = await listArchiveOrders(t.database, { uid, limit: 500, ...(after ? { after } : {}) });
      out.push(...page.orders);
      after = page.next ?? undefined;
    } while (after);
    return out;
  };

  it('holds the archive row for row after each sync, even when a sync is killed at the database import', async () => {
    const first = await env.sync();
    expect(first.database?.inserted).toBe(first.records);
    expect(await rows(first.uid)).toEqual(await env.records());

    env.sim.clock.advance(20 * DAY);
    await expect(
      env.sync((point) => {
        if (point === 'database') throw new Error('killed at the database import');
      }),
    ).rejects.toThrow(/killed at the database import/);
    env.sim.clock.advance(20 * DAY);
    const third = await env.sync();
    expect(third.database!.updated).toBeGreaterThan(0);
    const records = await env.records();
    expect(await rows(third.uid)).toEqual(records);
    const truth = await env.truth();
    expect(records.map(keyOf)).toEqual(truth.map(keyOf));
    expect(await env.sync()).toMatchObject({
      nothingNew: true,
      database: { inserted: 0, updated: 0, partitions: 0 },
    });
  });
});
