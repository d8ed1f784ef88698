import {
  api,
  envelope,
  fixtureBody,
  lastRequestTo,
  serveTime,
  testClient,
  useNock,
} from '../../tests/fixtures/bitget/helpers';
import { BitgetResponseError } from './errors';
import { normaliseOrder } from './normalise';

useNock();

/** The recorded rows of the history endpoints, as the open-order endpoints of the same family serve them. */
const spotRow = (fixtureBody('spot-history-orders.json').data as Record<string, unknown>[])[0]!;
const futuresData = fixtureBody('futures-orders-history.json').data as {
  entrustedList: Record<string, unknown>[];
};
const futuresRow = futuresData.entrustedList[0]!;
const utaData = fixtureBody('uta-history-orders.json').data as { list: Record<string, unknown>[] };
const utaRow = utaData.list[0]!;

describe('Client: open orders and account identity', () => {
  beforeEach(() => serveTime(Date.now()));

  it('lists spot unfilled orders and pages by the last orderId', async () => {
    const { client } = testClient();
    const live: Record<string, unknown> = { ...spotRow, status: 'live' };
    const scope = api()
      .get('/api/v2/spot/trade/unfilled-orders')
      .query(true)
      .reply(200, envelope([live]));
    const page = await client.getSpotUnfilledOrders({ limit: 100, tpslType: 'normal' });
    expect(scope.isDone()).toBe(true);
    expect(lastRequestTo('/api/v2/spot/trade/unfilled-orders').url).toBe(
      '/api/v2/spot/trade/unfilled-orders?limit=100&tpslType=normal',
    );
    expect(page).toEqual({ rows: [live], next: live['orderId'] });
    expect(normaliseOrder({ endpoint: 'spotHistoryOrders', tpslType: 'normal' }, page.rows[0]).status).toBe(
      'live',
    );
  });

  it('follows nextFlag and idLessThan on spot current plan orders', async () => {
    const { client } = testClient();
    api()
      .get('/api/v2/spot/trade/current-plan-order')
      .query({ symbol: 'BTCUSDT', limit: '100' })
      .reply(200, envelope({ nextFlag: true, idLessThan: '77', orderList: [] }));
    await expect(client.getSpotCurrentPlanOrders({ symbol: 'BTCUSDT', limit: 100 })).resolves.toEqual({
      rows: [],
      next: '77',
    });
  });

  it('reads futures pending orders and pending plan orders from data.entrustedList and data.endId', async () => {
    const { client } = testClient();
    api()
      .get('/api/v2/mix/order/orders-pending')
      .query({ productType: 'USDT-FUTURES' })
      .reply(200, envelope({ entrustedList: [{ ...futuresRow, status: 'live' }], endId: '42' }))
      .get('/api/v2/mix/order/orders-plan-pending')
      .query({ productType: 'USDT-FUTURES', planType: 'normal_plan' })
      .reply(200, envelope({ entrustedList: null, endId: null }));
    const pending = await client.getFuturesPendingOrders({ productType: 'USDT-FUTURES' });
    expect(pending.next).toBe('42');
    expect(pending.rows[0]).toMatchObject({ orderId: futuresRow['orderId'], status: 'live' });
    await expect(
      client.getFuturesPlanPending({ productType: 'USDT-FUTURES', planType: 'normal_plan' }),
    ).resolves.toEqual({ rows: [], next: null });
  });

  it('reads v3 unfilled orders and unfilled strategy orders by cursor', async () => {
    const { client } = testClient();
    api()
      .get('/api/v3/trade/unfilled-orders')
      .query({ category: 'SPOT' })
      .reply(200, envelope({ list: [{ ...utaRow, orderStatus: 'live' }], cursor: '9' }))
      .get('/api/v3/trade/unfilled-strategy-orders')
      .query({ category: 'USDT-FUTURES' })
      .reply(200, envelope({ list: [], cursor: '' }));
    await expect(client.getUtaUnfilledOrders({ category: 'SPOT' })).resolves.toMatchObject({ next: '9' });
    await expect(client.getUtaUnfilledStrategyOrders({ category: 'USDT-FUTURES' })).resolves.toEqual({
      rows: [],
      next: null,
    });
  });

  it('reads the UID from v2 account info on a classic account and from v3 on a unified one', async () => {
    const { client } = testClient();
    api()
      .get('/api/v2/spot/account/info')
      .reply(200, envelope({ userId: '3312345678', authorities: ['sor'] }))
      .get('/api/v3/account/info')
      .reply(200, envelope({ userId: 3312345679, permType: 'readonly' }));
    await expect(client.getAccountUid('classic')).resolves.toBe('3312345678');
    await expect(client.getAccountUid('uta')).resolves.toBe('3312345679');
  });

  it('refuses an account info answer without a UID, naming the field', async () => {
    const { client } = testClient();
    api()
      .get('/api/v2/spot/account/info')
      .reply(200, envelope({ authorities: [] }));
    const failure = client.getAccountUid('classic');
    await expect(failure).rejects.toBeInstanceOf(BitgetResponseError);
    await expect(failure).rejects.toThrow(/userId/);
  });
});
