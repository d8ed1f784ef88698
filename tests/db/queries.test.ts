import {
  createDatabase,
  getExecution,
  InvalidPageError,
  importOrders,
  listExecutions,
  listOrders,
  recordExecution,
  redactDatabaseUrl,
  UnsupportedDatabaseUrlError,
} from '../../src/db';
import { DATABASE_KINDS } from './support/databases';
import type { TestDatabase } from './support/databases';
import { localArn, makeOrder } from './support/orders';

describe.each(DATABASE_KINDS)('queries on %s', (_kind, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('pages orders by cTime then by order id compared as a decimal integer', async () => {
    const arn = localArn(`pages-${t.kind}`);
    const sameTime = 1_700_000_000_000;
    const orders = [
      makeOrder(1, { orderId: '100', cTime: sameTime }),
      makeOrder(2, { orderId: '99', cTime: sameTime }),
      makeOrder(3, { orderId: '5', cTime: sameTime - 1 }),
      ...Array.from({ length: 7 }, (_, i) => makeOrder(10 + i)),
    ];
    await importOrders(t.database, { executionArn: arn }, orders);
    const first = await listOrders(t.database, arn, { skip: 0, limit: 4 });
    expect(first.orders.map((o) => o.orderId).slice(0, 3)).toEqual(['5', '99', '100']);
    expect(first).toMatchObject({ total: 10, skip: 0, limit: 4, has_more: true });
    const last = await listOrders(t.database, arn, { skip: 8, limit: 4 });
    expect(last.orders).toHaveLength(2);
    expect(last.has_more).toBe(false);
  });

  it('refuses a page larger than 100 or a negative skip', async () => {
    await expect(listOrders(t.database, 'x', { skip: 0, limit: 101 })).rejects.toThrow(InvalidPageError);
    await expect(listOrders(t.database, 'x', { skip: -1, limit: 10 })).rejects.toThrow(InvalidPageError);
  });

  it('lists executions newest first and keeps a known status when an import records the row', async () => {
    const older = localArn(`older-${t.kind}`);
    const newer = localArn(`newer-${t.kind}`);
    const request = { markets: ['spot' as const], kinds: ['normal' as const], order: 'asc' as const };
    await recordExecution(
      t.database,
      { executionArn: older, name: 'older', status: 'FAILED', request, startDate: new Date(1_000) },
      5,
    );
    await recordExecution(
      t.database,
      { executionArn: newer, name: 'newer', status: 'RUNNING', startDate: new Date(2_000) },
      6,
    );
    await importOrders(t.database, { executionArn: older }, [makeOrder(1)]);
    const listed = await listExecutions(t.database, { limit: 500 });
    const names = listed.map((e) => e.name).filter((n) => n === 'older' || n === 'newer');
    expect(names).toEqual(['newer', 'older']);
    const record = await getExecution(t.database, older);
    expect(record).toMatchObject({ status: 'FAILED', request, startDate: 1_000 });
  });

  it('answers a ping', async () => {
    expect(await t.database.ping()).toBe(true);
  });
});

describe('createDatabase', () => {
  it('refuses a URL that is neither sqlite: nor mysql://', async () => {
    await expect(createDatabase('postgres://u:p@h/db')).rejects.toThrow(UnsupportedDatabaseUrlError);
  });

  it('migrates an in-memory SQLite database and is idempotent when migrated again', async () => {
    const database = await createDatabase('sqlite::memory:');
    const { migrateToLatest } = await import('../../src/db');
    await migrateToLatest(database);
    expect(await database.ping()).toBe(true);
    await database.close();
  });

  it('never shows a MySQL password', () => {
    expect(redactDatabaseUrl('mysql://app:s3cret@db.example:3306/orders')).toBe(
      'mysql://app@db.example:3306/orders',
    );
  });
});
