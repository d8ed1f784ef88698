import { createHmac } from 'node:crypto';
import {
  CREDENTIALS,
  TIME_PATH,
  envelope,
  loadFixture,
  serveTime,
  testClient,
} from '../../tests/fixtures/bitget/helpers';
import { ReplayServer } from '../../tests/fixtures/bitget/replay-server';
import type { ReceivedRequest } from '../../tests/fixtures/bitget/replay-server';
import { BitgetResponseError } from './errors';
import { normaliseOrder } from './normalise';

const server = new ReplayServer();
beforeAll(() => server.start());
afterAll(() => server.close());
afterEach(() => {
  expect(server.unmatched.map((r) => r.url)).toEqual([]);
  server.reset();
});

const SPOT = '/api/v2/spot/trade/history-orders';
const SPOT_PLAN = '/api/v2/spot/trade/history-plan-order';
const FUTURES = '/api/v2/mix/order/orders-history';
const FUTURES_PLAN = '/api/v2/mix/order/orders-plan-history';
const UTA = '/api/v3/trade/history-orders';
const UTA_STRATEGY = '/api/v3/trade/history-strategy-orders';

/** The signature computed here, independently of the client's code. */
function expectedSignature(req: ReceivedRequest): string {
  const preHash = `${String(req.headers['access-timestamp'])}${req.method}${req.url}`;
  return createHmac('sha256', CREDENTIALS.secretKey).update(preHash).digest('base64');
}

function lastRequestTo(path: string): ReceivedRequest {
  const found = server.received.filter((r) => r.url.split('?')[0] === path);
  return found[found.length - 1]!;
}

describe('signing', () => {
  it('signs exactly the path and query that are sent, with the four ACCESS headers', async () => {
    const { client } = testClient(server);
    serveTime(server, Date.now());
    server.define(loadFixture('spot-history-orders.json'));
    await client.getSpotHistoryOrders({ symbol: 'LTCUSDT', limit: 100 });
    const req = lastRequestTo(SPOT);
    expect(req.url).toBe('/api/v2/spot/trade/history-orders?limit=100&symbol=LTCUSDT');
    expect(req.headers['access-sign']).toBe(expectedSignature(req));
    expect(req.headers['access-key']).toBe(CREDENTIALS.apiKey);
    expect(req.headers['access-passphrase']).toBe(CREDENTIALS.passphrase);
    expect(req.headers['access-timestamp']).toMatch(/^\d{13}$/);
    expect(req.headers['locale']).toBe('en-US');
    expect(req.headers['content-type']).toBe('application/json');
  });

  it('sends and signs query keys in sorted order, numbers as strings', async () => {
    const { client } = testClient(server);
    serveTime(server, Date.now());
    server.on(
      FUTURES,
      { status: 200, body: envelope({ entrustedList: [], endId: null }) },
      { anyQuery: true },
    );
    await client.getFuturesHistoryOrders({
      symbol: 'BTCUSDT',
      productType: 'USDT-FUTURES',
      startTime: 1700000000000,
      endTime: 1700086400000,
      limit: 100,
      idLessThan: '1115965643967582214',
    });
    const req = lastRequestTo(FUTURES);
    expect(req.url).toBe(
      `${FUTURES}?endTime=1700086400000&idLessThan=1115965643967582214&limit=100&productType=USDT-FUTURES&startTime=1700000000000&symbol=BTCUSDT`,
    );
    expect(req.headers['access-sign']).toBe(expectedSignature(req));
  });

  it('does not sign public endpoints', async () => {
    const { client } = testClient(server);
    server.on('/api/v2/spot/public/symbols', {
      status: 200,
      body: envelope([
        { symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'online', makerFeeRate: '0.001' },
      ]),
    });
    const symbols = await client.getSpotSymbols();
    expect(symbols).toEqual([
      { symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'online', makerFeeRate: '0.001' },
    ]);
    const req = lastRequestTo('/api/v2/spot/public/symbols');
    expect(req.headers['access-sign']).toBeUndefined();
    expect(req.headers['access-key']).toBeUndefined();
  });
});

describe('the clock', () => {
  it('is synced from the server time before the first private call only', async () => {
    const now = () => 1_700_000_000_000;
    const { client } = testClient(server, { now });
    serveTime(server, 1_700_000_005_000);
    server.on(SPOT, { status: 200, body: envelope([]) }, { anyQuery: true, persist: true });
    await client.getSpotHistoryOrders();
    await client.getSpotHistoryOrders();
    expect(server.received.filter((r) => r.url === TIME_PATH)).toHaveLength(1);
    expect(lastRequestTo(SPOT).headers['access-timestamp']).toBe('1700000005000');
  });

  it('is re-synced when Bitget answers 40008, and the call is tried once more', async () => {
    const now = () => 1_700_000_000_000;
    const { client } = testClient(server, { now });
    serveTime(server, 1_700_000_005_000);
    server.on(
      SPOT,
      { status: 400, body: envelope(null, '40008', 'Request timestamp expired') },
      { anyQuery: true },
    );
    serveTime(server, 1_700_000_009_000);
    server.on(SPOT, { status: 200, body: envelope([]) }, { anyQuery: true });
    await expect(client.getSpotHistoryOrders()).resolves.toEqual({ rows: [], next: null });
    expect(server.pending()).toEqual([]);
    expect(lastRequestTo(SPOT).headers['access-timestamp']).toBe('1700000009000');
    expect(client.stats().retries).toBe(1);
  });

  it('reads the server time as a number', async () => {
    const { client } = testClient(server);
    serveTime(server, 1_748_721_720_474);
    await expect(client.getServerTime()).resolves.toBe(1_748_721_720_474);
  });
});

describe('pages', () => {
  beforeEach(() => serveTime(server, Date.now()));

  it('serves the recorded spot sample and points next at its last orderId', async () => {
    const { client } = testClient(server);
    server.define(loadFixture('spot-history-orders.json'));
    const page = await client.getSpotHistoryOrders({ symbol: 'LTCUSDT', limit: 100 });
    expect(page.next).toBe('1109431644367261698');
    expect(page.rows).toHaveLength(1);
    expect(normaliseOrder({ endpoint: 'spotHistoryOrders' }, page.rows[0]).fee).toBe('0.0000794');
  });

  it('ends spot pagination on an empty page', async () => {
    const { client } = testClient(server);
    server.on(SPOT, { status: 200, body: envelope([]) }, { anyQuery: true });
    await expect(client.getSpotHistoryOrders({ tpslType: 'tpsl' })).resolves.toEqual({
      rows: [],
      next: null,
    });
    expect(lastRequestTo(SPOT).url).toBe(`${SPOT}?tpslType=tpsl`);
  });

  it('follows spot plan pages by data.idLessThan only while nextFlag is true', async () => {
    const { client } = testClient(server);
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
    server.on(
      SPOT_PLAN,
      { status: 200, body: envelope({ orderList: [row], nextFlag: true, idLessThan: '1' }) },
      { anyQuery: true },
    );
    server.on(
      SPOT_PLAN,
      { status: 200, body: envelope({ orderList: [row], nextFlag: false, idLessThan: '1' }) },
      { anyQuery: true },
    );
    const q = { symbol: 'BTCUSDT', startTime: 1_700_000_000_000, endTime: 1_700_100_000_000 };
    await expect(client.getSpotPlanHistory(q)).resolves.toMatchObject({ next: '1' });
    await expect(client.getSpotPlanHistory(q)).resolves.toMatchObject({ next: null });
  });

  it('serves the recorded futures sample and follows data.endId', async () => {
    const { client } = testClient(server);
    server.define(loadFixture('futures-orders-history.json'));
    const page = await client.getFuturesHistoryOrders({
      productType: 'USDT-FUTURES',
      symbol: 'LTCUSDT',
      limit: 100,
    });
    expect(page.next).toBe('1115965643967582214');
    expect(page.rows[0]).toMatchObject({ orderId: '1115965643967582214', reduceOnly: 'YES' });
  });

  it('ends futures pagination on an empty list even when endId is set, and on an empty endId', async () => {
    const { client } = testClient(server);
    server.on(
      FUTURES_PLAN,
      { status: 200, body: envelope({ entrustedList: null, endId: '5' }) },
      { anyQuery: true },
    );
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
    server.on(
      FUTURES_PLAN,
      { status: 200, body: envelope({ entrustedList: rows, endId: '' }) },
      { anyQuery: true },
    );
    const q = { productType: 'USDT-FUTURES', planType: 'normal_plan' } as const;
    await expect(client.getFuturesPlanHistory(q)).resolves.toEqual({ rows: [], next: null });
    await expect(client.getFuturesPlanHistory(q)).resolves.toMatchObject({ next: null });
    expect(lastRequestTo(FUTURES_PLAN).url).toBe(
      `${FUTURES_PLAN}?planType=normal_plan&productType=USDT-FUTURES`,
    );
  });

  it('serves the recorded v3 sample and follows data.cursor', async () => {
    const { client } = testClient(server);
    server.define(loadFixture('uta-history-orders.json'));
    const page = await client.getUtaHistoryOrders({ category: 'USDT-FUTURES', limit: 100 });
    expect(page.next).toBe('1322061241941082114');
    expect(
      normaliseOrder({ endpoint: 'utaHistoryOrders', category: 'USDT-FUTURES' }, page.rows[0]),
    ).toMatchObject({
      fee: '0.00642032',
      market: 'usdt-futures',
    });
  });

  it('ends v3 strategy pagination when the cursor is empty', async () => {
    const { client } = testClient(server);
    const row = { orderId: '1', symbol: 'BTCUSDT', createdTime: '1730186725663', posSide: 'short', qty: '1' };
    server.on(UTA_STRATEGY, { status: 200, body: envelope({ list: [row], cursor: '' }) }, { anyQuery: true });
    await expect(
      client.getUtaStrategyHistory({ category: 'USDT-FUTURES', cursor: 'abc' }),
    ).resolves.toMatchObject({
      next: null,
      rows: [row],
    });
    expect(lastRequestTo(UTA_STRATEGY).url).toBe(`${UTA_STRATEGY}?category=USDT-FUTURES&cursor=abc`);
  });
});

describe('account mode', () => {
  beforeEach(() => serveTime(server, Date.now()));

  it('is uta when the v3 settings answer', async () => {
    const { client } = testClient(server);
    server.on('/api/v3/account/settings', { status: 200, body: envelope({ assetMode: 'union' }) });
    await expect(client.getAccountMode()).resolves.toBe('uta');
  });

  it('is classic when the v3 settings answer 40084', async () => {
    const { client } = testClient(server);
    server.on('/api/v3/account/settings', {
      status: 400,
      body: envelope(null, '40084', 'You are in Classic Account mode'),
    });
    await expect(client.getAccountMode()).resolves.toBe('classic');
  });

  it('propagates other errors', async () => {
    const { client } = testClient(server);
    server.on('/api/v3/account/settings', {
      status: 400,
      body: envelope(null, '40037', 'Apikey does not exist'),
    });
    await expect(client.getAccountMode()).rejects.toMatchObject({
      name: 'BitgetFatalError',
      category: 'auth',
    });
  });

  it('answers 40085 from a v2 endpoint as a fatal uta_mode error', async () => {
    const { client } = testClient(server);
    server.define(loadFixture('uta-mode-on-classic-endpoint.json'));
    await expect(client.getSpotHistoryOrders({ limit: 100 })).rejects.toMatchObject({
      name: 'BitgetFatalError',
      category: 'uta_mode',
      exchangeCode: '40085',
      httpStatus: 400,
    });
  });
});

describe('malformed answers', () => {
  beforeEach(() => serveTime(server, Date.now()));

  it('accept requestTime as a string or a number', async () => {
    const { client } = testClient(server);
    server.on(
      SPOT,
      { status: 200, body: { code: '00000', msg: 'success', requestTime: '1702574766114', data: [] } },
      { anyQuery: true },
    );
    await expect(client.getSpotHistoryOrders()).resolves.toEqual({ rows: [], next: null });
  });

  it('fail clearly on an envelope without msg', async () => {
    const { client } = testClient(server);
    server.on(SPOT, { status: 200, body: { code: '00000', requestTime: 1, data: [] } }, { anyQuery: true });
    const error = await client.getSpotHistoryOrders().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BitgetResponseError);
    expect(error).toMatchObject({ name: 'BitgetResponseError', endpoint: 'spotHistoryOrders', field: 'msg' });
  });

  it('fail clearly on a row without cTime, naming the row', async () => {
    const { client } = testClient(server);
    const good = {
      orderId: '1',
      symbol: 'BTCUSDT',
      side: 'buy',
      status: 'filled',
      orderType: 'market',
      cTime: '1',
    };
    const { cTime: _cTime, ...bad } = { ...good, orderId: '2' };
    server.on(
      FUTURES,
      { status: 200, body: envelope({ entrustedList: [good, bad], endId: '2' }) },
      { anyQuery: true },
    );
    await expect(client.getFuturesHistoryOrders({ productType: 'USDT-FUTURES' })).rejects.toMatchObject({
      name: 'BitgetResponseError',
      endpoint: 'futuresHistoryOrders',
      field: 'data.entrustedList[1].cTime',
    });
    expect(client.stats().errors).toEqual({ server: 1 });
  });

  it('fail clearly on a row whose orderId is not a string', async () => {
    const { client } = testClient(server);
    const row = {
      orderId: 7,
      symbol: 'BTCUSDT',
      side: 'buy',
      orderStatus: 'filled',
      orderType: 'market',
      createdTime: '1',
    };
    server.on(UTA, { status: 200, body: envelope({ list: [row], cursor: '' }) }, { anyQuery: true });
    await expect(client.getUtaHistoryOrders({ category: 'SPOT' })).rejects.toThrow(
      /utaHistoryOrders answered a malformed response: data\.list\[0\]\.orderId/,
    );
  });
});

describe('stats', () => {
  it('count requests per endpoint', async () => {
    const { client } = testClient(server);
    serveTime(server, Date.now());
    server.on(SPOT, { status: 200, body: envelope([]) }, { anyQuery: true, persist: true });
    await client.getSpotHistoryOrders();
    await client.getSpotHistoryOrders();
    expect(client.stats()).toEqual({
      requests: { publicTime: 1, spotHistoryOrders: 2 },
      retries: 0,
      http429: 0,
      errors: {},
    });
  });
});
