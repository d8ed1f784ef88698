import { latencySampler, spreadFaultRate } from './faults';
import { startSimulator, type Simulator } from './index';
import { createRng } from './rng';
import { get, qs } from './testkit';

const SPOT = '/api/v2/spot/trade/history-orders';
const FUTURES = '/api/v2/mix/order/orders-history';

describe('fault injection', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 12, orders: 300 });
  });
  afterAll(() => sim.close());
  afterEach(() => sim.setFaults({}));
  const signed = () => ({ credentials: sim.credentials });
  const served = () => sim.stats().served.spotHistoryOrders ?? 0;

  test('holdHistory holds order-history requests until release, and nothing else', async () => {
    sim.holdHistory();
    let answered = false;
    const history = get(sim.url, SPOT, qs({ limit: 1 }), signed()).then((r) => {
      answered = true;
      return r;
    });
    // The public time answers while the history request waits.
    expect((await get(sim.url, '/api/v2/public/time', '')).status).toBe(200);
    expect(answered).toBe(false);
    sim.release();
    expect((await history).status).toBe(200);
    expect(answered).toBe(true);
  });

  test('holdHistory({ endpoints }) holds those endpoints, and release({ endpoints }) lets one through while the others wait', async () => {
    sim.holdHistory();
    const answered: string[] = [];
    const ask = (path: string, name: string, query: Record<string, string | number> = { limit: 1 }) =>
      get(sim.url, path, qs(query), signed()).then((r) => {
        answered.push(name);
        return r;
      });
    const spot = ask(SPOT, 'spot');
    const futures = ask(FUTURES, 'futures', { productType: 'USDT-FUTURES', limit: 1 });
    // The public time answers while both wait; then only the released endpoint answers.
    expect((await get(sim.url, '/api/v2/public/time', '')).status).toBe(200);
    expect(answered).toEqual([]);
    sim.release({ endpoints: ['spotHistoryOrders'] });
    expect((await spot).status).toBe(200);
    expect((await ask(SPOT, 'spot again')).status).toBe(200);
    expect((await get(sim.url, '/api/v2/public/time', '')).status).toBe(200);
    expect(answered).toEqual(['spot', 'spot again']);
    sim.release();
    expect((await futures).status).toBe(200);
    expect(answered).toEqual(['spot', 'spot again', 'futures']);
  });

  test('holdHistory refuses an endpoint that is not a history endpoint, naming it', () => {
    expect(() => sim.holdHistory({ endpoints: ['spotSymbols'] })).toThrow(
      /^holdHistory holds history endpoints only \(.*spotHistoryOrders.*\), not spotSymbols$/,
    );
    sim.release();
  });

  test('latency delays every answer', async () => {
    sim.setFaults({ latency: { fixedMs: 150 } });
    const t0 = Date.now();
    const res = await get(sim.url, SPOT, qs({ limit: 1 }), signed());
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(sim.stats().faults.latency).toBeGreaterThanOrEqual(1);
  });

  test('log-normal latency has the requested median and a long tail up to the p99', () => {
    const sample = latencySampler({ medianMs: 50, p99Ms: 400 }, createRng(1));
    const values = Array.from({ length: 20_000 }, sample).sort((a, b) => a - b);
    expect(values[10_000]).toBeGreaterThan(45);
    expect(values[10_000]).toBeLessThan(55);
    expect(values[19_800]).toBeGreaterThan(330);
    expect(values[19_800]).toBeLessThan(480);
  });

  test('5xx answers are injected and not counted as served', async () => {
    const before = served();
    sim.setFaults({ serverErrorRate: 1 });
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) statuses.add((await get(sim.url, SPOT, '', signed())).status);
    expect([...statuses].every((s) => s >= 500 && s <= 503)).toBe(true);
    expect(served()).toBe(before);
    expect(sim.stats().faults.server_error).toBe(12);
  });

  test('connection resets destroy the socket without an answer', async () => {
    sim.setFaults({ resetRate: 1 });
    await expect(get(sim.url, SPOT, '', signed())).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(sim.stats().faults.reset).toBe(1);
  });

  test('timeouts hang without answering for the given time, then drop the connection', async () => {
    sim.setFaults({ timeoutRate: 1, timeoutMs: 300 });
    const t0 = Date.now();
    await expect(get(sim.url, SPOT, '', signed())).rejects.toThrow();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(sim.stats().faults.timeout).toBe(1);
  });

  test('malformed bodies are truncated JSON with HTTP 200', async () => {
    const before = served();
    sim.setFaults({ malformedRate: 1 });
    const res = await get(sim.url, SPOT, qs({ limit: 3 }), signed());
    expect(res.status).toBe(200);
    expect(res.text.startsWith('{"code":"00000"')).toBe(true);
    expect(() => JSON.parse(res.text)).toThrow();
    expect(served()).toBe(before);
  });

  test('a 429 storm refuses everything for its duration', async () => {
    // The storm follows the simulator's clock: it lasts a minute of it, and ends when the clock is moved past it
    // (no real time waited, so a loaded machine cannot end it early or late).
    sim.setFaults({ stormForMs: 60_000 });
    const during = await get(sim.url, '/api/v2/public/time');
    expect(during.status).toBe(429);
    expect(JSON.parse(during.text)).toMatchObject({ code: '429', msg: 'Too Many Requests', data: null });
    expect((await get(sim.url, SPOT, '', signed())).status).toBe(429);
    sim.clock.advance(60_000);
    expect((await get(sim.url, '/api/v2/public/time')).status).toBe(200);
    expect(sim.stats().faults.storm).toBe(2);
  });

  test('storms also start at random at the given rate', async () => {
    sim.setFaults({ stormRate: 1, stormMs: 50 });
    expect((await get(sim.url, '/api/v2/public/time')).status).toBe(429);
  });

  test('--fault-rate F is spread over the kinds and sums to F', () => {
    const spread = spreadFaultRate(0.1);
    const total =
      (spread.serverErrorRate ?? 0) +
      (spread.resetRate ?? 0) +
      (spread.timeoutRate ?? 0) +
      (spread.malformedRate ?? 0) +
      (spread.stormRate ?? 0);
    expect(total).toBeCloseTo(0.1, 10);
  });

  test('faults can be given at start and mixed: every fault kind is observable at once', async () => {
    const faulty = await startSimulator({
      seed: 13,
      orders: 50,
      faults: { serverErrorRate: 0.25, resetRate: 0.25, malformedRate: 0.25 },
      rateLimits: { perSecond: { spotHistoryOrders: 1000 } },
    });
    try {
      const outcomes = new Set<string>();
      for (let i = 0; i < 60; i++) {
        try {
          const res = await get(faulty.url, SPOT, '', { credentials: faulty.credentials });
          if (res.status >= 500) outcomes.add('5xx');
          else {
            try {
              JSON.parse(res.text);
              outcomes.add('ok');
            } catch {
              outcomes.add('malformed');
            }
          }
        } catch {
          outcomes.add('reset');
        }
      }
      expect(outcomes).toEqual(new Set(['5xx', 'ok', 'malformed', 'reset']));
      const stats = faulty.stats();
      expect(stats.served.spotHistoryOrders).toBe(
        60 - (stats.faults.server_error ?? 0) - (stats.faults.reset ?? 0) - (stats.faults.malformed ?? 0),
      );
    } finally {
      await faulty.close();
    }
  });
});
