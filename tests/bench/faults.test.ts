import { startBenchSim } from '../../bench/lib/sim';
import type { BenchSim } from '../../bench/lib/sim';
import { inProcessCase } from '../../bench/scenarios/faults/inProcessCase';
import type { CampaignContext } from '../../bench/scenarios/faults/faultCaseResult';

jest.setTimeout(240_000);

/** CI smoke: two fault cases on a tiny account. Nothing lost, nothing duplicated, never a false success. */
describe('bench: fault campaign (smoke)', () => {
  let sim: BenchSim;
  let ctx: CampaignContext;
  beforeAll(async () => {
    const latency = { fixedMs: 2 };
    sim = await startBenchSim({ seed: 17, orders: 1200, symbols: 6, days: 90, latency }, { inProcess: true });
    ctx = { sim, latency, faultFreeMs: null };
  });
  afterAll(async () => sim.close());

  it('5xx on 10 % of requests: finishes with every order once', async () => {
    const r = await inProcessCase(ctx, {
      name: 'smoke-5xx',
      fault: '5xx 10 %',
      faults: { serverErrorRate: 0.1 },
    });
    expect(r).toMatchObject({ outcome: 'finished', lost: 0, duplicates: 0, falseSuccesses: 0, ok: true });
    expect(r.ordersOut).toBe(1200);
    expect(r.simFaults['server_error']).toBeGreaterThan(0);
  });

  it('the exchange going down mid-run: the run stops without claiming success, then resumes to completion', async () => {
    const r = await inProcessCase(ctx, {
      name: 'smoke-down',
      fault: 'every request 5xx from the start',
      faults: { serverErrorRate: 1 },
      maxAttempts: 2,
      retryIntervalMs: 10,
      client: { retries: 1, baseDelayMs: 5, maxDelayMs: 20 },
    });
    expect(r).toMatchObject({
      outcome: 'stopped-resumed',
      lost: 0,
      duplicates: 0,
      falseSuccesses: 0,
      ok: true,
    });
    expect(r.attempts).toBe(2);
    expect(r.firstError).toBeTruthy();
  });
});
