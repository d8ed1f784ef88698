/** The canonical fill record: one line of fills.jsonl (see shared DESIGN.md, "Canonical fill record"). */

import type { Market } from './order';
import { compareDecimalIds } from './order';

/** One fee paid on a fill: the positive amount in its coin. */
export interface FillFee {
  fee: string;
  feeCoin: string;
}

/**
 * Every key is always present; a value that does not apply (profit on spot, a fee when nothing was paid) is null.
 * Amounts are decimal strings exactly as Bitget sent them (a fee made positive), never floats; times are epoch ms.
 */
export interface CanonicalFill {
  tradeId: string;
  orderId: string;
  market: Market;
  /** Upper case, v2 spelling. */
  symbol: string;
  /** Direction of the trade, under the same rule as orders: a hedge-mode close of a long is a sell. */
  side: 'buy' | 'sell';
  price: string;
  /** In the base coin. */
  size: string;
  /** In the quote coin. */
  quoteVolume: string;
  /** The first entry of `fees`; null when nothing was paid. */
  fee: string | null;
  feeCoin: string | null;
  /** Every fee coin of the fill, one entry each, in the exchange's order; empty when nothing was paid. */
  fees: FillFee[];
  role: 'taker' | 'maker' | null;
  tradeSide: string | null;
  posSide: string | null;
  /** Realised profit or loss of a futures fill, signed; null on spot. */
  profit: string | null;
  cTime: number;
  /** The exchange's row exactly as received. */
  raw: Record<string, unknown>;
}

/** The canonical fields of a fill in DESIGN.md's order (`raw` follows them): the key order of a fills.jsonl line. */
export const FILL_FIELDS = [
  'tradeId',
  'orderId',
  'market',
  'symbol',
  'side',
  'price',
  'size',
  'quoteVolume',
  'fee',
  'feeCoin',
  'fees',
  'role',
  'tradeSide',
  'posSide',
  'profit',
  'cTime',
] as const satisfies readonly Exclude<keyof CanonicalFill, 'raw'>[];

/** Sort key of fills.jsonl: (cTime, tradeId), tradeId compared as a decimal integer. */
export function compareFills(
  a: Pick<CanonicalFill, 'cTime' | 'tradeId'>,
  b: Pick<CanonicalFill, 'cTime' | 'tradeId'>,
): number {
  if (a.cTime !== b.cTime) return a.cTime < b.cTime ? -1 : 1;
  return compareDecimalIds(a.tradeId, b.tradeId);
}

/** A fill is unique per (market, tradeId). */
export function fillKey(f: Pick<CanonicalFill, 'market' | 'tradeId'>): string {
  return `${f.market}:${f.tradeId}`;
}
