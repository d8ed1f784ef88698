import type { BitgetClient } from '../bitget/BitgetClient';
import { fetchUnlistedPlanOrders } from './openOrders';

type FakeClient = Pick<BitgetClient, 'getSpotSymbols' | 'getSpotPlanHistory'>;

const planRow = (orderId: string, cTime: number, symbol: string) => ({
  orderId,
  clientOid: 'c',
  symbol,
  size: '1',
  executePrice: '0',
  triggerPrice: '1',
  status: 'cancelled',
  orderType: 'market',
  side: 'buy',
  planType: 'amount',
  triggerType: 'fill_price',
  enterPointSource: 'API',
  uTime: String(cTime + 5),
  cTime: String(cTime),
});

describe('fetchUnlistedPlanOrders', () => {
  it('asks spot plan history only for symbols Bitget no longer lists, from the oldest pending creation time, page by page', async () => {
    const asked: Record<string, unknown>[] = [];
    const client: FakeClient = {
      getSpotSymbols: async () => [
        { symbol: 'BTCUSDT' } as Awaited<ReturnType<BitgetClient['getSpotSymbols']>>[number],
      ],
      getSpotPlanHistory: async (q) => {
        asked.push({ ...q });
        if (q.idLessThan === undefined)
          return {
            rows: [planRow('1100000000000000009', 1_000_500, 'LUNAUSDT')] as never,
            next: '1100000000000000009',
          };
        return { rows: [planRow('1100000000000000003', 1_000_100, 'LUNAUSDT')] as never, next: null };
      },
    };
    const orders = await fetchUnlistedPlanOrders(
      client,
      [
        { symbol: 'BTCUSDT', cTime: 900_000 },
        { symbol: 'lunausdt', cTime: 1_000_400 },
        { symbol: 'LUNAUSDT', cTime: 1_000_050 },
      ],
      { from: 1_000_000, to: 2_000_000 },
    );
    expect(asked).toEqual([
      { symbol: 'LUNAUSDT', startTime: 1_000_050, endTime: 2_000_000, limit: 100 },
      {
        symbol: 'LUNAUSDT',
        startTime: 1_000_050,
        endTime: 2_000_000,
        limit: 100,
        idLessThan: '1100000000000000009',
      },
    ]);
    expect(orders.map((o) => [o.orderId, o.market, o.kind, o.status])).toEqual([
      ['1100000000000000009', 'spot', 'plan', 'canceled'],
      ['1100000000000000003', 'spot', 'plan', 'canceled'],
    ]);
  });

  it('asks nothing when no order is pending', async () => {
    const client: FakeClient = {
      getSpotSymbols: () => Promise.reject(new Error('not to be called')),
      getSpotPlanHistory: () => Promise.reject(new Error('not to be called')),
    };
    await expect(fetchUnlistedPlanOrders(client, [], { from: 0, to: 1 })).resolves.toEqual([]);
  });
});
