import { DAY_MS } from '../bitget/endpoints';
import { startSimulator, type Simulator, type TruthRecord } from './index';
import { getJson, manualClock, qs } from './testkit';

const SPOT = '/api/v2/spot/trade/history-orders';
const FUTURES = '/api/v2/mix/order/orders-history';
const V3 = '/api/v3/trade/history-orders';
const T0 = 1_750_000_000_000;

type Row = { orderId: string; cTime: string };

describe('retention and span rules', () => {
  const clock = manualClock(T0);
  let sim: Simulator;
  let uta: Simulator;
  let truth: TruthRecord[];
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 21,
      orders: 1500,
      now: clock.now,
      rateLimits: { perSecond: { spotHistoryOrders: 1e6, futuresHistoryOrders: 1e6 } },
    });
    uta = await startSimulator({ seed: 21, orders: 300, now: clock.now, mode: 'uta' });
    truth = [];
    for await (const t of sim.truth()) truth.push(t);
  });
  afterAll(async () => {
    await sim.close();
    await uta.close();
  });
  const signed = (s: Simulator) => ({ credentials: s.credentials, timestamp: clock.now() });

  test('generated cTimes lie in [now - 90 days + 1 hour, now - 1 s]', () => {
    expect(truth[0]!.cTime).toBeGreaterThanOrEqual(T0 - 90 * DAY_MS + 3_600_000);
    expect(truth[truth.length - 1]!.cTime).toBeLessThanOrEqual(T0 - 1000);
  });

  test('futures: a startTime older than 90 days answers 40704', async () => {
    const { status, body } = await getJson(
      sim.url,
      FUTURES,
      qs({ productType: 'USDT-FUTURES', startTime: T0 - 91 * DAY_MS, endTime: T0 - 10 * DAY_MS }),
      signed(sim),
    );
    expect([status, body.code, body.msg]).toEqual([
      400,
      '40704',
      'Can only check the data of the last three months',
    ]);
  });

  test('spot: a startTime older than 90 days is served, but only what is retained', async () => {
    const { body } = await getJson<Row[]>(
      sim.url,
      SPOT,
      qs({ startTime: T0 - 95 * DAY_MS, endTime: T0 - 6 * DAY_MS }),
      signed(sim),
    );
    expect(body.code).toBe('00000');
    expect(body.data.length).toBeGreaterThan(0);
  });

  test('a span above 90 days answers 40705, exactly 90 days is accepted', async () => {
    const tooLong = qs({
      productType: 'USDT-FUTURES',
      startTime: T0 - 80 * DAY_MS,
      endTime: T0 + 10 * DAY_MS + 1,
    });
    const { body } = await getJson(sim.url, FUTURES, tooLong, signed(sim));
    expect([body.code, body.msg]).toEqual(['40705', 'The start and end time cannot exceed 90 days']);
    const exact = qs({ productType: 'USDT-FUTURES', startTime: T0 - 80 * DAY_MS, endTime: T0 + 10 * DAY_MS });
    expect((await getJson(sim.url, FUTURES, exact, signed(sim))).body.code).toBe('00000');
  });

  test('startTime after endTime answers 40707', async () => {
    const { body } = await getJson(
      sim.url,
      SPOT,
      qs({ startTime: T0 - DAY_MS, endTime: T0 - 2 * DAY_MS }),
      signed(sim),
    );
    expect([body.code, body.msg]).toEqual(['40707', 'Start time is greater than end time']);
  });

  test('v3 refuses a span above 30 days', async () => {
    const { body } = await getJson(
      uta.url,
      V3,
      qs({ category: 'SPOT', startTime: T0 - 31 * DAY_MS, endTime: T0 }),
      signed(uta),
    );
    expect(body.code).toBe('40705');
    const ok = await getJson(
      uta.url,
      V3,
      qs({ category: 'SPOT', startTime: T0 - 30 * DAY_MS, endTime: T0 }),
      signed(uta),
    );
    expect(ok.body.code).toBe('00000');
  });

  test('both time bounds are inclusive: startTime <= cTime <= endTime', async () => {
    const order = truth.find((t) => t.market === 'spot' && t.kind === 'normal')!;
    const exact = qs({ startTime: order.cTime, endTime: order.cTime });
    const { body } = await getJson<Row[]>(sim.url, SPOT, exact, signed(sim));
    expect(body.data.map((r) => r.orderId)).toContain(order.orderId);
    const after = qs({ startTime: order.cTime + 1, endTime: order.cTime + 1 });
    expect(
      (await getJson<Row[]>(sim.url, SPOT, after, signed(sim))).body.data.map((r) => r.orderId),
    ).not.toContain(order.orderId);
  });

  test('as the clock advances, orders older than 90 days stop being served', async () => {
    const oldest = truth.find((t) => t.market === 'spot' && t.kind === 'normal')!;
    const window = qs({ startTime: oldest.cTime, endTime: oldest.cTime });
    expect((await getJson<Row[]>(sim.url, SPOT, window, signed(sim))).body.data).toHaveLength(1);
    clock.set(oldest.cTime + 90 * DAY_MS + 1);
    try {
      expect((await getJson<Row[]>(sim.url, SPOT, window, signed(sim))).body.data).toHaveLength(0);
      const byId = qs({ orderId: oldest.orderId });
      expect((await getJson<Row[]>(sim.url, SPOT, byId, signed(sim))).body.data).toHaveLength(0);
    } finally {
      clock.set(T0);
    }
  });
});
