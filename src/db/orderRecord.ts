import { z } from 'zod';
import { KINDS, MARKETS } from '../core/order';
import type { CanonicalOrder } from '../core/order';
import { InvalidOrderRecordError } from './errors';
import type { OrdersTable } from './schema';

/** A decimal amount exactly as Bitget sent it: digits, optional sign, fraction and exponent; never a float. */
const decimal = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'must be a decimal string such as "0.000079400000"')
  .nullable();
const shortText = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
/**
 * The exchange's row: a JSON object, kept as it came. Checked to be an object without copying its keys one by
 * one (z.record rebuilds the object key by key: about half of the validation's CPU on a 1 KB order).
 */
const rawRow = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'must be a JSON object',
);
const epochMs = z.number().int('must be integer epoch milliseconds').min(0).max(Number.MAX_SAFE_INTEGER);

/** One line of orders.jsonl (the canonical order record, see src/core/order.ts), validated. */
export const canonicalOrderSchema = z.object({
  orderId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an order id of 1-64 letters, digits, _ or -'),
  clientOid: z.string().max(128, 'must be at most 128 characters').nullable(),
  market: z.enum(MARKETS),
  kind: z.enum(KINDS),
  symbol: z.string().regex(/^[A-Z0-9]{2,40}$/, 'must be an upper-case Bitget symbol such as BTCUSDT'),
  side: z.enum(['buy', 'sell']).nullable(),
  orderType: shortText(32),
  status: shortText(32),
  price: decimal,
  size: decimal,
  priceAvg: decimal,
  baseVolume: decimal,
  quoteVolume: decimal,
  fee: decimal,
  feeCoin: shortText(32).nullable(),
  leverage: decimal,
  marginMode: shortText(32).nullable(),
  posSide: shortText(32).nullable(),
  tradeSide: shortText(32).nullable(),
  reduceOnly: z.boolean().nullable(),
  cTime: epochMs,
  uTime: epochMs.nullable(),
  raw: rawRow,
});

/** Parse, don't cast: an unknown value (one parsed JSON line) to a canonical order, or a named error. */
export function parseCanonicalOrder(value: unknown, location: string): CanonicalOrder {
  const parsed = canonicalOrderSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidOrderRecordError(location, issue.path.join('/'), issue.message);
  }
  return parsed.data;
}

/** Parses one NDJSON line (JSON syntax errors become InvalidOrderRecordError too). */
export function parseOrderLine(line: string, location: string): CanonicalOrder {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new InvalidOrderRecordError(location, '', 'is not valid JSON');
  }
  return parseCanonicalOrder(value, location);
}

export type OrderRow = Omit<OrdersTable, 'id'>;

/** `storedAt`: when the row is written (epoch ms), kept as the row's `created_at`. */
export function orderToRow(
  executionArn: string,
  o: CanonicalOrder,
  storedAt: number | null = null,
): OrderRow {
  return {
    execution_arn: executionArn,
    order_id: o.orderId,
    client_oid: o.clientOid,
    market: o.market,
    kind: o.kind,
    symbol: o.symbol,
    side: o.side,
    order_type: o.orderType,
    status: o.status,
    price: o.price,
    size: o.size,
    price_avg: o.priceAvg,
    base_volume: o.baseVolume,
    quote_volume: o.quoteVolume,
    fee: o.fee,
    fee_coin: o.feeCoin,
    leverage: o.leverage,
    margin_mode: o.marginMode,
    pos_side: o.posSide,
    trade_side: o.tradeSide,
    reduce_only: o.reduceOnly === null ? null : o.reduceOnly ? 1 : 0,
    c_time: o.cTime,
    u_time: o.uTime,
    raw: JSON.stringify(o.raw),
    created_at: storedAt,
  };
}

/** A stored row back to the canonical record (the row was validated on the way in). */
export function rowToOrder(row: OrderRow): CanonicalOrder {
  return canonicalOrderSchema.parse({
    orderId: row.order_id,
    clientOid: row.client_oid,
    market: row.market,
    kind: row.kind,
    symbol: row.symbol,
    side: row.side,
    orderType: row.order_type,
    status: row.status,
    price: row.price,
    size: row.size,
    priceAvg: row.price_avg,
    baseVolume: row.base_volume,
    quoteVolume: row.quote_volume,
    fee: row.fee,
    feeCoin: row.fee_coin,
    leverage: row.leverage,
    marginMode: row.margin_mode,
    posSide: row.pos_side,
    tradeSide: row.trade_side,
    reduceOnly: row.reduce_only === null ? null : Number(row.reduce_only) === 1,
    cTime: Number(row.c_time),
    uTime: row.u_time === null ? null : Number(row.u_time),
    raw: JSON.parse(row.raw) as unknown,
  });
}
