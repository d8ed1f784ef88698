import { aFill, aLedgerEntry, anOrder } from '../../tests/helpers/canonicalRecords';
import { summariseAccounting } from './summary';

async function* streamOf<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

describe('summariseAccounting', () => {
  it('reconciles and totals from sources each read once, as JSON', async () => {
    const opened: string[] = [];
    const source =
      <T>(name: string, items: T[]) =>
      () => {
        opened.push(name);
        return streamOf(items);
      };
    const summary = await summariseAccounting({
      orders: source('orders', [anOrder()]),
      fills: source('fills', [aFill()]),
      ledger: source('ledger', [aLedgerEntry()]),
    });
    // The fills first (the reconciliation folds them before it reads an order), then the orders, then the ledger.
    expect(opened).toEqual(['fills', 'orders', 'ledger']);
    const json = JSON.parse(JSON.stringify(summary)) as typeof summary;
    expect(json.reconciliation.discrepancies).toBe(0);
    expect(json.reconciliation.checked).toEqual({ orders: 1, fills: 1, feeEntries: 1 });
    expect(json.totals.feesPaid).toEqual({ BTC: '0.00001' });
    expect(json.totals.volume).toEqual({ spot: { BTCUSDT: { fills: 1, base: '0.01', quote: '500' } } });
  });
});
