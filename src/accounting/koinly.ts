/** Tax events as rows of Koinly's universal CSV template: dates in UTC, Koinly's own labels (tags). */
import type { TaxEvent, TaxEventKind } from './taxEvents';

export const KOINLY_COLUMNS = [
  'Date',
  'Sent Amount',
  'Sent Currency',
  'Received Amount',
  'Received Currency',
  'Fee Amount',
  'Fee Currency',
  'Net Worth Amount',
  'Net Worth Currency',
  'Label',
  'Description',
  'TxHash',
] as const;
export type KoinlyRow = Record<(typeof KOINLY_COLUMNS)[number], string>;

/**
 * Koinly's tags for each event: `realized gain` for futures profit and loss (Koinly's "Realized P&L"), `margin
 * fee` for futures trading fees and funding paid, `cost` for spot trading fees and other fees, `reward` and `loan interest` for
 * income. A plain deposit, withdrawal or transfer has no label (Koinly pairs transfers itself).
 */
const LABELS: Record<TaxEventKind, string> = {
  trade: '',
  realisedPnl: 'realized gain',
  spotTradingFee: 'cost',
  futuresTradingFee: 'margin fee',
  fee: 'cost',
  fundingPaid: 'margin fee',
  fundingReceived: 'realized gain',
  deposit: '',
  withdrawal: '',
  transferIn: '',
  transferOut: '',
  bonus: 'reward',
  bonusReversed: 'cost',
  interestReceived: 'loan interest',
  interestPaid: 'interest payment',
  liquidation: 'realized gain',
  otherIn: '',
  otherOut: '',
};

/** `YYYY-MM-DD HH:mm:ss UTC`. */
export function koinlyDate(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

export function koinlyRow(e: TaxEvent): KoinlyRow {
  return {
    Date: koinlyDate(e.cTime),
    'Sent Amount': e.sent?.amount ?? '',
    'Sent Currency': e.sent?.coin ?? '',
    'Received Amount': e.received?.amount ?? '',
    'Received Currency': e.received?.coin ?? '',
    'Fee Amount': e.fee?.amount ?? '',
    'Fee Currency': e.fee?.coin ?? '',
    'Net Worth Amount': '',
    'Net Worth Currency': '',
    Label: LABELS[e.kind],
    Description: e.description,
    TxHash: e.id,
  };
}
