/**
 * The columns of a canonical order, written once: the `orders` table (one copy per execution) and
 * `archive_orders` (one row per account and order) are both built from them. Types mean the same on SQLite
 * and MySQL: amounts VARCHAR (TEXT affinity on SQLite), times BIGINT epoch ms.
 */
import { sql } from 'kysely';
import type { CreateTableBuilder } from 'kysely';
import type { OrdersTable } from './schema';

/** A column of the canonical order (the tables add their own keys and bookkeeping around them). */
export type OrderColumn = Exclude<keyof OrdersTable, 'id' | 'execution_arn' | 'created_at'>;

/** What `addColumn` accepts as a type (Kysely does not export the name). */
type DataTypeExpression = Parameters<CreateTableBuilder<string>['addColumn']>[1];

interface ColumnSpec {
  type: DataTypeExpression;
  /** NOT NULL. */
  required?: true;
  /** The exchange's row may not say (src/core/order.ts): NOT NULL only in the first schema of `orders`. */
  unknowable?: true;
}

const ORDER_COLUMNS: Readonly<Record<OrderColumn, ColumnSpec>> = {
  order_id: { type: 'varchar(64)', required: true },
  client_oid: { type: 'varchar(128)' },
  market: { type: 'varchar(16)', required: true },
  kind: { type: 'varchar(8)', required: true },
  symbol: { type: 'varchar(40)', required: true },
  side: { type: 'varchar(8)', unknowable: true },
  order_type: { type: 'varchar(32)', required: true },
  status: { type: 'varchar(32)', required: true },
  price: { type: 'varchar(64)' },
  size: { type: 'varchar(64)' },
  price_avg: { type: 'varchar(64)' },
  base_volume: { type: 'varchar(64)' },
  quote_volume: { type: 'varchar(64)' },
  fee: { type: 'varchar(64)' },
  fee_coin: { type: 'varchar(32)' },
  leverage: { type: 'varchar(64)' },
  margin_mode: { type: 'varchar(32)' },
  pos_side: { type: 'varchar(32)' },
  trade_side: { type: 'varchar(32)' },
  reduce_only: { type: 'smallint', unknowable: true },
  c_time: { type: 'bigint', required: true },
  u_time: { type: 'bigint' },
  raw: { type: sql`mediumtext`, required: true },
};

/** Every column of the canonical order, in the order of the `orders` table. */
export const ORDER_COLUMN_NAMES = Object.keys(ORDER_COLUMNS) as readonly OrderColumn[];

/**
 * Adds the named order columns, in the order given. `unknownSide: false` makes `side` and `reduce_only`
 * NOT NULL, as the first schema of `orders` had them (migration 0002 relaxed them).
 */
export function addOrderColumns<TB extends string, C extends string>(
  table: CreateTableBuilder<TB, C>,
  names: readonly OrderColumn[],
  opts: { unknownSide: boolean } = { unknownSide: true },
): CreateTableBuilder<TB, C | OrderColumn> {
  let built: CreateTableBuilder<TB, C | OrderColumn> = table;
  for (const name of names) {
    const spec = ORDER_COLUMNS[name];
    const notNull = spec.required === true || (spec.unknowable === true && !opts.unknownSide);
    built = built.addColumn(name, spec.type, (c) => (notNull ? c.notNull() : c));
  }
  return built;
}
