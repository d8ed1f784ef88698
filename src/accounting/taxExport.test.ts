import { aFill, aLedgerEntry, T0 } from '../../tests/helpers/canonicalRecords';
import { fillTaxEvents, ledgerTaxEvents, newLedgerExportTally } from './taxExport';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('tax exports of whole data sets', () => {
  it('exports every fill’s events in order', async () => {
    const events = await all(fillTaxEvents([aFill({ tradeId: '1' }), aFill({ tradeId: '2', side: 'sell' })]));
    expect(events.map((e) => [e.id, e.kind])).toEqual([
      ['1', 'trade'],
      ['2', 'trade'],
    ]);
  });

  it('does not export a fee twice, nor a trade leg, nor a tax record the bills cover, and counts each', async () => {
    const ledger = [
      aLedgerEntry({
        billId: '1',
        source: 'tax',
        type: 'deposit',
        amount: '100',
        coin: 'USDT',
        cTime: T0 - 10,
      }),
      aLedgerEntry({ billId: '2', source: 'bills', type: 'deposit', amount: '5', coin: 'USDT', cTime: T0 }),
      aLedgerEntry({ billId: '3', source: 'tax', type: 'deposit', amount: '5', coin: 'USDT', cTime: T0 }),
      aLedgerEntry({ billId: '4', type: 'trade', amount: '0.01', cTime: T0 + 500 }),
      aLedgerEntry({ billId: '5', type: 'fee', amount: '-0.00001', cTime: T0 + 500 }),
      // another account's tax record: its account has no bills, so it is kept
      aLedgerEntry({
        billId: '6',
        source: 'tax',
        account: 'margin',
        type: 'interest',
        amount: '-1',
        cTime: T0,
      }),
    ];
    const tally = newLedgerExportTally();
    const events = await all(ledgerTaxEvents({ fills: [aFill()], ledger: () => ledger }, tally));
    expect(events.map((e) => [e.id, e.kind])).toEqual([
      ['1', 'deposit'],
      ['2', 'deposit'],
      ['6', 'interestPaid'],
    ]);
    expect(tally.skipped).toEqual({ trade: 1, feeOfAFill: 1, taxRecordCoveredByBills: 1 });
  });
});
