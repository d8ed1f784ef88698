/**
 * The archive in the database: one row per (account, market, orderId), updated in place when a newer version
 * (a newer uTime) arrives, and the partitions already imported (so an import interrupted at any moment resumes).
 * The tables' types are in schema.ts.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './kyselyMigration';
import { addOrderColumns, ORDER_COLUMN_NAMES } from './orderColumns';
import type { DatabaseKind } from './schema';

export function archiveMigration(_kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const keyed = addOrderColumns(
        db.schema.createTable('archive_orders').addColumn('uid', 'varchar(20)', (c) => c.notNull()),
        ['market', 'order_id'],
      )
        .addColumn('order_key', 'varchar(25)', (c) => c.notNull())
        .addColumn('version', 'bigint', (c) => c.notNull());
      await addOrderColumns(
        keyed,
        ORDER_COLUMN_NAMES.filter((c) => c !== 'market' && c !== 'order_id'),
      )
        .addPrimaryKeyConstraint('archive_orders_pk', ['uid', 'market', 'order_id'])
        .execute();
      await db.schema
        .createIndex('archive_orders_uid_time_idx')
        .on('archive_orders')
        .columns(['uid', 'c_time', 'order_key', 'market'])
        .execute();
      await db.schema
        .createIndex('archive_orders_uid_symbol_time_idx')
        .on('archive_orders')
        .columns(['uid', 'symbol', 'c_time'])
        .execute();
      await db.schema
        .createTable('archive_partitions')
        .addColumn('uid', 'varchar(20)', (c) => c.notNull())
        .addColumn('partition_key', 'varchar(255)', (c) => c.notNull())
        .addColumn('records', 'bigint', (c) => c.notNull())
        .addColumn('imported_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('archive_partitions_pk', ['uid', 'partition_key'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('archive_partitions').execute();
      await db.schema.dropTable('archive_orders').execute();
    },
  };
}
