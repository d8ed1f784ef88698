/**
 * Fills of the three fill endpoints → `CanonicalFill` (shared DESIGN.md, "Canonical fill record"; mapping
 * decisions in the shared notes): spot `price` = priceAvg, `size` = size, `quoteVolume` = amount;
 * futures price / baseVolume / quoteVolume / profit; v3 execPrice / execQty / execValue / execPnl; `role` =
 * tradeScope; every fee entry with a non-zero fee in `fees`, `fee`/`feeCoin` the first.
 */
import type { CanonicalFill, FillFee } from '../core/fill';
import type { Market } from '../core/order';
import { canonicalSymbol } from '../core/request';
import { isBlank, isZeroAmount, paidFromNegative, paidFromPositive } from './datasetAmounts';
import type { FuturesFillRow, SpotFillRow, UtaFillRow } from './datasetSchemas';
import { futuresFillRowSchema, spotFillRowSchema, utaFillRowSchema } from './datasetSchemas';
import type { SourceOf } from './datasetSources';
import { BitgetResponseError } from './errors';
import { marketOfProductType, marketOfUtaCategory } from './normalise';
import { parseOrThrow } from './schemas';

export type FillSource = SourceOf<'spotFills' | 'futuresFills' | 'utaFills'>;

function role(tradeScope: string | null | undefined): CanonicalFill['role'] {
  if (isBlank(tradeScope)) return null;
  const r = tradeScope.trim().toLowerCase();
  if (r === 'taker' || r === 'maker') return r;
  throw new BitgetResponseError('normaliser', 'tradeScope', `unknown tradeScope "${tradeScope}"`);
}

function plainSide(side: string): 'buy' | 'sell' {
  const s = side.trim().toLowerCase();
  if (s === 'buy' || s === 'sell') return s;
  throw new BitgetResponseError('normaliser', 'side', `unknown side "${side}"`);
}

/** The order rule: in hedge mode Bitget sends the position's side, and a `close` trades the other way. */
function futuresDirection(side: string, tradeSide: string | null | undefined): 'buy' | 'sell' {
  const s = plainSide(side);
  if (tradeSide?.trim().toLowerCase() === 'close') return s === 'buy' ? 'sell' : 'buy';
  return s;
}

/**
 * The v2 fill row carries no `posSide`, but its `posMode` and `side` fix it: in hedge mode `side` is the
 * position's side (buy → long, sell → short), in one-way mode the position is `net`. Any other mode keeps the
 * row's own `posSide` if it sends one (docs/DATASETS.md).
 */
function futuresPosSide(r: FuturesFillRow): string | null {
  const mode = r.posMode?.trim().toLowerCase();
  if (mode === 'hedge_mode') return plainSide(r.side) === 'buy' ? 'long' : 'short';
  if (mode === 'one_way_mode') return 'net';
  return textOrNull(r.posSide);
}

function textOrNull(value: string | null | undefined): string | null {
  return isBlank(value) ? null : value;
}

/** v2 fee entries (totalFee negative = paid) → the amounts paid, zero entries left out. */
function v2Fees(entries: readonly { feeCoin: string; totalFee?: string | null | undefined }[]): FillFee[] {
  return entries
    .filter((e) => !isBlank(e.totalFee) && !isZeroAmount(e.totalFee))
    .map((e) => ({ fee: paidFromNegative(e.totalFee!), feeCoin: e.feeCoin }));
}

function withFees(fees: FillFee[]): Pick<CanonicalFill, 'fee' | 'feeCoin' | 'fees'> {
  const first = fees[0];
  return { fee: first?.fee ?? null, feeCoin: first?.feeCoin ?? null, fees };
}

function spotFill(r: SpotFillRow, raw: Record<string, unknown>): CanonicalFill {
  return {
    tradeId: r.tradeId,
    orderId: r.orderId,
    market: 'spot',
    symbol: canonicalSymbol(r.symbol),
    side: plainSide(r.side),
    price: r.priceAvg,
    size: r.size,
    quoteVolume: r.amount,
    ...withFees(v2Fees(r.feeDetail ? [r.feeDetail] : [])),
    role: role(r.tradeScope),
    tradeSide: null,
    posSide: null,
    profit: null,
    cTime: Number(r.cTime),
    raw,
  };
}

function futuresFill(market: Market, r: FuturesFillRow, raw: Record<string, unknown>): CanonicalFill {
  return {
    tradeId: r.tradeId,
    orderId: r.orderId,
    market,
    symbol: canonicalSymbol(r.symbol),
    side: futuresDirection(r.side, r.tradeSide),
    price: r.price,
    size: r.baseVolume,
    quoteVolume: r.quoteVolume,
    ...withFees(v2Fees(r.feeDetail ?? [])),
    role: role(r.tradeScope),
    tradeSide: textOrNull(r.tradeSide),
    posSide: futuresPosSide(r),
    profit: textOrNull(r.profit),
    cTime: Number(r.cTime),
    raw,
  };
}

/** v3 sides are already the trade's direction (a close of a long is `sell` with posSide `long`). */
function utaFill(market: Market, r: UtaFillRow, raw: Record<string, unknown>): CanonicalFill {
  const fees = (r.feeDetail ?? [])
    .filter((e) => !isZeroAmount(e.fee))
    .map((e) => ({ fee: paidFromPositive(e.fee), feeCoin: e.feeCoin }));
  return {
    tradeId: r.execId,
    orderId: r.orderId,
    market,
    symbol: canonicalSymbol(r.symbol),
    side: plainSide(r.side),
    price: r.execPrice,
    size: r.execQty,
    quoteVolume: r.execValue,
    ...withFees(fees),
    role: role(r.tradeScope),
    tradeSide: textOrNull(r.tradeSide),
    posSide: textOrNull(r.posSide),
    profit: market === 'spot' ? null : textOrNull(r.execPnl),
    cTime: Number(r.createdTime),
    raw,
  };
}

/** One fill row as received → its canonical record; a malformed row is refused, naming endpoint and field. */
export function normaliseFill(source: FillSource, row: unknown): CanonicalFill {
  // A loose schema keeps every field it does not check, so the parsed row is the row as received (`raw`).
  switch (source.endpoint) {
    case 'spotFills': {
      const r = parseOrThrow(spotFillRowSchema, row, source.endpoint);
      return spotFill(r, r);
    }
    case 'futuresFills': {
      const r = parseOrThrow(futuresFillRowSchema, row, source.endpoint);
      return futuresFill(marketOfProductType(source.productType), r, r);
    }
    case 'utaFills': {
      const r = parseOrThrow(utaFillRowSchema, row, source.endpoint);
      return utaFill(marketOfUtaCategory(source.category), r, r);
    }
  }
}
