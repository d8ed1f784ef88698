/** The canonical ledger entry: one line of ledger.jsonl (see shared DESIGN.md, "Canonical ledger entry"). */

import { compareDecimalIds } from './order';

/** The product's vocabulary for what moved an account's balance; `businessType` keeps the exchange's own word. */
export const LEDGER_TYPES = [
  'trade',
  'fee',
  'funding',
  'transfer',
  'deposit',
  'withdrawal',
  'bonus',
  'interest',
  'liquidation',
  'other',
] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

/** Where an entry came from: the ledger (bills) endpoints, or the tax records, which reach further back. */
export const LEDGER_SOURCES = ['bills', 'tax'] as const;
export type LedgerSource = (typeof LEDGER_SOURCES)[number];

/** The account a bill belongs to: a market, margin, the unified account, p2p. */
export type LedgerAccount =
  'spot' | 'usdt-futures' | 'usdc-futures' | 'coin-futures' | 'margin' | 'uta' | 'p2p';

/**
 * Every key is always present; a value the row does not carry is null. Amounts are decimal strings exactly as
 * Bitget sent them, never floats; times are epoch ms.
 */
export interface CanonicalLedgerEntry {
  billId: string;
  account: LedgerAccount;
  coin: string;
  /** Signed: negative leaves the account. */
  amount: string;
  /** The positive fee charged with this entry; null when none. */
  fee: string | null;
  /** The balance after the entry, where the exchange says it. */
  balance: string | null;
  type: LedgerType;
  /** The exchange's own word for the entry (businessType, spotTaxType, futureTaxType, …). */
  businessType: string;
  symbol: string | null;
  orderId: string | null;
  source: LedgerSource;
  cTime: number;
  /** The exchange's row exactly as received. */
  raw: Record<string, unknown>;
}

/** The canonical fields of a ledger entry in DESIGN.md's order (`raw` follows them). */
export const LEDGER_FIELDS = [
  'billId',
  'account',
  'coin',
  'amount',
  'fee',
  'balance',
  'type',
  'businessType',
  'symbol',
  'orderId',
  'source',
  'cTime',
] as const satisfies readonly Exclude<keyof CanonicalLedgerEntry, 'raw'>[];

/** Sort key of ledger.jsonl: (cTime, billId), billId compared as a decimal integer. */
export function compareLedgerEntries(
  a: Pick<CanonicalLedgerEntry, 'cTime' | 'billId'>,
  b: Pick<CanonicalLedgerEntry, 'cTime' | 'billId'>,
): number {
  if (a.cTime !== b.cTime) return a.cTime < b.cTime ? -1 : 1;
  return compareDecimalIds(a.billId, b.billId);
}

/** A ledger entry is unique per (source, account, billId). */
export function ledgerKey(e: Pick<CanonicalLedgerEntry, 'source' | 'account' | 'billId'>): string {
  return `${e.source}:${e.account}:${e.billId}`;
}
