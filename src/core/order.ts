/** The canonical order record: one line of orders.jsonl (see shared DESIGN.md, "Canonical order record"). */

export const MARKETS = ['spot', 'usdt-futures', 'usdc-futures', 'coin-futures'] as const;
export type Market = (typeof MARKETS)[number];

export const KINDS = ['normal', 'tpsl', 'plan'] as const;
export type Kind = (typeof KINDS)[number];

/** Futures product types as Bitget spells them, per market. */
export const PRODUCT_TYPE_BY_MARKET = {
  'usdt-futures': 'USDT-FUTURES',
  'usdc-futures': 'USDC-FUTURES',
  'coin-futures': 'COIN-FUTURES',
} as const;
export type FuturesMarket = keyof typeof PRODUCT_TYPE_BY_MARKET;
export type ProductType = (typeof PRODUCT_TYPE_BY_MARKET)[FuturesMarket];

/**
 * Every key is always present; a value that does not apply to the order (leverage on spot, fee when nothing
 * was paid) is null. Amounts are decimal strings exactly as Bitget sent them, never floats; times are epoch ms.
 */
export interface CanonicalOrder {
  orderId: string;
  clientOid: string | null;
  market: Market;
  kind: Kind;
  /** Upper case, v2 spelling (a v1 suffix such as `_UMCBL` is removed). */
  symbol: string;
  /**
   * Direction of the trade: a hedge-mode close of a long is a sell. null when the row does not say and nothing
   * implies it (a v3 trigger order names only the position side: it may open that position or close it).
   */
  side: 'buy' | 'sell' | null;
  orderType: string;
  /** Unified spelling: `cancelled` becomes `canceled`. */
  status: string;
  price: string | null;
  size: string | null;
  priceAvg: string | null;
  baseVolume: string | null;
  quoteVolume: string | null;
  /** Positive amount paid, in feeCoin; null when nothing was paid. */
  fee: string | null;
  feeCoin: string | null;
  leverage: string | null;
  marginMode: string | null;
  posSide: string | null;
  tradeSide: string | null;
  /** Whether the order can only reduce a position; null when the row does not say and nothing implies it. */
  reduceOnly: boolean | null;
  cTime: number;
  uTime: number | null;
  /** The exchange's row exactly as received. */
  raw: Record<string, unknown>;
}

/** The global sort key of a run: (cTime, orderId), orderId compared as a decimal integer. */
export function compareOrderKey(aTime: number, aId: string, bTime: number, bId: string): number {
  if (aTime !== bTime) return aTime < bTime ? -1 : 1;
  return compareDecimalIds(aId, bId);
}

/** Bitget order ids are decimal integers longer than 2^53: compare them as strings of digits. */
export function compareDecimalIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
