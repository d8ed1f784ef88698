/** Tax events as rows of CoinTracking's CSV import: its transaction type words, its date format, in UTC. */
import type { TaxEvent, TaxEventKind } from './taxEvents';

export const COINTRACKING_COLUMNS = [
  'Type',
  'Buy Amount',
  'Buy Currency',
  'Sell Amount',
  'Sell Currency',
  'Fee',
  'Fee Currency',
  'Exchange',
  'Trade-Group',
  'Comment',
  'Date',
] as const;
export type CoinTrackingRow = Record<(typeof COINTRACKING_COLUMNS)[number], string>;

export const EXCHANGE_NAME = 'Bitget';

/** CoinTracking's transaction types ("Transaction Types" in its documentation). */
const TYPES: Record<TaxEventKind, string> = {
  trade: 'Trade',
  realisedPnl: '', // by sign: Derivatives / Futures Profit or Loss
  spotTradingFee: 'Other Fee',
  // a futures trading fee is a cost of the derivatives position
  futuresTradingFee: 'Margin Fee',
  fee: 'Other Fee',
  fundingPaid: 'Margin Fee',
  fundingReceived: 'Derivatives / Futures Profit',
  deposit: 'Deposit',
  withdrawal: 'Withdrawal',
  transferIn: 'Deposit',
  transferOut: 'Withdrawal',
  bonus: 'Reward / Bonus',
  bonusReversed: 'Other Expense',
  interestReceived: 'Interest Income',
  interestPaid: 'Borrowing Fee',
  liquidation: '', // by sign, as realised profit and loss
  otherIn: 'Deposit',
  otherOut: 'Withdrawal',
};

/** `DD.MM.YYYY HH:mm:ss`, in UTC. */
export function coinTrackingDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)} ${iso.slice(11, 19)}`;
}

function typeOf(e: TaxEvent): string {
  if (e.kind === 'realisedPnl' || e.kind === 'liquidation')
    return e.received ? 'Derivatives / Futures Profit' : 'Derivatives / Futures Loss';
  return TYPES[e.kind];
}

export function coinTrackingRow(e: TaxEvent): CoinTrackingRow {
  return {
    Type: typeOf(e),
    'Buy Amount': e.received?.amount ?? '',
    'Buy Currency': e.received?.coin ?? '',
    'Sell Amount': e.sent?.amount ?? '',
    'Sell Currency': e.sent?.coin ?? '',
    Fee: e.fee?.amount ?? '',
    'Fee Currency': e.fee?.coin ?? '',
    Exchange: EXCHANGE_NAME,
    'Trade-Group': '',
    Comment: `${e.description} [${e.id}]`,
    Date: coinTrackingDate(e.cTime),
  };
}
