import { startSimulator, type Simulator } from './index';
import { get, getJson, manualClock, qs, signature } from './testkit';

const PATH = '/api/v2/spot/trade/history-orders';
const clock = manualClock(1_750_000_000_000);
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, orders: 300, now: clock.now });
});
afterAll(() => sim.close());

const signed = (headers: Record<string, string | null> = {}, timestamp = clock.now()) => ({
  credentials: sim.credentials,
  timestamp,
  headers,
});

async function refusalOf(
  query: string,
  options: Parameters<typeof get>[3],
): Promise<[number, string, string]> {
  const { status, body } = await getJson(sim.url, PATH, query, options);
  return [status, body.code, body.msg];
}

describe('the simulator verifies every private request as Bitget does', () => {
  test('a correctly signed request with a query string is served', async () => {
    const { status, body } = await getJson(sim.url, PATH, qs({ limit: 5, tpslType: 'normal' }), signed());
    expect(status).toBe(200);
    expect(body.code).toBe('00000');
    expect(Array.isArray(body.data)).toBe(true);
  });

  test('a missing ACCESS-KEY answers 40001', async () => {
    expect(await refusalOf('', signed({ 'ACCESS-KEY': null }))).toEqual([
      400,
      '40001',
      'ACCESS_KEY cannot be empty',
    ]);
  });

  test('a missing ACCESS-SIGN answers 40002', async () => {
    expect(await refusalOf('', signed({ 'ACCESS-SIGN': null }))).toEqual([
      400,
      '40002',
      'ACCESS_SIGN cannot be empty',
    ]);
  });

  test('a missing or non-numeric ACCESS-TIMESTAMP answers 40005', async () => {
    expect((await refusalOf('', signed({ 'ACCESS-TIMESTAMP': null })))[1]).toBe('40005');
    expect(await refusalOf('', signed({ 'ACCESS-TIMESTAMP': 'yesterday' }))).toEqual([
      400,
      '40005',
      'Invalid ACCESS_TIMESTAMP',
    ]);
  });

  test('a timestamp more than 30 s away from the server clock answers 40008, 30 s exactly is accepted', async () => {
    expect(await refusalOf('', signed({}, clock.now() - 30_001))).toEqual([
      400,
      '40008',
      'Request timestamp expired',
    ]);
    expect((await refusalOf('', signed({}, clock.now() + 30_001)))[1]).toBe('40008');
    expect((await refusalOf('', signed({}, clock.now() - 30_000)))[1]).toBe('00000');
  });

  test('an unknown key answers 40006', async () => {
    expect(await refusalOf('', signed({ 'ACCESS-KEY': 'bg_unknown' }))).toEqual([
      400,
      '40006',
      'Invalid ACCESS_KEY',
    ]);
  });

  test('a missing passphrase answers 40011 and a wrong one 40012', async () => {
    expect(await refusalOf('', signed({ 'ACCESS-PASSPHRASE': null }))).toEqual([
      400,
      '40011',
      'ACCESS_PASSPHRASE cannot be empty',
    ]);
    expect(await refusalOf('', signed({ 'ACCESS-PASSPHRASE': 'nope' }))).toEqual([
      400,
      '40012',
      'apikey/password is incorrect',
    ]);
  });

  test('a signature over another query string, or hex instead of base64, answers 40009', async () => {
    const query = qs({ symbol: 'BTCUSDT', limit: 10 });
    const other = {
      credentials: sim.credentials,
      timestamp: clock.now(),
      signedQuery: qs({ limit: 10, symbol: 'BTCUSDT' }),
    };
    expect(await refusalOf(query, other)).toEqual([400, '40009', 'sign signature error']);
    const ts = String(clock.now());
    const hex = Buffer.from(signature(sim.credentials.secretKey, ts + 'GET' + PATH), 'base64').toString(
      'hex',
    );
    expect((await refusalOf('', signed({ 'ACCESS-SIGN': hex })))[1]).toBe('40009');
  });

  test('the signature covers the raw query exactly as received, in the order sent', async () => {
    const query = 'tpslType=normal&limit=3&symbol=btcusdt';
    const { body } = await getJson(sim.url, PATH, query, signed());
    expect(body.code).toBe('00000');
  });

  test('auth refusals are counted per endpoint under "auth" and never as served', () => {
    const stats = sim.stats();
    expect(stats.refused.spotHistoryOrders?.auth).toBeGreaterThanOrEqual(10);
    expect(stats.served.spotHistoryOrders).toBe(3);
  });

  test('public endpoints and /sim/stats need no signature', async () => {
    const time = await getJson<{ serverTime: string }>(sim.url, '/api/v2/public/time');
    expect(time.body.data.serverTime).toBe(String(clock.now()));
    const stats = await get(sim.url, '/sim/stats');
    expect(JSON.parse(stats.text)).toMatchObject({ mode: 'classic', orders: 300 });
  });

  test('an unknown path answers HTTP 404 with 40404', async () => {
    const { status, body } = await getJson(sim.url, '/api/v2/spot/trade/nothing-here');
    expect([status, body.code]).toEqual([404, '40404']);
  });
});
