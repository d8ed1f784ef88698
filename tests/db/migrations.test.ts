import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createDatabase, migrateToLatest } from '../../src/db';
import type { Database, DatabaseKind } from '../../src/db';
import { Migrator } from '../../src/db/kyselyMigration';
import { InCodeMigrationProvider } from '../../src/db/migrations';
import { ORDER_COLUMN_NAMES } from '../../src/db/orderColumns';
import { orderToRow, rowToOrder } from '../../src/db/orderRecord';
import { FakeExchange } from '../helpers/fakeExchange';
import { MYSQL_URL } from './support/databases';

/** A database of one kind, not migrated, and how to throw it away. */
async function unmigrated(kind: DatabaseKind): Promise<{ database: Database; dispose: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bitget-orders-mig-'));
    const database = await createDatabase(`sqlite:${join(dir, 'm.sqlite')}`, { migrate: false });
    return {
      database,
      dispose: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `bitget_orders_mig_${randomBytes(6).toString('hex')}`;
  const admin = await createConnection(MYSQL_URL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await admin.end();
  const url = new URL(MYSQL_URL);
  url.pathname = `/${name}`;
  const database = await createDatabase(url.toString(), { migrate: false, poolSize: 2 });
  return {
    database,
    dispose: async () => {
      await database.close();
      const conn = await createConnection(MYSQL_URL);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

describe.each(['sqlite', 'mysql'] as const)('migration 0002 on %s', (kind) => {
  it('keeps every stored order and then accepts an unknown side and reduceOnly', async () => {
    const { database, dispose } = await unmigrated(kind);
    try {
      const migrator = new Migrator({ db: database.db, provider: new InCodeMigrationProvider(kind) });
      expect((await migrator.migrateTo('0001_initial')).error).toBeUndefined();
      const arn = 'arn:aws:states:local:0:execution:m:run-1';
      await database.db
        .insertInto('execution_results')
        .values({
          execution_arn: arn,
          name: 'run-1',
          status: 'SUCCEEDED',
          import_status: 'imported',
          imported_orders: 1,
          import_offset: 0,
          created_at: 1,
          updated_at: 1,
        })
        .execute();
      const before = FakeExchange.order(1, 1_700_000_000_000, { reduceOnly: true, side: 'sell' });
      // A row as 0001 stored it: without the columns later migrations add.
      const { created_at: _storedAt, ...asOf0001 } = orderToRow(arn, before);
      await database.db.insertInto('orders').values(asOf0001).execute();

      await migrateToLatest(database);

      const kept = await database.db.selectFrom('orders').selectAll().execute();
      expect(kept.map((r) => rowToOrder(r))).toEqual([before]);
      expect(kept[0]!.created_at).toBeNull(); // unknown for rows stored before 0003
      const unknown = FakeExchange.order(2, 1_700_000_000_001, {
        kind: 'plan',
        side: null,
        reduceOnly: null,
      });
      await database.db.insertInto('orders').values(orderToRow(arn, unknown)).execute();
      const back = await database.db
        .selectFrom('orders')
        .selectAll()
        .where('order_id', '=', unknown.orderId)
        .executeTakeFirstOrThrow();
      expect(rowToOrder(back)).toMatchObject({ side: null, reduceOnly: null, kind: 'plan' });
      // The rebuilt table keeps its unique key: the same order of the same run is refused twice.
      await expect(
        database.db.insertInto('orders').values(orderToRow(arn, unknown)).execute(),
      ).rejects.toThrow();
    } finally {
      await dispose();
    }
  });
});

describe.each(['sqlite', 'mysql'] as const)('the migrated schema on %s', (kind) => {
  it('gives orders and archive_orders every column of the canonical order with the same type and nullability', async () => {
    const { database, dispose } = await unmigrated(kind);
    try {
      await migrateToLatest(database);
      const tables = await database.db.introspection.getTables();
      const columnsOf = (table: string) => {
        const found = tables.find((t) => t.name === table);
        if (!found) throw new Error(`no table ${table}`);
        return new Map(
          found.columns.map((c) => [c.name, { dataType: c.dataType, isNullable: c.isNullable }]),
        );
      };
      const orders = columnsOf('orders');
      const archive = columnsOf('archive_orders');
      for (const name of ORDER_COLUMN_NAMES) {
        expect(orders.get(name)).toBeDefined();
        expect({ name, ...orders.get(name) }).toEqual({ name, ...archive.get(name) });
      }
      expect(orders.get('side')?.isNullable).toBe(true);
      expect(orders.get('order_id')?.isNullable).toBe(false);
    } finally {
      await dispose();
    }
  });
});
