/**
 * Parsing one line of fills.jsonl or ledger.jsonl (a run's result, an export) into a canonical record: every
 * field checked with zod on the way in, since the accounting adds these amounts up.
 */
import { z } from 'zod';
import type { CanonicalFill } from '../core/fill';
import { LEDGER_SOURCES, LEDGER_TYPES, type CanonicalLedgerEntry } from '../core/ledgerEntry';
import { MARKETS } from '../core/order';

export class RecordLineError extends Error {
  override readonly name = 'RecordLineError';
}

const decimal = z.string().regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, 'not a decimal string');
const id = z.string().regex(/^\d{1,25}$/, 'not a decimal id');
const text = z.string().min(1);

/** A canonical fill (src/core/fill.ts), checked field by field. */
export const fillRecordSchema = z.object({
  tradeId: id,
  orderId: id,
  market: z.enum(MARKETS),
  symbol: text,
  side: z.enum(['buy', 'sell']),
  price: decimal,
  size: decimal,
  quoteVolume: decimal,
  fee: decimal.nullable(),
  feeCoin: text.nullable(),
  fees: z.array(z.object({ fee: decimal, feeCoin: text })),
  role: z.enum(['taker', 'maker']).nullable(),
  tradeSide: z.string().nullable(),
  posSide: z.string().nullable(),
  profit: decimal.nullable(),
  cTime: z.number().int(),
  raw: z.record(z.string(), z.unknown()),
});

/** A canonical ledger entry (src/core/ledgerEntry.ts), checked field by field. */
export const ledgerRecordSchema = z.object({
  billId: id,
  account: z.enum(['spot', 'usdt-futures', 'usdc-futures', 'coin-futures', 'margin', 'uta', 'p2p']),
  coin: text,
  amount: decimal,
  fee: decimal.nullable(),
  balance: decimal.nullable(),
  type: z.enum(LEDGER_TYPES),
  businessType: z.string(),
  symbol: z.string().nullable(),
  orderId: z.string().nullable(),
  source: z.enum(LEDGER_SOURCES),
  cTime: z.number().int(),
  raw: z.record(z.string(), z.unknown()),
});

function parseLine<T>(what: string, schema: z.ZodType<T>, line: string): T {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new RecordLineError(`a ${what} line is not JSON: ${line.slice(0, 120)}`);
  }
  const checked = schema.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new RecordLineError(
      `a ${what} line has a bad ${issue?.path.join('.') || 'shape'} (${issue?.message}): ${line.slice(0, 120)}`,
    );
  }
  return checked.data;
}

export const parseFillLine = (line: string): CanonicalFill => parseLine('fill', fillRecordSchema, line);
export const parseLedgerLine = (line: string): CanonicalLedgerEntry =>
  parseLine('ledger', ledgerRecordSchema, line);
