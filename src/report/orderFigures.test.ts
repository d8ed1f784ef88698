import { FakeExchange } from '../../tests/helpers/fakeExchange';
import type { CanonicalOrder } from '../core/order';
import { OrderFiguresCounter, orderFigures, overDays } from './orderFigures';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 12);

async function* each(orders: CanonicalOrder[]) {
  yield* orders;
}

describe('orderFigures', () => {
  const orders = [
    FakeExchange.order(1, T0, { fee: '0.1', feeCoin: 'USDT', baseVolume: '0.5', quoteVolume: '10.1' }),
    FakeExchange.order(2, T0 + 1000, { fee: '0.2', feeCoin: 'USDT', baseVolume: '0.25', quoteVolume: '5.2' }),
    FakeExchange.order(3, T0 + 3 * DAY, {
      market: 'usdt-futures',
      symbol: 'ETHUSDT',
      fee: '0.00001',
      feeCoin: 'BNB',
      baseVolume: '2',
      quoteVolume: '100',
    }),
    FakeExchange.order(4, T0 + 3 * DAY + 5, {
      fee: null,
      feeCoin: null,
      baseVolume: null,
      quoteVolume: null,
    }),
  ];

  it('sums fees per coin with decimal arithmetic (0.1 + 0.2 is 0.3, not 0.30000000000000004)', async () => {
    const f = await orderFigures(each(orders));
    expect(f.feesByCoin).toEqual([
      { coin: 'USDT', amount: '0.3', orders: 2 },
      { coin: 'BNB', amount: '0.00001', orders: 1 },
    ]);
  });

  it('counts orders per UTC day and market, with every day between the first and the last present', async () => {
    const f = await orderFigures(each(orders));
    expect(f.orders).toBe(4);
    expect(f.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04']);
    expect(f.perDayByMarket.spot).toEqual([2, 0, 0, 1]);
    expect(f.perDayByMarket['usdt-futures']).toEqual([0, 0, 0, 1]);
    expect(f.perDayByMarket['coin-futures']).toEqual([0, 0, 0, 0]);
  });

  it('adds volume per market and symbol, largest quote volume first, skipping orders without volume', async () => {
    const f = await orderFigures(each(orders));
    expect(f.volumeBySymbol).toEqual([
      { symbol: 'ETHUSDT', market: 'usdt-futures', base: '2', quote: '100', orders: 1 },
      { symbol: 'BTCUSDT', market: 'spot', base: '0.75', quote: '15.3', orders: 2 },
    ]);
  });

  it('counted one order at a time (as the collector writes them), the figures are the same', async () => {
    const counter = new OrderFiguresCounter();
    for (const o of orders) counter.add(o);
    expect(counter.failed).toBe(false);
    expect(counter.figures()).toEqual(await orderFigures(each(orders)));
  });

  it('an amount Decimal cannot read marks the counter failed instead of throwing at the collector', () => {
    const counter = new OrderFiguresCounter();
    counter.add(orders[0]!);
    expect(() => counter.add({ ...orders[1]!, fee: 'not a number' })).not.toThrow();
    expect(counter.failed).toBe(true);
  });

  it('has no days and no totals for no orders', async () => {
    const f = await orderFigures(each([]));
    expect(f).toMatchObject({ orders: 0, days: [], feesByCoin: [], volumeBySymbol: [] });
  });
});

describe('overDays', () => {
  it("widens the days to the archive's span, the days without orders counted as zero", () => {
    const f = {
      orders: 1,
      days: ['2026-11-02'],
      perDayByMarket: { spot: [1], 'usdt-futures': [0], 'usdc-futures': [0], 'coin-futures': [0] },
      feesByCoin: [],
      volumeBySymbol: [],
    };
    const wide = overDays(f, Date.UTC(2026, 10, 1, 5), Date.UTC(2026, 10, 3, 23));
    expect(wide.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(wide.perDayByMarket.spot).toEqual([0, 1, 0]);
    expect(wide.perDayByMarket['coin-futures']).toEqual([0, 0, 0]);
  });
});
