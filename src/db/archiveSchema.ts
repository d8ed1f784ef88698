/**
 * The archive in the database: one row per (account, market, orderId), updated in place when a newer version
 * (a newer uTime) arrives, and the partitions already imported (so an import interrupted at any moment resumes).
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DatabaseKind } from './connection';
import type { Migration } from './kyselyMigration';
import type { OrdersTable } from './schema';

export interface ArchiveOrdersTable extends Omit<OrdersTable, 'id' | 'execution_arn' | 'created_at'> {
  uid: string;
  /** orderId left-padded with zeros to 25 digits: sorts as the decimal integer it is (keyset pagination). */
  order_key: string;
  /** uTime, or cTime when the exchange gave none: the newer version replaces the row. */
  version: number;
}

export interface ArchivePartitionsTable {
  uid: string;
  /** The partition's object key (it names its generation: a rewritten partition is imported again). */
  partition_key: string;
  records: number;
  imported_at: number;
}

export interface ArchiveTables {
  archive_orders: ArchiveOrdersTable;
  archive_partitions: ArchivePartitionsTable;
}

export function archiveMigration(_kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('archive_orders')
        .addColumn('uid', 'varchar(20)', (c) => c.notNull())
        .addColumn('market', 'varchar(16)', (c) => c.notNull())
        .addColumn('order_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('order_key', 'varchar(25)', (c) => c.notNull())
        .addColumn('version', 'bigint', (c) => c.notNull())
        .addColumn('client_oid', 'varchar(128)')
        .addColumn('kind', 'varchar(8)', (c) => c.notNull())
        .addColumn('symbol', 'varchar(40)', (c) => c.notNull())
        .addColumn('side', 'varchar(8)') // null: the row does not say (src/core/order.ts)
        .addColumn('order_type', 'varchar(32)', (c) => c.notNull())
        .addColumn('status', 'varchar(32)', (c) => c.notNull())
        .addColumn('price', 'varchar(64)')
        .addColumn('size', 'varchar(64)')
        .addColumn('price_avg', 'varchar(64)')
        .addColumn('base_volume', 'varchar(64)')
        .addColumn('quote_volume', 'varchar(64)')
        .addColumn('fee', 'varchar(64)')
        .addColumn('fee_coin', 'varchar(32)')
        .addColumn('leverage', 'varchar(64)')
        .addColumn('margin_mode', 'varchar(32)')
        .addColumn('pos_side', 'varchar(32)')
        .addColumn('trade_side', 'varchar(32)')
        .addColumn('reduce_only', 'smallint')
        .addColumn('c_time', 'bigint', (c) => c.notNull())
        .addColumn('u_time', 'bigint')
        .addColumn('raw', sql`mediumtext`, (c) => c.notNull())
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
