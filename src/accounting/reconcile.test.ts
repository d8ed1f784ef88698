import { aFill, aLedgerEntry, anOrder, T0 } from '../../tests/helpers/canonicalRecords';
import { LISTED_PER_CLASS, Reconciler, reconcile } from './reconcile';

async function* streamOf<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

describe('reconcile: orders ↔ fills ↔ ledger fee entries', () => {
  it('finds nothing when the fills add up to each order and each fee entry books a fill’s fee', async () => {
    const r = await reconcile({
      orders: [anOrder({ baseVolume: '0.03', fee: '0.00003' })],
      fills: streamOf([
        aFill({ tradeId: '1', size: '0.01', fees: [{ fee: '0.00001', feeCoin: 'BTC' }] }),
        aFill({ tradeId: '2', size: '0.020', fees: [{ fee: '0.000020', feeCoin: 'BTC' }], cTime: T0 + 600 }),
      ]),
      ledger: [
        aLedgerEntry({ billId: '1', amount: '-0.00001' }),
        aLedgerEntry({ billId: '2', amount: '-0.00002', cTime: T0 + 600 }),
        // not a fee entry of the bills: not checked
        aLedgerEntry({ billId: '3', type: 'deposit', amount: '5' }),
        aLedgerEntry({ billId: '4', source: 'tax', amount: '-9' }),
      ],
    });
    expect(r.discrepancies).toBe(0);
    expect(r.checked).toEqual({ orders: 1, fills: 2, feeEntries: 2 });
    expect(r.sizeMismatches).toEqual({ count: 0, first: [] });
  });

  it('lists an order whose fills do not add up to its size or its fee, with both amounts, uncorrected', async () => {
    const r = await reconcile({
      orders: [anOrder({ orderId: '7', baseVolume: '0.03', fee: '0.00003' })],
      fills: [aFill({ orderId: '7', size: '0.01', fees: [{ fee: '0.00001', feeCoin: 'BTC' }] })],
      ledger: [],
    });
    expect(r.sizeMismatches).toEqual({
      count: 1,
      first: [{ market: 'spot', orderId: '7', orderSize: '0.03', fillsSize: '0.01', fills: 1 }],
    });
    expect(r.feeMismatches).toEqual({
      count: 1,
      first: [{ market: 'spot', orderId: '7', coin: 'BTC', orderFee: '0.00003', fillsFee: '0.00001' }],
    });
    expect(r.discrepancies).toBe(2);
  });

  it('adds amounts as decimals, not floats (0.1 + 0.2 is 0.3)', async () => {
    const r = await reconcile({
      orders: [anOrder({ baseVolume: '0.3', fee: '0.3', feeCoin: 'USDT' })],
      fills: [
        aFill({ tradeId: '1', size: '0.1', fees: [{ fee: '0.1', feeCoin: 'USDT' }] }),
        aFill({ tradeId: '2', size: '0.2', fees: [{ fee: '0.2', feeCoin: 'USDT' }] }),
      ],
      ledger: [],
    });
    expect(r.discrepancies).toBe(0);
  });

  it('compares fees in the order’s fee coin only, and flags fees on fills of an order that paid none', async () => {
    const r = await reconcile({
      orders: [
        anOrder({ orderId: '1', fee: '0.5', feeCoin: 'BGB' }),
        anOrder({ orderId: '2', fee: null, feeCoin: null }),
      ],
      fills: [
        aFill({
          orderId: '1',
          fees: [
            { fee: '0.5', feeCoin: 'BGB' },
            { fee: '0.00001', feeCoin: 'BTC' },
          ],
        }),
        aFill({ orderId: '2', tradeId: '9', fees: [{ fee: '0.2', feeCoin: 'USDT' }] }),
      ],
      ledger: [],
    });
    expect(r.feeMismatches.first).toEqual([
      { market: 'spot', orderId: '2', coin: 'USDT', orderFee: '0', fillsFee: '0.2' },
    ]);
  });

  it('counts a traded order without fills, a fill without an order, and skips orders that did not trade', async () => {
    const r = await reconcile({
      orders: [
        anOrder({ orderId: '1', status: 'filled' }),
        anOrder({ orderId: '2', status: 'canceled', baseVolume: '0' }),
        anOrder({ orderId: '3', status: 'canceled', baseVolume: '0.5' }),
        // a triggered plan order trades through the normal order it places
        anOrder({ orderId: '4', kind: 'plan', status: 'executed' }),
        // the filled size decides when the row says it: 0 needs no fills, whatever the status; without it, the status
        anOrder({ orderId: '5', status: 'partially_filled', baseVolume: '0.0000000000000000' }),
        anOrder({ orderId: '6', status: 'filled', baseVolume: null }),
      ],
      fills: [
        aFill({ orderId: '99', tradeId: '5', size: '0.2' }),
        aFill({ orderId: '99', tradeId: '6', size: '0.3' }),
        // same order id, another market: not the spot order's fill
        aFill({ orderId: '1', market: 'usdt-futures', symbol: 'BTCUSDT', tradeId: '7', fees: [] }),
      ],
      ledger: [],
    });
    expect(r.ordersWithoutFills.first.map((o) => o.orderId)).toEqual(['1', '3', '6']);
    expect(r.fillsWithoutOrder.first).toEqual([
      { market: 'spot', orderId: '99', tradeId: '5', fills: 2, size: '0.5' },
      { market: 'usdt-futures', orderId: '1', tradeId: '7', fills: 1, size: '0.01' },
    ]);
    expect(r.discrepancies).toBe(5);
  });

  it('matches a fee entry to a fill by account, coin, amount = −fee and time; one entry per fee paid', async () => {
    const utaFill = aFill({
      tradeId: '8',
      orderId: '8',
      market: 'usdt-futures',
      fees: [
        { fee: '0.1', feeCoin: 'USDT' },
        { fee: '0.01', feeCoin: 'BGB' },
      ],
      raw: { execId: '8' },
    });
    const r = await reconcile({
      orders: [],
      fills: [aFill(), utaFill],
      ledger: [
        aLedgerEntry({ billId: '1' }),
        // the same fee twice: only one fill paid it
        aLedgerEntry({ billId: '2' }),
        aLedgerEntry({ billId: '3', account: 'uta', coin: 'USDT', amount: '-0.10' }),
        aLedgerEntry({ billId: '4', account: 'uta', coin: 'BGB', amount: '-0.01' }),
        // right amount, wrong account / wrong time / wrong sign
        aLedgerEntry({ billId: '5', account: 'usdt-futures', coin: 'USDT', amount: '-0.1' }),
        aLedgerEntry({ billId: '6', account: 'uta', coin: 'USDT', amount: '-0.1', cTime: T0 + 501 }),
        aLedgerEntry({ billId: '7', account: 'uta', coin: 'USDT', amount: '0.1' }),
      ],
    });
    expect(r.feeEntriesWithoutFill.count).toBe(4);
    expect(r.feeEntriesWithoutFill.first.map((e) => e.billId)).toEqual(['2', '5', '6', '7']);
    expect(r.feeEntriesWithoutFill.first[0]).toEqual({
      account: 'spot',
      billId: '2',
      coin: 'BTC',
      amount: '-0.00001',
      cTime: T0 + 500,
    });
  });

  it(`counts every discrepancy but lists only the first ${LISTED_PER_CLASS}`, async () => {
    const fills = Array.from({ length: LISTED_PER_CLASS + 5 }, (_, i) =>
      aFill({ orderId: String(5000 + i), tradeId: String(i) }),
    );
    const r = await reconcile({ orders: [], fills, ledger: [] });
    expect(r.fillsWithoutOrder.count).toBe(LISTED_PER_CLASS + 5);
    expect(r.fillsWithoutOrder.first).toHaveLength(LISTED_PER_CLASS);
    expect(r.fillsWithoutOrder.first[0]?.orderId).toBe('5000');
  });
});

describe('Reconciler: one record at a time', () => {
  it('refuses a fill after an order and an order after a ledger entry (the checks need the fills first)', () => {
    const afterOrder = new Reconciler();
    afterOrder.addOrder(anOrder());
    expect(() => afterOrder.addFill(aFill())).toThrow(/every fill must come before/);
    const afterLedger = new Reconciler();
    afterLedger.addFill(aFill());
    afterLedger.addLedgerEntry(aLedgerEntry());
    expect(() => afterLedger.addOrder(anOrder())).toThrow(/every order must come before the ledger/);
  });

  it('counts a fill whose order never came as without order, also when no order and no ledger entry came', () => {
    const r = new Reconciler();
    r.addFill(aFill({ orderId: '9' }));
    const result = r.result();
    expect(result.fillsWithoutOrder.count).toBe(1);
    expect(result.fillsWithoutOrder.first[0]).toMatchObject({ orderId: '9', fills: 1 });
    expect(result.checked).toEqual({ orders: 0, fills: 1, feeEntries: 0 });
  });
});
