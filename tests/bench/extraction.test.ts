import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExtractionScenario } from '../../bench/scenarios/extraction';
import { noFieldMismatches } from '../../src/verify/verifyAgainstTruth';

jest.setTimeout(180_000);

/** CI smoke: a tiny version of the extraction scenario. Asserts correctness and the report's shape, never speed. */
describe('bench: extraction scenario (smoke)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
  beforeAll(() => {
    process.env['BENCH_RESULTS_DIR'] = dir;
  });
  afterAll(() => {
    delete process.env['BENCH_RESULTS_DIR'];
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetches the whole truth once and reports it against the physical limit', async () => {
    const r = await runExtractionScenario({
      scenario: 'smoke-classic',
      description: 'tiny classic account',
      sim: { seed: 31, orders: 1500, symbols: 8, days: 90, mode: 'classic', latency: { fixedMs: 2 } },
      request: {},
      inProcessSim: true,
    });
    expect(r).toMatchObject({
      scenario: 'smoke-classic',
      status: 'SUCCEEDED',
      complete: true,
      ordersTruth: 1500,
      ordersOut: 1500,
      missing: 0,
      duplicates: 0,
      unexpected: 0,
      unsorted: 0,
      alteredRaw: 0,
      mismatched: 0,
      fieldMismatches: noFieldMismatches(),
    });
    for (const key of [
      'machine',
      'requests',
      'minRequests',
      'requestRatio',
      'wallMs',
      'boundMs',
      'timeRatio',
      'http429',
      'retries',
      'lanes',
      'buckets',
      'targets',
    ])
      expect(r).toHaveProperty(key);
    expect(r.machine).toEqual(
      expect.objectContaining({
        cpuModel: expect.any(String),
        cores: expect.any(Number),
        node: expect.any(String),
      }),
    );
    expect(r.minRequests).toBeGreaterThan(0);
    expect(r.requests).toBeGreaterThanOrEqual(r.minRequests * 0.5);
    expect(r.boundMs).toBeGreaterThan(0);
    expect(r.buckets.map((b) => b.endpoint).sort()).toEqual([
      'futuresHistoryOrders',
      'futuresPlanHistory',
      'spotHistoryOrders',
      'spotPlanHistory',
    ]);
    expect(r.targets.allOrders).toBe(true);
    expect(r.targets.exactFields).toBe(true);
    expect(r.targets.noDuplicates).toBe(true);
    // The timeline of requests per second per bucket, with each budget, drawn beside the JSON.
    expect(r.rateChart).toBe('smoke-classic-rate.svg');
    const svg = readFileSync(join(dir, r.rateChart), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const name of ['futuresHistoryOrders', 'futuresHistoryOrders budget', 'spotHistoryOrders'])
      expect(svg).toContain(name);
  });

  it('reports every field of a unified account, trigger and TP/SL orders included, as the truth says', async () => {
    const r = await runExtractionScenario({
      scenario: 'smoke-uta',
      description: 'tiny unified account',
      sim: { seed: 23, orders: 1500, symbols: 8, days: 90, mode: 'uta', latency: { fixedMs: 2 } },
      request: {},
      inProcessSim: true,
    });
    expect(r).toMatchObject({
      complete: true,
      ordersOut: 1500,
      missing: 0,
      mismatched: 0,
      fieldMismatches: noFieldMismatches(),
    });
    expect(r.buckets.map((b) => b.endpoint).sort()).toEqual(['utaHistoryOrders', 'utaStrategyHistory']);
    expect(r.targets.exactFields).toBe(true);
  });
});
