import { aFill, aLedgerEntry, T0 } from '../../tests/helpers/canonicalRecords';
import { FillFees } from './feeMatch';
import { fillEvents, ledgerEvent } from './taxEvents';

describe('tax events', () => {
  it('makes a spot buy one trade: base received, quote sent, its fee on the row', () => {
    const [trade, ...rest] = fillEvents(aFill({ side: 'buy', size: '0.01', quoteVolume: '500.00' }));
    expect(rest).toEqual([]);
    expect(trade).toMatchObject({
      kind: 'trade',
      received: { amount: '0.01', coin: 'BTC' },
      sent: { amount: '500', coin: 'USDT' },
      fee: { amount: '0.00001', coin: 'BTC' },
      id: '2001',
      cTime: T0 + 500,
    });
  });

  it('makes a spot sell quote received, base sent; a second fee coin its own fee event', () => {
    const events = fillEvents(
      aFill({
        side: 'sell',
        fees: [
          { fee: '0.2', feeCoin: 'USDT' },
          { fee: '0.01', feeCoin: 'BGB' },
        ],
      }),
    );
    expect(events.map((e) => [e.kind, e.received, e.sent, e.fee])).toEqual([
      [
        'trade',
        { amount: '500', coin: 'USDT' },
        { amount: '0.01', coin: 'BTC' },
        { amount: '0.2', coin: 'USDT' },
      ],
      ['spotTradingFee', null, { amount: '0.01', coin: 'BGB' }, null],
    ]);
  });

  it('makes a futures fill its realised profit or loss in the settle coin and its fee; nothing when both are zero', () => {
    const close = fillEvents(
      aFill({ market: 'usdt-futures', profit: '-12.5', fees: [{ fee: '0.3', feeCoin: 'USDT' }] }),
    );
    expect(close.map((e) => [e.kind, e.received, e.sent])).toEqual([
      ['realisedPnl', null, { amount: '12.5', coin: 'USDT' }],
      ['futuresTradingFee', null, { amount: '0.3', coin: 'USDT' }],
    ]);
    expect(fillEvents(aFill({ market: 'coin-futures', symbol: 'BTCUSD', profit: '0', fees: [] }))).toEqual(
      [],
    );
  });

  it('leaves out ledger trade entries and the fee entries a fill carries, and keeps a fee no fill paid', () => {
    const fees = new FillFees();
    fees.add(aFill());
    expect(ledgerEvent(aLedgerEntry({ type: 'trade', amount: '0.01' }), fees)).toEqual({ skipped: 'trade' });
    expect(ledgerEvent(aLedgerEntry({ billId: '1' }), fees)).toEqual({ skipped: 'feeOfAFill' });
    // the same fee a second time: that fill's match is used up
    expect(ledgerEvent(aLedgerEntry({ billId: '2' }), fees)).toMatchObject({
      event: { kind: 'fee', sent: { amount: '0.00001', coin: 'BTC' }, id: '2' },
    });
  });

  it('gives a ledger movement its direction by the sign of its amount', () => {
    const fees = new FillFees();
    const kinds = [
      aLedgerEntry({ type: 'funding', amount: '-0.3', coin: 'USDT' }),
      aLedgerEntry({ type: 'funding', amount: '0.1', coin: 'USDT' }),
      aLedgerEntry({ type: 'deposit', amount: '100', coin: 'USDT' }),
      aLedgerEntry({ type: 'withdrawal', amount: '-50', coin: 'USDT', fee: '1' }),
      aLedgerEntry({ type: 'transfer', amount: '-20', coin: 'USDT' }),
      aLedgerEntry({ type: 'bonus', amount: '5', coin: 'USDT' }),
      aLedgerEntry({ type: 'interest', amount: '-0.01', coin: 'USDT' }),
      aLedgerEntry({ type: 'other', amount: '2', coin: 'USDT' }),
    ].map((e) => {
      const r = ledgerEvent(e, fees);
      return 'event' in r
        ? [r.event.kind, r.event.received?.amount ?? null, r.event.sent?.amount ?? null]
        : r;
    });
    expect(kinds).toEqual([
      ['fundingPaid', null, '0.3'],
      ['fundingReceived', '0.1', null],
      ['deposit', '100', null],
      ['withdrawal', null, '50'],
      ['transferOut', null, '20'],
      ['bonus', '5', null],
      ['interestPaid', null, '0.01'],
      ['otherIn', '2', null],
    ]);
    const withdrawal = ledgerEvent(
      aLedgerEntry({ type: 'withdrawal', amount: '-50', coin: 'USDT', fee: '1' }),
      fees,
    );
    expect(withdrawal).toMatchObject({ event: { fee: { amount: '1', coin: 'USDT' } } });
  });
});
