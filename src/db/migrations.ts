import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { archiveMigration } from './archiveMigration';
import { archiveRecordsMigration } from './archiveRecordsMigration';
import type { Migration, MigrationProvider } from './kyselyMigration';
import { addOrderColumns, ORDER_COLUMN_NAMES } from './orderColumns';
import type { DatabaseKind } from './schema';

/**
 * The schema as in-code migrations (no files to ship with a Lambda bundle). Column types are chosen to
 * mean the same on SQLite and MySQL: amounts VARCHAR (TEXT affinity on SQLite), times BIGINT epoch ms.
 */
export class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly kind: DatabaseKind) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '0001_initial': initialMigration(this.kind),
      '0002_orders_side_reduce_only_nullable': nullableSideMigration(this.kind),
      '0003_stored_at_and_import_start': storedAtMigration(),
      '0004_archive': archiveMigration(this.kind),
      '0005_archive_fills_ledger': archiveRecordsMigration(),
    };
  }
}

function initialMigration(kind: DatabaseKind): Migration {
  // SQLite only auto-increments an INTEGER PRIMARY KEY; MySQL wants BIGINT AUTO_INCREMENT for big tables.
  const idType = kind === 'sqlite' ? 'integer' : 'bigint';
  const longText = sql`mediumtext`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('execution_results')
        .addColumn('id', idType, (c) => c.primaryKey().autoIncrement())
        .addColumn('execution_arn', 'varchar(255)', (c) => c.notNull().unique())
        .addColumn('name', 'varchar(80)', (c) => c.notNull())
        .addColumn('status', 'varchar(32)', (c) => c.notNull())
        .addColumn('request', longText)
        .addColumn('start_date', 'bigint')
        .addColumn('stop_date', 'bigint')
        .addColumn('result_bucket', 'varchar(255)')
        .addColumn('orders_jsonl_key', 'varchar(1024)')
        .addColumn('orders_json_key', 'varchar(1024)')
        .addColumn('summary_key', 'varchar(1024)')
        .addColumn('orders_count', 'bigint')
        .addColumn('complete', 'smallint')
        .addColumn('summary', longText)
        .addColumn('error', 'text')
        .addColumn('cause', 'text')
        .addColumn('import_status', 'varchar(16)', (c) => c.notNull().defaultTo('pending'))
        .addColumn('imported_orders', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('import_offset', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('import_error', 'text')
        .addColumn('import_claimed_at', 'bigint')
        .addColumn('imported_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('execution_results_start_date_idx')
        .on('execution_results')
        .column('start_date')
        .execute();

      await createOrdersTable(db, 'orders', idType, { unknownSide: false });
      await createOrdersIndexes(db);

      await db.schema
        .createTable('processing_logs')
        .addColumn('id', idType, (c) => c.primaryKey().autoIncrement())
        .addColumn('execution_arn', 'varchar(255)', (c) => c.notNull())
        .addColumn('level', 'varchar(8)', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('processing_logs_execution_arn_idx')
        .on('processing_logs')
        .columns(['execution_arn', 'created_at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('processing_logs').execute();
      await db.schema.dropTable('orders').execute();
      await db.schema.dropTable('execution_results').execute();
    },
  };
}

/**
 * `side` and `reduce_only` may be unknown (null): a v3 trigger order names the position it opens or closes,
 * not which (see src/core/order.ts). MySQL relaxes the columns in place; SQLite cannot, so the table is
 * rebuilt with every row copied, and its indexes recreated.
 */
function nullableSideMigration(kind: DatabaseKind): Migration {
  const idType = kind === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: Kysely<unknown>) {
      if (kind === 'mysql') {
        await sql`ALTER TABLE orders MODIFY COLUMN side varchar(8) NULL, MODIFY COLUMN reduce_only smallint NULL`.execute(
          db,
        );
        return;
      }
      await createOrdersTable(db, 'orders_0002', idType, { unknownSide: true });
      await sql`INSERT INTO orders_0002 SELECT * FROM orders`.execute(db);
      await db.schema.dropTable('orders').execute();
      await db.schema.alterTable('orders_0002').renameTo('orders').execute();
      await createOrdersIndexes(db);
    },
    async down() {
      throw new Error(
        '0002 cannot be undone: rows with an unknown side or reduceOnly have no NOT NULL value',
      );
    },
  };
}

async function createOrdersTable(
  db: Kysely<unknown>,
  name: string,
  idType: 'integer' | 'bigint',
  opts: { unknownSide: boolean },
): Promise<void> {
  const keyed = db.schema
    .createTable(name)
    .addColumn('id', idType, (c) => c.primaryKey().autoIncrement())
    .addColumn('execution_arn', 'varchar(255)', (c) =>
      c.notNull().references('execution_results.execution_arn').onDelete('cascade'),
    );
  await addOrderColumns(keyed, ORDER_COLUMN_NAMES, opts)
    .addUniqueConstraint(`${name}_execution_order_market_uq`, ['execution_arn', 'order_id', 'market'])
    .execute();
}

async function createOrdersIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('orders_symbol_c_time_idx')
    .on('orders')
    .columns(['symbol', 'c_time'])
    .execute();
  await db.schema.createIndex('orders_c_time_idx').on('orders').column('c_time').execute();
  await db.schema
    .createIndex('orders_execution_arn_c_time_idx')
    .on('orders')
    .columns(['execution_arn', 'c_time'])
    .execute();
}

/**
 * When each order row was stored (the source system's `orders.created_at`) and when the last import attempt
 * started (for the import's processing time). Rows stored before this migration keep NULL: unknown.
 */
function storedAtMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('orders').addColumn('created_at', 'bigint').execute();
      await db.schema.alterTable('execution_results').addColumn('import_started_at', 'bigint').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('execution_results').dropColumn('import_started_at').execute();
      await db.schema.alterTable('orders').dropColumn('created_at').execute();
    },
  };
}
