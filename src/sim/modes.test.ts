import { startSimulator, type Simulator } from './index';
import { getJson, manualClock, qs } from './testkit';
import { fixtureBody } from '../../tests/fixtures/bitget/fixtures';

/** The recorded answer (tests/fixtures/bitget holds the shared recordings, checked equal to them). */
const UTA_ON_CLASSIC = fixtureBody('uta-mode-on-classic-endpoint.json') as unknown as {
  code: string;
  msg: string;
};

const V2_ORDER_ENDPOINTS: Array<[string, string]> = [
  ['/api/v2/spot/trade/history-orders', ''],
  ['/api/v2/spot/trade/history-plan-order', qs({ symbol: 'BTCUSDT', startTime: 1, endTime: 2 })],
  ['/api/v2/mix/order/orders-history', qs({ productType: 'USDT-FUTURES' })],
  ['/api/v2/mix/order/orders-plan-history', qs({ productType: 'USDT-FUTURES', planType: 'normal_plan' })],
];
const V3_ENDPOINTS: Array<[string, string]> = [
  ['/api/v3/account/settings', ''],
  ['/api/v3/trade/history-orders', qs({ category: 'SPOT' })],
  ['/api/v3/trade/history-strategy-orders', qs({ category: 'USDT-FUTURES' })],
];

describe('classic and unified (UTA) accounts', () => {
  const clock = manualClock(1_750_000_000_000);
  let classic: Simulator;
  let uta: Simulator;
  beforeAll(async () => {
    classic = await startSimulator({ seed: 9, orders: 400, now: clock.now });
    uta = await startSimulator({ seed: 9, orders: 400, now: clock.now, mode: 'uta' });
  });
  afterAll(async () => {
    await classic.close();
    await uta.close();
  });
  const signed = (s: Simulator) => ({ credentials: s.credentials, timestamp: clock.now() });

  test.each(V3_ENDPOINTS)('a classic account calling %s answers 40084', async (path, query) => {
    const { status, body } = await getJson(classic.url, path, query, signed(classic));
    expect([status, body.code, body.msg, body.data]).toEqual([
      400,
      '40084',
      'You are in Classic Account mode, and the Unified Account API is not supported at this time',
      null,
    ]);
  });

  test.each(V2_ORDER_ENDPOINTS)(
    'a unified account calling %s answers 40085 as recorded',
    async (path, query) => {
      const { status, body } = await getJson(uta.url, path, query, signed(uta));
      expect(status).toBe(400);
      expect({ ...body, requestTime: 0 }).toEqual({ ...UTA_ON_CLASSIC, requestTime: 0 });
    },
  );

  test('account settings succeed only for a unified account (that is how the mode is detected)', async () => {
    const { body } = await getJson<Record<string, unknown>>(
      uta.url,
      '/api/v3/account/settings',
      '',
      signed(uta),
    );
    expect(body.code).toBe('00000');
    expect(body.data).toHaveProperty('holdMode');
  });

  test('public endpoints answer in both modes', async () => {
    for (const sim of [classic, uta]) {
      expect((await getJson(sim.url, '/api/v2/public/time')).body.code).toBe('00000');
      expect((await getJson(sim.url, '/api/v2/spot/public/symbols')).body.code).toBe('00000');
    }
  });

  test('mode refusals are counted under "mode"', () => {
    expect(uta.stats().refused.spotHistoryOrders?.mode).toBe(1);
    expect(classic.stats().refused.utaSettings?.mode).toBe(1);
    expect(uta.stats().mode).toBe('uta');
  });
});
