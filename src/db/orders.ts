import { sql } from 'kysely';
import type { CanonicalOrder } from '../core/order';
import type { Database } from './connection';
import { InvalidPageError } from './errors';
import { rowToOrder } from './orderRecord';

export const MAX_PAGE_SIZE = 100;

export interface OrdersPage {
  orders: CanonicalOrder[];
  total: number;
  skip: number;
  limit: number;
  has_more: boolean;
}

/** An order as stored: the row's id, when it was stored (null when unknown) and the canonical record. */
export interface StoredOrder {
  id: number;
  storedAt: number | null;
  order: CanonicalOrder;
}

export interface StoredOrdersPage extends Omit<OrdersPage, 'orders'> {
  orders: StoredOrder[];
}

/** One page of an execution's orders in the run's global order: (cTime, orderId as a decimal integer). */
export async function listOrders(
  database: Database,
  executionArn: string,
  page: { skip: number; limit: number },
): Promise<OrdersPage> {
  const stored = await listStoredOrders(database, executionArn, page);
  return { ...stored, orders: stored.orders.map((s) => s.order) };
}

/** The same page with each row's id and storage time. */
export async function listStoredOrders(
  database: Database,
  executionArn: string,
  page: { skip: number; limit: number },
): Promise<StoredOrdersPage> {
  const { skip, limit } = page;
  if (!Number.isInteger(skip) || skip < 0) throw new InvalidPageError('skip must be a non-negative integer');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidPageError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  const total = await countOrders(database, executionArn);
  const rows = await database.db
    .selectFrom('orders')
    .selectAll()
    .where('execution_arn', '=', executionArn)
    .orderBy('c_time')
    .orderBy(sql`length(order_id)`)
    .orderBy('order_id')
    .limit(limit)
    .offset(skip)
    .execute();
  const orders = rows.map((row) => ({
    id: Number(row.id),
    storedAt: row.created_at === null ? null : Number(row.created_at),
    order: rowToOrder(row),
  }));
  return { orders, total, skip, limit, has_more: skip + rows.length < total };
}

export async function countOrders(database: Database, executionArn: string): Promise<number> {
  const row = await database.db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('execution_arn', '=', executionArn)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many distinct symbols the execution's stored orders have (a symbol in several markets counts once). */
export async function countSymbols(database: Database, executionArn: string): Promise<number> {
  const row = await database.db
    .selectFrom('orders')
    .select((eb) => eb.fn.count('symbol').distinct().as('n'))
    .where('execution_arn', '=', executionArn)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
