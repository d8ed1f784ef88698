import { startSimulator, type Simulator } from './index';
import { SlidingWindowLimiter } from './rateLimit';
import { get, getJson, manualClock, qs } from './testkit';
import { fixtureBody } from '../../tests/fixtures/bitget/fixtures';

const SPOT = '/api/v2/spot/trade/history-orders';
const FUTURES = '/api/v2/mix/order/orders-history';

describe('per-UID per-endpoint budgets in a sliding one-second window', () => {
  const clock = manualClock(1_750_000_000_000);
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, orders: 200, now: clock.now });
  });
  afterAll(() => sim.close());
  const signed = () => ({ credentials: sim.credentials, timestamp: clock.now() });

  test('21 spot-history requests within one second: exactly 20 served and 1 refused with HTTP 429', async () => {
    const statuses: number[] = [];
    let refusedBody: unknown;
    for (let i = 0; i < 21; i++) {
      const res = await getJson(sim.url, SPOT, qs({ limit: 1 }), signed());
      statuses.push(res.status);
      if (res.status === 429) refusedBody = res.body;
      clock.advance(40);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses[20]).toBe(429);
    const recorded = fixtureBody('rate-limited.json');
    expect(refusedBody).toMatchObject({ code: recorded.code, msg: recorded.msg, data: null });
    expect(typeof (refusedBody as { requestTime: unknown }).requestTime).toBe('number');
  });

  test('requests evenly spaced at the budget (every 50 ms for 20/s) are never refused', async () => {
    clock.advance(5000);
    for (let i = 0; i < 60; i++) {
      const res = await getJson(sim.url, SPOT, qs({ limit: 1 }), signed());
      expect(res.status).toBe(200);
      clock.advance(50);
    }
  });

  test('refused requests do not use up the budget', async () => {
    clock.advance(5000);
    for (let i = 0; i < 20; i++) expect((await getJson(sim.url, SPOT, '', signed())).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await getJson(sim.url, SPOT, '', signed())).status).toBe(429);
    clock.advance(1000);
    expect((await getJson(sim.url, SPOT, '', signed())).status).toBe(200);
  });

  test('futures history has its own budget of 10/s, independent of spot', async () => {
    clock.advance(5000);
    for (let i = 0; i < 20; i++) await getJson(sim.url, SPOT, '', signed());
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await getJson(sim.url, FUTURES, qs({ productType: 'USDT-FUTURES' }), signed())).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses[10]).toBe(429);
  });

  test('public endpoints are limited per IP at 20/s', async () => {
    clock.advance(5000);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await getJson(sim.url, '/api/v2/public/time')).status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
  });

  test('every answer carries x-mbx-used-remain-limit, the calls left exactly as the window counts them', async () => {
    clock.advance(5000);
    const remain: (string | string[] | undefined)[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await get(sim.url, FUTURES, qs({ productType: 'USDT-FUTURES' }), signed());
      statuses.push(res.status);
      remain.push(res.headers['x-mbx-used-remain-limit']);
      clock.advance(10);
    }
    expect(remain).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '0']);
    expect(statuses[10]).toBe(429);
    // The first arrival leaves the window 1000 ms after it came: one call is free again.
    clock.advance(1000 - 11 * 10);
    const next = await get(sim.url, FUTURES, qs({ productType: 'USDT-FUTURES' }), signed());
    expect([next.status, next.headers['x-mbx-used-remain-limit']]).toEqual([200, '0']);
  });

  test('the header is the limiter’s own count on every answer: admitted, refused for the rate, in a storm, badly signed', async () => {
    clock.advance(5000);
    // A window under the same rule, fed the calls the simulator counts: its count is what every header must say.
    const mirror = new SlidingWindowLimiter(1000);
    const left = () => String(mirror.remaining('futures', 10, clock.now()));
    const seen: { status: number; header: unknown; expected: string }[] = [];
    const ask = async (sign: Parameters<typeof get>[3], counted: boolean) => {
      const res = await get(sim.url, FUTURES, qs({ productType: 'USDT-FUTURES' }), sign);
      const admitted = counted && mirror.tryAcquire('futures', 10, clock.now());
      seen.push({ status: res.status, header: res.headers['x-mbx-used-remain-limit'], expected: left() });
      return admitted;
    };
    for (let i = 0; i < 13; i++) {
      await ask(signed(), true);
      clock.advance(20);
    }
    // A bad signature and a storm are refused before the budget: not counted, the header still says what is left.
    await ask({ ...signed(), headers: { 'ACCESS-SIGN': 'not-a-signature' } }, false);
    clock.advance(700);
    sim.setFaults({ stormForMs: 100 });
    await ask(signed(), false);
    clock.advance(200);
    sim.setFaults({});
    await ask(signed(), true);
    expect(seen.map((s) => s.header)).toEqual(seen.map((s) => s.expected));
    expect(seen.map((s) => s.status)).toEqual([...Array(10).fill(200), 429, 429, 429, 400, 429, 200]);
  });

  test('stats count rate-limit refusals apart from served requests', () => {
    const stats = sim.stats();
    expect(stats.refused.spotHistoryOrders?.rate_limit).toBe(1 + 5);
    expect(stats.refused.futuresHistoryOrders?.rate_limit).toBe(1 + 1 + 3);
    expect(stats.served.spotHistoryOrders).toBe(20 + 60 + 21 + 20);
  });
});

describe('the IP cap over every endpoint', () => {
  test('crossing the per-minute cap refuses the request and blocks the IP for the ban period', async () => {
    const clock = manualClock(1_750_000_000_000);
    const sim = await startSimulator({
      seed: 4,
      orders: 10,
      now: clock.now,
      rateLimits: { ipPerMinute: 30, ipBanMs: 2000 },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) {
        statuses.push((await getJson(sim.url, '/api/v2/public/time')).status);
        clock.advance(100);
      }
      expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
      expect(statuses[30]).toBe(429);
      clock.advance(60_000);
      expect((await getJson(sim.url, '/api/v2/public/time')).status).toBe(200);
      const second: number[] = [];
      for (let i = 0; i < 30; i++) {
        second.push((await getJson(sim.url, '/api/v2/public/time')).status);
        clock.advance(100);
      }
      expect(second.filter((s) => s === 429)).toHaveLength(1);
      expect(second[29]).toBe(429);
      clock.advance(1899);
      expect((await getJson(sim.url, '/api/v2/public/time')).status).toBe(429);
      clock.advance(61_000);
      expect((await getJson(sim.url, '/api/v2/public/time')).status).toBe(200);
      const refused = sim.stats().refused.publicTime;
      expect(refused?.ip_limit).toBe(2);
      expect(refused?.ip_banned).toBe(1);
    } finally {
      await sim.close();
    }
  });
});

describe('SlidingWindowLimiter', () => {
  test('admits exactly `limit` arrivals in any window and frees each slot one window after its arrival', () => {
    const limiter = new SlidingWindowLimiter(1000);
    const t0 = 1_000_000;
    const admitted = Array.from({ length: 40 }, (_, i) => limiter.tryAcquire('k', 25, t0 + i));
    expect(admitted.filter(Boolean)).toHaveLength(25);
    expect(admitted.slice(0, 25).every(Boolean)).toBe(true);
    // The first arrival (t0) leaves the window (now - 1000, now] at t0 + 1000, the second at t0 + 1001.
    expect(limiter.tryAcquire('k', 25, t0 + 999)).toBe(false);
    expect(limiter.tryAcquire('k', 25, t0 + 1000)).toBe(true);
    expect(limiter.tryAcquire('k', 25, t0 + 1000)).toBe(false);
    expect(limiter.tryAcquire('k', 25, t0 + 1001)).toBe(true);
    // Other keys have budgets of their own.
    expect(limiter.tryAcquire('other', 25, t0 + 1001)).toBe(true);
  });

  test('keeps admitting at the steady budget across many ring wrap-arounds', () => {
    const limiter = new SlidingWindowLimiter(1000);
    let refused = 0;
    for (let i = 0; i < 5000; i++) if (!limiter.tryAcquire('k', 20, 2_000_000 + i * 50)) refused++;
    expect(refused).toBe(0);
    expect(limiter.tryAcquire('k', 20, 2_000_000 + 4999 * 50)).toBe(false);
  });

  test('memory follows the arrivals held, not the limit (a limit of 1e9 allocates no 8 GB ring)', () => {
    const before = process.memoryUsage().arrayBuffers;
    const limiter = new SlidingWindowLimiter(1000);
    for (let key = 0; key < 20; key++) {
      for (let i = 0; i < 1000; i++) expect(limiter.tryAcquire(`k${key}`, 1e9, 3_000_000 + i)).toBe(true);
    }
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1048576);
  });
});
