/**
 * The archive's fills and ledger entries in the database: one row per record and account, keyed as the archive
 * keys them (src/archive/dataset.ts: a fill per market and tradeId, a ledger entry per source, account and
 * billId). Amounts VARCHAR (the decimal exactly as Bitget sent it; TEXT affinity on SQLite), times BIGINT epoch
 * ms, the same on SQLite and MySQL. The tables' types are in schema.ts.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Migration } from './kyselyMigration';

const AMOUNT = 'varchar(64)';
const ID = 'varchar(25)';

export function archiveRecordsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('archive_fills')
        .addColumn('uid', 'varchar(20)', (c) => c.notNull())
        .addColumn('market', 'varchar(16)', (c) => c.notNull())
        .addColumn('trade_id', ID, (c) => c.notNull())
        .addColumn('trade_key', ID, (c) => c.notNull())
        .addColumn('order_id', ID, (c) => c.notNull())
        .addColumn('symbol', 'varchar(40)', (c) => c.notNull())
        .addColumn('side', 'varchar(8)', (c) => c.notNull())
        .addColumn('price', AMOUNT, (c) => c.notNull())
        .addColumn('size', AMOUNT, (c) => c.notNull())
        .addColumn('quote_volume', AMOUNT, (c) => c.notNull())
        .addColumn('fee', AMOUNT)
        .addColumn('fee_coin', 'varchar(32)')
        .addColumn('fees', 'text', (c) => c.notNull())
        .addColumn('role', 'varchar(8)')
        .addColumn('trade_side', 'varchar(32)')
        .addColumn('pos_side', 'varchar(32)')
        .addColumn('profit', AMOUNT)
        .addColumn('c_time', 'bigint', (c) => c.notNull())
        .addColumn('raw', sql`mediumtext`, (c) => c.notNull())
        .addPrimaryKeyConstraint('archive_fills_pk', ['uid', 'market', 'trade_id'])
        .execute();
      await db.schema
        .createIndex('archive_fills_uid_time_idx')
        .on('archive_fills')
        .columns(['uid', 'c_time', 'trade_key', 'market'])
        .execute();
      await db.schema
        .createIndex('archive_fills_uid_symbol_time_idx')
        .on('archive_fills')
        .columns(['uid', 'symbol', 'c_time'])
        .execute();
      await db.schema
        .createIndex('archive_fills_uid_order_idx')
        .on('archive_fills')
        .columns(['uid', 'order_id'])
        .execute();

      await db.schema
        .createTable('archive_ledger')
        .addColumn('uid', 'varchar(20)', (c) => c.notNull())
        .addColumn('source', 'varchar(8)', (c) => c.notNull())
        .addColumn('account', 'varchar(16)', (c) => c.notNull())
        .addColumn('bill_id', ID, (c) => c.notNull())
        .addColumn('bill_key', ID, (c) => c.notNull())
        .addColumn('coin', 'varchar(32)', (c) => c.notNull())
        .addColumn('amount', AMOUNT, (c) => c.notNull())
        .addColumn('fee', AMOUNT)
        .addColumn('balance', AMOUNT)
        .addColumn('type', 'varchar(16)', (c) => c.notNull())
        .addColumn('business_type', 'varchar(64)', (c) => c.notNull())
        .addColumn('symbol', 'varchar(40)')
        .addColumn('order_id', ID)
        .addColumn('c_time', 'bigint', (c) => c.notNull())
        .addColumn('raw', sql`mediumtext`, (c) => c.notNull())
        .addPrimaryKeyConstraint('archive_ledger_pk', ['uid', 'source', 'account', 'bill_id'])
        .execute();
      await db.schema
        .createIndex('archive_ledger_uid_time_idx')
        .on('archive_ledger')
        .columns(['uid', 'c_time', 'bill_key', 'source', 'account'])
        .execute();
      await db.schema
        .createIndex('archive_ledger_uid_coin_time_idx')
        .on('archive_ledger')
        .columns(['uid', 'coin', 'c_time'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('archive_ledger').execute();
      await db.schema.dropTable('archive_fills').execute();
    },
  };
}
