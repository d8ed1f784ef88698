import { createHmac } from 'node:crypto';
import type { ReceivedRequest } from '../../tests/fixtures/bitget/helpers';
import {
  CREDENTIALS,
  TIME_PATH,
  api,
  defineFixture,
  envelope,
  lastRequestTo,
  requestsTo,
  serveTime,
  testClient,
  useNock,
} from '../../tests/fixtures/bitget/helpers';
import { BitgetResponseError } from './errors';
import { normaliseOrder } from './normalise';

useNock();

const SPOT = '/api/v2/spot/trade/history-orders';
const SPOT_PLAN = '/api/v2/spot/trade/history-plan-order';
const FUTURES = '/api/v2/mix/order/orders-history';
const FUTURES_PLAN = '/api/v2/mix/order/orders-plan-history';
const UTA = '/api/v3/trade/history-orders';
const UTA_STRATEGY = '/api/v3/trade/history-strategy-orders';

/** The signature computed here, independently of the client's code, over what the interceptor received. */
function expectedSignature(req: ReceivedRequest): string {
  const preHash = `${String(req.headers['access-timestamp'])}${req.method}${req.url}`;
  return createHmac('sha256', CREDENTIALS.secretKey).update(preHash).digest('base64');
}

describe('signing', () => {
  it('signs exactly the path and query that are sent, with the four ACCESS headers', async () => {
    const { client } = testClient();
    const time = serveTime(Date.now());
    const [spot] = defineFixture('spot-history-orders.json');
    await client.getSpotHistoryOrders({ symbol: 'LTCUSDT', limit: 100 });
    expect(time.isDone()).toBe(true);
    expect(spot!.isDone()).toBe(true);
    const req = lastRequestTo(SPOT);
    expect(req.method).toBe('GET');
    expect(req.url).toBe('/api/v2/spot/trade/history-orders?limit=100&symbol=LTCUSDT');
    expect(req.headers['access-sign']).toBe(expectedSignature(req));
    expect(req.headers['access-key']).toBe(CREDENTIALS.apiKey);
    expect(req.headers['access-passphrase']).toBe(CREDENTIALS.passphrase);
    expect(req.headers['access-timestamp']).toMatch(/^\d{13}$/);
    expect(req.headers['locale']).toBe('en-US');
    expect(req.headers['content-type']).toBe('application/json');
  });

  it('sends and signs query keys in sorted order, numbers as strings', async () => {
    const { client } = testClient();
    serveTime(Date.now());
    // Captured inside the interceptor: the request line and headers exactly as they reached the "exchange".
    let seen: ReceivedRequest | undefined;
    const scope = api()
      .get(FUTURES)
      .query({
        endTime: '1700086400000',
        idLessThan: '1115965643967582214',
        limit: '100',
        productType: 'USDT-FUTURES',
        startTime: '1700000000000',
        symbol: 'BTCUSDT',
      })
      .reply(function (uri) {
        seen = { method: this.req.method, url: uri, headers: { ...this.req.headers } };
        return [200, envelope({ entrustedList: [], endId: null })];
      });
    await client.getFuturesHistoryOrders({
      symbol: 'BTCUSDT',
      productType: 'USDT-FUTURES',
      startTime: 1700000000000,
      endTime: 1700086400000,
      limit: 100,
      idLessThan: '1115965643967582214',
    });
    expect(scope.isDone()).toBe(true);
    expect(seen).toBeDefined();
    // nock matches the query regardless of order: the order sent is checked on the raw request line.
    expect(seen!.url).toBe(
      `${FUTURES}?endTime=1700086400000&idLessThan=1115965643967582214&limit=100&productType=USDT-FUTURES&startTime=1700000000000&symbol=BTCUSDT`,
    );
    expect(seen!.headers['access-sign']).toBe(expectedSignature(seen!));
    // The same keys in another order would give another signature: the order is part of what is signed.
    const shuffled = {
      ...seen!,
      url: `${FUTURES}?symbol=BTCUSDT&endTime=1700086400000&idLessThan=1115965643967582214&limit=100&productType=USDT-FUTURES&startTime=1700000000000`,
    };
    expect(seen!.headers['access-sign']).not.toBe(expectedSignature(shuffled));
  });

  it('does not sign public endpoints', async () => {
    const { client } = testClient();
    const scope = api()
      .get('/api/v2/spot/public/symbols')
      .reply(
        200,
        envelope([
          { symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'online', makerFeeRate: '0.001' },
        ]),
      );
    const symbols = await client.getSpotSymbols();
    expect(symbols).toEqual([
      { symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'online', makerFeeRate: '0.001' },
    ]);
    expect(scope.isDone()).toBe(true);
    const req = lastRequestTo('/api/v2/spot/public/symbols');
    expect(req.headers['access-sign']).toBeUndefined();
    expect(req.headers['access-key']).toBeUndefined();
  });
});

describe('the clock', () => {
  it('is synced from the server time before the first private call only', async () => {
    const now = () => 1_700_000_000_000;
    const { client } = testClient({ now });
    const time = serveTime(1_700_000_005_000);
    const spot = api().get(SPOT).times(2).reply(200, envelope([]));
    await client.getSpotHistoryOrders();
    await client.getSpotHistoryOrders();
    expect(time.isDone()).toBe(true);
    expect(spot.isDone()).toBe(true);
    expect(requestsTo(TIME_PATH)).toHaveLength(1);
    expect(requestsTo(SPOT)).toHaveLength(2);
    expect(lastRequestTo(SPOT).headers['access-timestamp']).toBe('1700000005000');
  });

  it('is re-synced when Bitget answers 40008, and the call is tried once more', async () => {
    const now = () => 1_700_000_000_000;
    const { client } = testClient({ now });
    const scopes = [
      serveTime(1_700_000_005_000),
      api()
        .get(SPOT)
        .reply(400, envelope(null, '40008', 'Request timestamp expired')),
      serveTime(1_700_000_009_000),
      api().get(SPOT).reply(200, envelope([])),
    ];
    await expect(client.getSpotHistoryOrders()).resolves.toEqual({ rows: [], next: null });
    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(requestsTo(TIME_PATH)).toHaveLength(2);
    expect(requestsTo(SPOT).map((r) => r.headers['access-timestamp'])).toEqual([
      '1700000005000',
      '1700000009000',
    ]);
    expect(client.stats()).toMatchObject({ retries: 1, retriesByEndpoint: { spotHistoryOrders: 1 } });
  });

  it('is synced by a server time the caller asked, asking it no second time', async () => {
    const now = () => 1_700_000_000_000;
    const { client } = testClient({ now });
    serveTime(1_700_000_005_000);
    const spot = api().get(SPOT).reply(200, envelope([]));
    await expect(client.getServerTime()).resolves.toBe(1_700_000_005_000);
    await client.getSpotHistoryOrders();
    expect(spot.isDone()).toBe(true);
    expect(requestsTo(TIME_PATH)).toHaveLength(1);
    expect(lastRequestTo(SPOT).headers['access-timestamp']).toBe('1700000005000');
  });

  it('reads the server time as a number', async () => {
    const { client } = testClient();
    const time = serveTime(1_748_721_720_474);
    await expect(client.getServerTime()).resolves.toBe(1_748_721_720_474);
    expect(time.isDone()).toBe(true);
  });
});

describe('pages', () => {
  beforeEach(() => serveTime(Date.now()));

  it('serves the recorded spot sample and points next at its last orderId', async () => {
    const { client } = testClient();
    const [scope] = defineFixture('spot-history-orders.json');
    const page = await client.getSpotHistoryOrders({ symbol: 'LTCUSDT', limit: 100 });
    expect(scope!.isDone()).toBe(true);
    expect(page.next).toBe('1109431644367261698');
    expect(page.rows).toHaveLength(1);
    expect(normaliseOrder({ endpoint: 'spotHistoryOrders' }, page.rows[0]).fee).toBe('0.0000794');
  });

  it('ends spot pagination on an empty page', async () => {
    const { client } = testClient();
    const scope = api().get(SPOT).query({ tpslType: 'tpsl' }).reply(200, envelope([]));
    await expect(client.getSpotHistoryOrders({ tpslType: 'tpsl' })).resolves.toEqual({
      rows: [],
      next: null,
    });
    expect(scope.isDone()).toBe(true);
    expect(lastRequestTo(SPOT).url).toBe(`${SPOT}?tpslType=tpsl`);
  });

  it('follows spot plan pages by data.idLessThan only while nextFlag is true', async () => {
    const { client } = testClient();
    const row = {
      orderId: '2',
      symbol: 'BTCUSDT',
      side: 'buy',
      status: 'not_trigger',
      orderType: 'limit',
      cTime: '1700000000000',
      size: '1',
      executePrice: '30000',
      triggerPrice: '30100',
    };
    const query = { endTime: '1700100000000', startTime: '1700000000000', symbol: 'BTCUSDT' };
    const scope = api()
      .get(SPOT_PLAN)
      .query(query)
      .reply(200, envelope({ orderList: [row], nextFlag: true, idLessThan: '1' }))
      .get(SPOT_PLAN)
      .query(query)
      .reply(200, envelope({ orderList: [row], nextFlag: false, idLessThan: '1' }));
    const q = { symbol: 'BTCUSDT', startTime: 1_700_000_000_000, endTime: 1_700_100_000_000 };
    await expect(client.getSpotPlanHistory(q)).resolves.toMatchObject({ next: '1' });
    await expect(client.getSpotPlanHistory(q)).resolves.toMatchObject({ next: null });
    expect(scope.isDone()).toBe(true);
  });

  it('serves the recorded futures sample and follows data.endId', async () => {
    const { client } = testClient();
    const [scope] = defineFixture('futures-orders-history.json');
    const page = await client.getFuturesHistoryOrders({
      productType: 'USDT-FUTURES',
      symbol: 'LTCUSDT',
      limit: 100,
    });
    expect(scope!.isDone()).toBe(true);
    expect(page.next).toBe('1115965643967582214');
    expect(page.rows[0]).toMatchObject({ orderId: '1115965643967582214', reduceOnly: 'YES' });
  });

  it('ends futures pagination on an empty list even when endId is set, and on an empty endId', async () => {
    const { client } = testClient();
    const rows = [
      {
        orderId: '9',
        symbol: 'BTCUSDT',
        side: 'buy',
        planStatus: 'executed',
        orderType: 'market',
        cTime: '1',
      },
    ];
    const scope = api()
      .get(FUTURES_PLAN)
      .query(true)
      .reply(200, envelope({ entrustedList: null, endId: '5' }))
      .get(FUTURES_PLAN)
      .query(true)
      .reply(200, envelope({ entrustedList: rows, endId: '' }));
    const q = { productType: 'USDT-FUTURES', planType: 'normal_plan' } as const;
    await expect(client.getFuturesPlanHistory(q)).resolves.toEqual({ rows: [], next: null });
    await expect(client.getFuturesPlanHistory(q)).resolves.toMatchObject({ next: null });
    expect(scope.isDone()).toBe(true);
    expect(lastRequestTo(FUTURES_PLAN).url).toBe(
      `${FUTURES_PLAN}?planType=normal_plan&productType=USDT-FUTURES`,
    );
  });

  it('serves the recorded v3 sample and follows data.cursor', async () => {
    const { client } = testClient();
    const [scope] = defineFixture('uta-history-orders.json');
    const page = await client.getUtaHistoryOrders({ category: 'USDT-FUTURES', limit: 100 });
    expect(scope!.isDone()).toBe(true);
    expect(page.next).toBe('1322061241941082114');
    expect(
      normaliseOrder({ endpoint: 'utaHistoryOrders', category: 'USDT-FUTURES' }, page.rows[0]),
    ).toMatchObject({
      fee: '0.00642032',
      market: 'usdt-futures',
    });
  });

  it('ends v3 strategy pagination when the cursor is empty', async () => {
    const { client } = testClient();
    const row = { orderId: '1', symbol: 'BTCUSDT', createdTime: '1730186725663', posSide: 'short', qty: '1' };
    const scope = api()
      .get(UTA_STRATEGY)
      .query({ category: 'USDT-FUTURES', cursor: 'abc' })
      .reply(200, envelope({ list: [row], cursor: '' }));
    await expect(
      client.getUtaStrategyHistory({ category: 'USDT-FUTURES', cursor: 'abc' }),
    ).resolves.toMatchObject({
      next: null,
      rows: [row],
    });
    expect(scope.isDone()).toBe(true);
    expect(lastRequestTo(UTA_STRATEGY).url).toBe(`${UTA_STRATEGY}?category=USDT-FUTURES&cursor=abc`);
  });
});

describe('account mode', () => {
  beforeEach(() => serveTime(Date.now()));
  const SETTINGS = '/api/v3/account/settings';

  it('is uta when the v3 settings answer', async () => {
    const { client } = testClient();
    const scope = api()
      .get(SETTINGS)
      .reply(200, envelope({ assetMode: 'union' }));
    await expect(client.getAccountMode()).resolves.toBe('uta');
    expect(scope.isDone()).toBe(true);
  });

  it('is classic when the v3 settings answer 40084', async () => {
    const { client } = testClient();
    const scope = api()
      .get(SETTINGS)
      .reply(400, envelope(null, '40084', 'You are in Classic Account mode'));
    await expect(client.getAccountMode()).resolves.toBe('classic');
    expect(scope.isDone()).toBe(true);
  });

  it('propagates other errors', async () => {
    const { client } = testClient();
    const scope = api()
      .get(SETTINGS)
      .reply(400, envelope(null, '40037', 'Apikey does not exist'));
    await expect(client.getAccountMode()).rejects.toMatchObject({
      name: 'BitgetFatalError',
      category: 'auth',
    });
    expect(scope.isDone()).toBe(true);
  });

  it('answers 40085 from a v2 endpoint as a fatal uta_mode error', async () => {
    const { client } = testClient();
    const [scope] = defineFixture('uta-mode-on-classic-endpoint.json');
    await expect(client.getSpotHistoryOrders({ limit: 100 })).rejects.toMatchObject({
      name: 'BitgetFatalError',
      category: 'uta_mode',
      exchangeCode: '40085',
      exchangeMessage:
        'You are in Unified Account mode, and the Classic Account API is not supported at this time',
      httpStatus: 400,
      attempts: 1,
    });
    expect(scope!.isDone()).toBe(true);
  });
});

describe('malformed answers', () => {
  beforeEach(() => serveTime(Date.now()));

  it('accept requestTime as a string or a number', async () => {
    const { client } = testClient();
    const scope = api()
      .get(SPOT)
      .reply(200, { code: '00000', msg: 'success', requestTime: '1702574766114', data: [] })
      .get(SPOT)
      .reply(200, { code: '00000', msg: 'success', requestTime: 1702574766114, data: [] });
    await expect(client.getSpotHistoryOrders()).resolves.toEqual({ rows: [], next: null });
    await expect(client.getSpotHistoryOrders()).resolves.toEqual({ rows: [], next: null });
    expect(scope.isDone()).toBe(true);
  });

  it('fail clearly on an envelope without msg', async () => {
    const { client } = testClient();
    const scope = api().get(SPOT).reply(200, { code: '00000', requestTime: 1, data: [] });
    const error = await client.getSpotHistoryOrders().catch((e: unknown) => e);
    expect(scope.isDone()).toBe(true);
    expect(error).toBeInstanceOf(BitgetResponseError);
    expect(error).toMatchObject({ name: 'BitgetResponseError', endpoint: 'spotHistoryOrders', field: 'msg' });
  });

  it('fail clearly on a row without cTime, naming the row', async () => {
    const { client } = testClient();
    const good = {
      orderId: '1',
      symbol: 'BTCUSDT',
      side: 'buy',
      status: 'filled',
      orderType: 'market',
      cTime: '1',
    };
    const { cTime: _cTime, ...bad } = { ...good, orderId: '2' };
    const scope = api()
      .get(FUTURES)
      .query(true)
      .reply(200, envelope({ entrustedList: [good, bad], endId: '2' }));
    await expect(client.getFuturesHistoryOrders({ productType: 'USDT-FUTURES' })).rejects.toMatchObject({
      name: 'BitgetResponseError',
      endpoint: 'futuresHistoryOrders',
      field: 'data.entrustedList[1].cTime',
    });
    expect(scope.isDone()).toBe(true);
    expect(client.stats().errors).toEqual({ server: 1 });
  });

  it('fail clearly on a row whose orderId is not a string', async () => {
    const { client } = testClient();
    const row = {
      orderId: 7,
      symbol: 'BTCUSDT',
      side: 'buy',
      orderStatus: 'filled',
      orderType: 'market',
      createdTime: '1',
    };
    const scope = api()
      .get(UTA)
      .query({ category: 'SPOT' })
      .reply(200, envelope({ list: [row], cursor: '' }));
    await expect(client.getUtaHistoryOrders({ category: 'SPOT' })).rejects.toThrow(
      /utaHistoryOrders answered a malformed response: data\.list\[0\]\.orderId/,
    );
    expect(scope.isDone()).toBe(true);
  });
});

describe('stats', () => {
  it('count requests per endpoint', async () => {
    const { client } = testClient();
    serveTime(Date.now());
    const scope = api().get(SPOT).times(2).reply(200, envelope([]));
    await client.getSpotHistoryOrders();
    await client.getSpotHistoryOrders();
    expect(scope.isDone()).toBe(true);
    expect(client.stats()).toEqual({
      requests: { publicTime: 1, spotHistoryOrders: 2 },
      retries: 0,
      retriesByEndpoint: {},
      http429: 0,
      http429ByEndpoint: {},
      errors: {},
    });
  });
});
