/**
 * Canonical fills and ledger entries as rows of `archive_fills` and `archive_ledger`, and back. On the way in
 * every record is parsed against the canonical schema narrowed to what the columns hold (a field too long for
 * its column is refused by name, never truncated); on the way out the row is parsed back into the record.
 */
import { z } from 'zod';
import { fillRecordSchema, ledgerRecordSchema } from '../accounting/recordLines';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import { InvalidArchiveRecordError } from './errors';
import type { ArchiveFillsTable, ArchiveLedgerTable } from './schema';

/** A decimal id left-padded with zeros to 25 digits: sorts as the integer it is. */
export const idKey = (id: string): string => id.padStart(25, '0');

const upTo = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const amount = upTo(64).regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, 'not a decimal string');

/** The canonical fill, with the limits of archive_fills' columns. */
const fillColumns = fillRecordSchema.extend({
  symbol: upTo(40).min(1),
  price: amount,
  size: amount,
  quoteVolume: amount,
  fee: amount.nullable(),
  feeCoin: upTo(32).min(1).nullable(),
  tradeSide: upTo(32).nullable(),
  posSide: upTo(32).nullable(),
  profit: amount.nullable(),
  cTime: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/** The canonical ledger entry, with the limits of archive_ledger's columns. */
const ledgerColumns = ledgerRecordSchema.extend({
  coin: upTo(32).min(1),
  amount,
  fee: amount.nullable(),
  balance: amount.nullable(),
  businessType: upTo(64),
  symbol: upTo(40).nullable(),
  orderId: upTo(25).nullable(),
  cTime: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

function checked<T>(schema: z.ZodType<T>, value: unknown, location: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidArchiveRecordError(location, issue.path.join('/'), issue.message);
  }
  return parsed.data;
}

export function fillToRow(uid: string, fill: CanonicalFill): ArchiveFillsTable {
  const f = checked(fillColumns, fill, `fill ${fill.market}/${fill.tradeId} of account ${uid}`);
  return {
    uid,
    market: f.market,
    trade_id: f.tradeId,
    trade_key: idKey(f.tradeId),
    order_id: f.orderId,
    symbol: f.symbol,
    side: f.side,
    price: f.price,
    size: f.size,
    quote_volume: f.quoteVolume,
    fee: f.fee,
    fee_coin: f.feeCoin,
    fees: JSON.stringify(f.fees),
    role: f.role,
    trade_side: f.tradeSide,
    pos_side: f.posSide,
    profit: f.profit,
    c_time: f.cTime,
    raw: JSON.stringify(f.raw),
  };
}

export function rowToFill(row: ArchiveFillsTable): CanonicalFill {
  return fillRecordSchema.parse({
    tradeId: row.trade_id,
    orderId: row.order_id,
    market: row.market,
    symbol: row.symbol,
    side: row.side,
    price: row.price,
    size: row.size,
    quoteVolume: row.quote_volume,
    fee: row.fee,
    feeCoin: row.fee_coin,
    fees: JSON.parse(row.fees) as unknown,
    role: row.role,
    tradeSide: row.trade_side,
    posSide: row.pos_side,
    profit: row.profit,
    cTime: Number(row.c_time),
    raw: JSON.parse(row.raw) as unknown,
  });
}

export function ledgerToRow(uid: string, entry: CanonicalLedgerEntry): ArchiveLedgerTable {
  const e = checked(
    ledgerColumns,
    entry,
    `ledger entry ${entry.source}/${entry.account}/${entry.billId} of account ${uid}`,
  );
  return {
    uid,
    source: e.source,
    account: e.account,
    bill_id: e.billId,
    bill_key: idKey(e.billId),
    coin: e.coin,
    amount: e.amount,
    fee: e.fee,
    balance: e.balance,
    type: e.type,
    business_type: e.businessType,
    symbol: e.symbol,
    order_id: e.orderId,
    c_time: e.cTime,
    raw: JSON.stringify(e.raw),
  };
}

export function rowToLedger(row: ArchiveLedgerTable): CanonicalLedgerEntry {
  return ledgerRecordSchema.parse({
    billId: row.bill_id,
    account: row.account,
    coin: row.coin,
    amount: row.amount,
    fee: row.fee,
    balance: row.balance,
    type: row.type,
    businessType: row.business_type,
    symbol: row.symbol,
    orderId: row.order_id,
    source: row.source,
    cTime: Number(row.c_time),
    raw: JSON.parse(row.raw) as unknown,
  });
}
