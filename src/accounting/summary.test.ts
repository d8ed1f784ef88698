import { aFill, aLedgerEntry, anOrder, T0 } from '../../tests/helpers/canonicalRecords';
import { accountingInOneReading } from '../../tests/helpers/accounting';
import { Reconciler } from './reconcile';
import { ordersAndFillsAccountingSchema } from './schemas';
import { accountOrdersAndFills, summariseAccounting } from './summary';

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

describe('the orders and fills accounted ahead of the ledger', () => {
  it('gives, with the ledger added later and through JSON, what one pass over the three gives', async () => {
    const orders = [
      anOrder({ orderId: '1', baseVolume: '0.01', fee: '0.00001' }),
      // its fills add up to less than its size (their fees to its fee)
      anOrder({ orderId: '2', baseVolume: '0.05', fee: '0.00005', cTime: T0 + 10 }),
      // traded, no fill
      anOrder({ orderId: '3', baseVolume: '1', cTime: T0 + 20 }),
    ];
    const fills = [
      aFill({ tradeId: 'a', orderId: '1' }),
      aFill({
        tradeId: 'b',
        orderId: '2',
        size: '0.02',
        fees: [{ fee: '0.00004', feeCoin: 'BTC' }],
        cTime: T0 + 10,
      }),
      // no order
      aFill({ tradeId: 'c', orderId: '8', cTime: T0 + 30 }),
      aFill({
        tradeId: 'd',
        orderId: '2',
        size: '0.01',
        fees: [{ fee: '0.00001', feeCoin: 'BTC' }],
        cTime: T0 + 10,
      }),
    ];
    const ledger = [
      aLedgerEntry({ billId: '1', amount: '-0.00001' }),
      aLedgerEntry({ billId: '2', amount: '-0.00001', cTime: T0 + 10 }),
      aLedgerEntry({ billId: '3', amount: '-0.00004', cTime: T0 + 10 }),
      // books no fill's fee
      aLedgerEntry({ billId: '4', amount: '-0.7', cTime: T0 + 40 }),
      aLedgerEntry({ billId: '5', type: 'funding', amount: '-1.25', coin: 'USDT' }),
      aLedgerEntry({ billId: '6', type: 'funding', amount: '0.5', coin: 'USDT', source: 'tax' }),
    ];
    const sources = { orders: () => orders, fills: () => fills, ledger: () => ledger };
    const whole = await accountingInOneReading(orders, fills, ledger);
    const saved = JSON.parse(JSON.stringify(await accountOrdersAndFills(sources)));
    const ahead = ordersAndFillsAccountingSchema.parse(saved);
    const opened: string[] = [];
    const later = await summariseAccounting(
      {
        orders: () => (opened.push('orders'), orders),
        fills: () => (opened.push('fills'), fills),
        ledger: () => (opened.push('ledger'), ledger),
      },
      ahead,
    );
    expect(opened).toEqual(['ledger']);
    expect(later).toEqual(whole);
    expect(await summariseAccounting(sources)).toEqual(whole);
    const r = whole.reconciliation;
    expect([
      r.sizeMismatches.count,
      r.feeMismatches.count,
      r.ordersWithoutFills.count,
      r.fillsWithoutOrder.count,
      r.feeEntriesWithoutFill.count,
    ]).toEqual([1, 0, 1, 1, 1]);
    expect(whole.totals.funding.bills).toEqual({ USDT: { paid: '1.25', received: '0', net: '-1.25' } });
  });

  it('refuses a snapshot after a ledger entry was fed (it would count that entry twice)', () => {
    const r = new Reconciler();
    r.addFill(aFill());
    r.addLedgerEntry(aLedgerEntry());
    expect(() => r.afterOrders()).toThrow(/before any ledger entry/);
  });
});
