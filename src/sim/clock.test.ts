import { request } from 'node:http';
import { DAY_MS } from '../bitget/endpoints';
import { startSimulator, type Simulator, type TruthRecord } from './index';
import { getJson, manualClock, qs } from './testkit';

const T0 = 1_750_000_000_000;
const SPOT_HISTORY = '/api/v2/spot/trade/history-orders';
const SPOT_OPEN = '/api/v2/spot/trade/unfilled-orders';
const PLAN_PENDING = '/api/v2/mix/order/orders-plan-pending';
const PLAN_HISTORY = '/api/v2/mix/order/orders-plan-history';

type Row = { orderId: string; cTime: string; uTime: string; status?: string; planStatus?: string };

function post(url: string, path: string, body: string): Promise<{ status: number; json: unknown }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function listAll(sim: Simulator, now: number, path: string, query: Record<string, string | number>) {
  const rows: Row[] = [];
  let cursor: string | undefined;
  for (;;) {
    const { body } = await getJson<unknown>(sim.url, path, qs({ ...query, limit: 100, idLessThan: cursor }), {
      credentials: sim.credentials,
      timestamp: now,
    });
    expect(body.code).toBe('00000');
    const data = body.data as Row[] | { entrustedList: Row[] | null; endId: string };
    const page = Array.isArray(data) ? data : (data.entrustedList ?? []);
    rows.push(...page);
    if (page.length < 100) return rows;
    cursor = page[page.length - 1]!.orderId;
  }
}

describe("the simulator's clock and long history", () => {
  const base = manualClock(T0);
  let sim: Simulator;
  let truth: TruthRecord[];
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 5,
      orders: 3000,
      days: 400,
      clockDaysAgo: 200,
      now: base.now,
      rateLimits: {
        perSecond: {
          spotHistoryOrders: 1e6,
          spotUnfilledOrders: 1e6,
          futuresPlanPending: 1e6,
          futuresPlanHistory: 1e6,
        },
      },
    });
    truth = [];
    for await (const t of sim.truth()) truth.push(t);
  });
  afterAll(() => sim.close());

  it('spreads the history over the 400 days before now', () => {
    expect(truth[0]!.cTime).toBeGreaterThanOrEqual(T0 - 400 * DAY_MS);
    expect(truth[0]!.cTime).toBeLessThan(T0 - 390 * DAY_MS);
    expect(truth[truth.length - 1]!.cTime).toBeLessThanOrEqual(T0);
  });

  it('keeps some orders open for more than a week', () => {
    const long = truth.filter((t) => Number(t.raw['uTime'] ?? 0) - t.cTime > 7 * DAY_MS);
    expect(long.length).toBeGreaterThan(10);
    expect(long.some((t) => t.kind === 'plan')).toBe(true);
    expect(long.some((t) => t.kind === 'normal')).toBe(true);
  });

  it('answers the server time and POST /sim/clock from the clock', async () => {
    const clockNow = T0 - 200 * DAY_MS;
    const time = await getJson<{ serverTime: string }>(sim.url, '/api/v2/public/time');
    expect(Number(time.body.data.serverTime)).toBe(clockNow);
    expect(await post(sim.url, '/sim/clock', '{"advanceMs":-5}')).toMatchObject({ status: 400 });
    expect(await post(sim.url, '/sim/clock', '{"advanceMs":0}')).toEqual({
      status: 200,
      json: { now: clockNow },
    });
  });

  it('lists in history only what has finished by the clock, the rest as open orders', async () => {
    const now = sim.clock.now();
    const history = await listAll(sim, now, SPOT_HISTORY, { startTime: now - 90 * DAY_MS, endTime: now });
    const open = await listAll(sim, now, SPOT_OPEN, {});
    const spot = truth.filter((t) => t.market === 'spot' && t.kind === 'normal');
    const expectedHistory = spot.filter((t) => t.cTime >= now - 90 * DAY_MS && Number(t.raw['uTime']) <= now);
    const expectedOpen = spot.filter((t) => t.cTime <= now && Number(t.raw['uTime']) > now);
    expect(history.map((r) => r.orderId).sort()).toEqual(expectedHistory.map((t) => t.orderId).sort());
    expect(open.map((r) => r.orderId).sort()).toEqual(expectedOpen.map((t) => t.orderId).sort());
    expect(expectedOpen.length).toBeGreaterThan(0);
    expect(open.every((r) => r.status === 'live' && r.uTime === r.cTime)).toBe(true);
    expect(history.every((r) => Number(r.cTime) <= now)).toBe(true);
  });

  it('moves an open plan order into history in its final state once the clock passes its uTime', async () => {
    const now = sim.clock.now();
    const pending = truth.find(
      (t) =>
        t.market === 'usdt-futures' &&
        t.planType === 'normal_plan' &&
        t.cTime <= now &&
        Number(t.raw['uTime']) > now,
    );
    expect(pending).toBeDefined();
    const query = { productType: 'USDT-FUTURES', planType: 'normal_plan' };
    const before = await listAll(sim, now, PLAN_PENDING, query);
    expect(before.find((r) => r.orderId === pending!.orderId)?.planStatus).toBe('live');
    const window = { ...query, startTime: pending!.cTime - DAY_MS, endTime: pending!.cTime + DAY_MS };
    expect((await listAll(sim, now, PLAN_HISTORY, window)).map((r) => r.orderId)).not.toContain(
      pending!.orderId,
    );

    const advanceMs = Number(pending!.raw['uTime']) - now;
    const moved = await post(sim.url, '/sim/clock', JSON.stringify({ advanceMs }));
    expect(moved.json).toEqual({ now: Number(pending!.raw['uTime']) });
    const later = sim.clock.now();
    const after = await listAll(sim, later, PLAN_HISTORY, window);
    expect(after.find((r) => r.orderId === pending!.orderId)).toEqual(pending!.raw);
    expect((await listAll(sim, later, PLAN_PENDING, query)).map((r) => r.orderId)).not.toContain(
      pending!.orderId,
    );
  });

  it('serves the account UID on the account info endpoint', async () => {
    const { body } = await getJson<{ userId: string }>(sim.url, '/api/v2/spot/account/info', '', {
      credentials: sim.credentials,
      timestamp: sim.clock.now(),
    });
    expect(body.data.userId).toBe(sim.uid);
  });
});
