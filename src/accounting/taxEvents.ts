/**
 * What a tax tool needs to know about a fill or a ledger entry, before it is spelled in one tool's CSV: a trade
 * (received one coin for another), a realised profit or loss, a fee, funding, a movement in or out. Koinly and
 * CoinTracking rows are written from these (koinly.ts, coinTracking.ts), so both tools see the same events.
 */
import type DecimalJs from 'decimal.js';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import { settleCoin, spotCoins } from './coins';
import { Decimal, plain } from './decimals';
import type { FillFees } from './feeMatch';

export interface Amount {
  /** Positive. */
  amount: string;
  coin: string;
}

/** What moved: `in` and `out` movements carry the ledger's type, so that each tool can name them. */
export type TaxEventKind =
  | 'trade'
  | 'realisedPnl'
  | 'spotTradingFee'
  | 'futuresTradingFee'
  | 'fee'
  | 'fundingPaid'
  | 'fundingReceived'
  | 'deposit'
  | 'withdrawal'
  | 'transferIn'
  | 'transferOut'
  | 'bonus'
  | 'bonusReversed'
  | 'interestReceived'
  | 'interestPaid'
  | 'liquidation'
  | 'otherIn'
  | 'otherOut';

export interface TaxEvent {
  kind: TaxEventKind;
  cTime: number;
  received: Amount | null;
  sent: Amount | null;
  fee: Amount | null;
  /** Where it came from, for the row's description: the market and symbol, the ledger's own word. */
  description: string;
  /** The exchange's id of the record (tradeId, billId). */
  id: string;
}

const amount = (value: DecimalJs.Value, coin: string): Amount => ({
  amount: plain(new Decimal(value).abs()),
  coin,
});

/**
 * The events of one fill. A spot fill is one trade (its first fee on the row, any further fee coin as a fee of
 * its own); a futures fill is its realised profit or loss (when not zero) and its fees, since no coin changes
 * hands in a futures trade.
 */
export function fillEvents(fill: CanonicalFill): TaxEvent[] {
  const base = { cTime: fill.cTime, id: fill.tradeId };
  const description = `${fill.market} ${fill.symbol} ${fill.side} ${fill.size} @ ${fill.price}`;
  const events: TaxEvent[] = [];
  let fees = fill.fees;
  if (fill.market === 'spot') {
    const coins = spotCoins(fill.symbol);
    const baseAmount = amount(fill.size, coins.base);
    const quoteAmount = amount(fill.quoteVolume, coins.quote);
    const [first, ...rest] = fees;
    events.push({
      ...base,
      kind: 'trade',
      received: fill.side === 'buy' ? baseAmount : quoteAmount,
      sent: fill.side === 'buy' ? quoteAmount : baseAmount,
      fee: first ? amount(first.fee, first.feeCoin) : null,
      description,
    });
    fees = rest;
  } else if (fill.profit !== null && !new Decimal(fill.profit).isZero()) {
    const pnl = amount(fill.profit, settleCoin(fill));
    const gain = new Decimal(fill.profit).isPositive();
    events.push({
      ...base,
      kind: 'realisedPnl',
      received: gain ? pnl : null,
      sent: gain ? null : pnl,
      fee: null,
      description: `${description}: realised ${gain ? 'profit' : 'loss'}`,
    });
  }
  for (const f of fees)
    events.push({
      ...base,
      kind: fill.market === 'spot' ? 'spotTradingFee' : 'futuresTradingFee',
      received: null,
      sent: amount(f.fee, f.feeCoin),
      fee: null,
      description: `${description}: trading fee`,
    });
  return events;
}

/** Why a ledger entry produced no row. */
export type LedgerSkip = 'trade' | 'feeOfAFill';

/** The event kind of each ledger type: [when money comes in, when it goes out]. */
const LEDGER_KINDS: Record<Exclude<CanonicalLedgerEntry['type'], 'trade'>, [TaxEventKind, TaxEventKind]> = {
  fee: ['otherIn', 'fee'],
  funding: ['fundingReceived', 'fundingPaid'],
  transfer: ['transferIn', 'transferOut'],
  deposit: ['deposit', 'withdrawal'],
  withdrawal: ['deposit', 'withdrawal'],
  bonus: ['bonus', 'bonusReversed'],
  interest: ['interestReceived', 'interestPaid'],
  liquidation: ['liquidation', 'liquidation'],
  other: ['otherIn', 'otherOut'],
};
/**
 * The event of one ledger entry, or why it has none: a `trade` entry is one side of a fill (the fills export
 * carries the trade), a fee entry a fill carries is on that fill's row already. Any other entry becomes one
 * event, its direction from the sign of its amount.
 */
export function ledgerEvent(
  entry: CanonicalLedgerEntry,
  fillFees: FillFees,
): { event: TaxEvent } | { skipped: LedgerSkip } {
  if (entry.type === 'trade') return { skipped: 'trade' };
  if (entry.type === 'fee' && fillFees.take(entry)) return { skipped: 'feeOfAFill' };
  const value = new Decimal(entry.amount);
  const incoming = value.isPositive() && !value.isZero();

  const moved = amount(value, entry.coin);
  return {
    event: {
      kind: LEDGER_KINDS[entry.type][incoming ? 0 : 1],
      cTime: entry.cTime,
      received: incoming ? moved : null,
      sent: incoming ? null : moved,
      fee: entry.fee !== null && !new Decimal(entry.fee).isZero() ? amount(entry.fee, entry.coin) : null,
      description: [entry.account, entry.businessType, entry.symbol, `(${entry.source})`]
        .filter((s) => s !== null)
        .join(' '),
      id: entry.billId,
    },
  };
}
