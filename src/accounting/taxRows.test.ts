/** The worked example of docs/EXPORTS.md: a spot buy, a futures close with profit, a funding payment, a deposit. */
import { aFill, aLedgerEntry } from '../../tests/helpers/canonicalRecords';
import { coinTrackingDate, coinTrackingRow } from './coinTracking';
import { FillFees } from './feeMatch';
import { koinlyDate, koinlyRow } from './koinly';
import { fillEvents, ledgerEvent, type TaxEvent } from './taxEvents';

const at = (iso: string) => Date.parse(iso);

const spotBuy = aFill({
  tradeId: '1109431644504666114',
  orderId: '1109431644367261698',
  symbol: 'LTCUSDT',
  side: 'buy',
  price: '69.265',
  size: '0.0794',
  quoteVolume: '5.499641',
  fees: [{ fee: '0.0000794', feeCoin: 'LTC' }],
  cTime: at('2026-11-02T09:30:36.970Z'),
});
const futuresClose = aFill({
  tradeId: '2200000000000000001',
  orderId: '2200000000000000000',
  market: 'usdt-futures',
  symbol: 'BTCUSDT',
  side: 'sell',
  price: '51000',
  size: '0.01',
  quoteVolume: '510',
  fees: [{ fee: '0.306', feeCoin: 'USDT' }],
  tradeSide: 'close',
  posSide: 'long',
  profit: '10',
  cTime: at('2026-11-03T14:00:00.000Z'),
});
const funding = aLedgerEntry({
  billId: '3300000000000000001',
  account: 'usdt-futures',
  coin: 'USDT',
  amount: '-0.0425',
  type: 'funding',
  businessType: 'contract_settle_fee',
  symbol: 'BTCUSDT',
  orderId: null,
  cTime: at('2026-11-03T16:00:00.000Z'),
});
const deposit = aLedgerEntry({
  billId: '3300000000000000002',
  account: 'spot',
  coin: 'USDT',
  amount: '1000',
  type: 'deposit',
  businessType: 'deposit',
  symbol: null,
  orderId: null,
  cTime: at('2026-11-01T08:00:00.000Z'),
});

function events(): TaxEvent[] {
  const fees = new FillFees();
  const out = [...fillEvents(spotBuy), ...fillEvents(futuresClose)];
  for (const e of [funding, deposit]) {
    const r = ledgerEvent(e, fees);
    if ('event' in r) out.push(r.event);
  }
  return out;
}

describe('tax-tool rows of the worked example', () => {
  it('spells dates as each tool documents, in UTC', () => {
    expect(koinlyDate(at('2026-11-02T09:30:36.970Z'))).toBe('2026-11-02 09:30:36 UTC');
    expect(coinTrackingDate(at('2026-11-02T09:30:36.970Z'))).toBe('02.11.2026 09:30:36');
  });

  it('writes Koinly rows: a trade, a realized gain, a margin fee for the fee and the funding, a deposit', () => {
    expect(events().map(koinlyRow)).toEqual([
      {
        Date: '2026-11-02 09:30:36 UTC',
        'Sent Amount': '5.499641',
        'Sent Currency': 'USDT',
        'Received Amount': '0.0794',
        'Received Currency': 'LTC',
        'Fee Amount': '0.0000794',
        'Fee Currency': 'LTC',
        'Net Worth Amount': '',
        'Net Worth Currency': '',
        Label: '',
        Description: 'spot LTCUSDT buy 0.0794 @ 69.265',
        TxHash: '1109431644504666114',
      },
      expect.objectContaining({
        Date: '2026-11-03 14:00:00 UTC',
        'Sent Amount': '',
        'Received Amount': '10',
        'Received Currency': 'USDT',
        Label: 'realized gain',
        TxHash: '2200000000000000001',
      }),
      expect.objectContaining({ 'Sent Amount': '0.306', 'Sent Currency': 'USDT', Label: 'margin fee' }),
      expect.objectContaining({
        Date: '2026-11-03 16:00:00 UTC',
        'Sent Amount': '0.0425',
        'Sent Currency': 'USDT',
        Label: 'margin fee',
        Description: 'usdt-futures contract_settle_fee BTCUSDT (bills)',
      }),
      expect.objectContaining({ 'Received Amount': '1000', 'Received Currency': 'USDT', Label: '' }),
    ]);
  });

  it('writes CoinTracking rows with its type words', () => {
    const rows = events().map(coinTrackingRow);
    expect(rows[0]).toEqual({
      Type: 'Trade',
      'Buy Amount': '0.0794',
      'Buy Currency': 'LTC',
      'Sell Amount': '5.499641',
      'Sell Currency': 'USDT',
      Fee: '0.0000794',
      'Fee Currency': 'LTC',
      Exchange: 'Bitget',
      'Trade-Group': '',
      Comment: 'spot LTCUSDT buy 0.0794 @ 69.265 [1109431644504666114]',
      Date: '02.11.2026 09:30:36',
    });
    expect(rows.map((r) => [r.Type, r['Buy Amount'] || r['Sell Amount']])).toEqual([
      ['Trade', '0.0794'],
      ['Derivatives / Futures Profit', '10'],
      ['Margin Fee', '0.306'],
      ['Margin Fee', '0.0425'],
      ['Deposit', '1000'],
    ]);
    const loss = fillEvents({ ...futuresClose, profit: '-4', fees: [] }).map(coinTrackingRow);
    expect(loss.map((r) => [r.Type, r['Sell Amount'], r['Sell Currency']])).toEqual([
      ['Derivatives / Futures Loss', '4', 'USDT'],
    ]);
  });
});
