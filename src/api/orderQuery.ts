import { sql } from 'kysely';
import type { ExpressionBuilder } from 'kysely';
import type { Database, StoredOrder, Tables } from '../db';
import { rowToOrder } from '../db';
import { BadRequestError } from './errors';

export const MAX_KEYSET_LIMIT = 1000;

/** Which of a run's orders a page holds: each list is "any of", the times bound cTime ([since, until)). */
export interface OrderFilters {
  markets?: string[];
  kinds?: string[];
  symbols?: string[];
  statuses?: string[];
  since?: number;
  until?: number;
}

/** The position after the last order of a page, in the run's order (cTime, then orderId as a decimal integer). */
interface Position {
  cTime: number;
  orderId: string;
}

export interface KeysetPage {
  orders: StoredOrder[];
  /** Orders matching the filters, every page together. */
  matched: number;
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

/** An opaque cursor: base64url of `cTime:orderId`. */
export function encodeCursor(p: Position): string {
  return Buffer.from(`${p.cTime}:${p.orderId}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,16}):(\d{1,40})$/.exec(text);
  if (!match)
    throw new BadRequestError('querystring/after is not a cursor this API gave out', 'querystring/after');
  return { cTime: Number(match[1]), orderId: match[2]! };
}

type OrdersEb = ExpressionBuilder<Tables, 'orders'>;

function filtered(eb: OrdersEb, executionArn: string, f: OrderFilters) {
  const conditions = [eb('execution_arn', '=', executionArn)];
  if (f.markets?.length) conditions.push(eb('market', 'in', f.markets));
  if (f.kinds?.length) conditions.push(eb('kind', 'in', f.kinds));
  if (f.symbols?.length) conditions.push(eb('symbol', 'in', f.symbols));
  if (f.statuses?.length) conditions.push(eb('status', 'in', f.statuses));
  if (f.since !== undefined) conditions.push(eb('c_time', '>=', f.since));
  if (f.until !== undefined) conditions.push(eb('c_time', '<', f.until));
  return eb.and(conditions);
}

/** After (cTime, orderId) in the run's order: orderIds are decimal integers, compared by length then text. */
function after(eb: OrdersEb, p: Position) {
  const length = sql<number>`length(order_id)`;
  return eb.or([
    eb('c_time', '>', p.cTime),
    eb.and([
      eb('c_time', '=', p.cTime),
      eb.or([
        eb(length, '>', p.orderId.length),
        eb.and([eb(length, '=', p.orderId.length), eb('order_id', '>', p.orderId)]),
      ]),
    ]),
  ]);
}

/**
 * One page of a run's stored orders matching the filters, after the cursor: a keyset page, so every page costs
 * the same however deep it is, and rows stored meanwhile never shift it.
 */
export async function listOrdersAfter(
  database: Database,
  executionArn: string,
  filters: OrderFilters,
  page: { after?: string; limit: number },
): Promise<KeysetPage> {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_KEYSET_LIMIT) {
    throw new BadRequestError(
      `querystring/limit must be an integer from 1 to ${MAX_KEYSET_LIMIT}`,
      'querystring/limit',
    );
  }
  const position = page.after === undefined ? undefined : decodeCursor(page.after);
  const [rows, count] = await Promise.all([
    database.db
      .selectFrom('orders')
      .selectAll()
      .where((eb) =>
        position
          ? eb.and([filtered(eb, executionArn, filters), after(eb, position)])
          : filtered(eb, executionArn, filters),
      )
      .orderBy('c_time')
      .orderBy(sql`length(order_id)`)
      .orderBy('order_id')
      .limit(page.limit + 1)
      .execute(),
    database.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll().as('n'))
      .where((eb) => filtered(eb, executionArn, filters))
      .executeTakeFirstOrThrow(),
  ]);
  const more = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  const orders = kept.map((row) => ({
    id: Number(row.id),
    storedAt: row.created_at === null ? null : Number(row.created_at),
    order: rowToOrder(row),
  }));
  const last = orders[orders.length - 1];
  return {
    orders,
    matched: Number(count.n),
    next: more && last ? encodeCursor({ cTime: last.order.cTime, orderId: last.order.orderId }) : null,
  };
}
