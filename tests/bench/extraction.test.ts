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
      request: { datasets: ['orders'] },
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
    // Peak RSS of every process: the simulator runs in this process here, and the local S3 server runs in this
    // process too under ts-jest (no compiled child entry).
    expect(r.rss?.extraction).toEqual(
      expect.objectContaining({ pid: process.pid, peakRssMiB: expect.any(Number) }),
    );
    expect(r.rss?.extraction.peakRssMiB).toBeGreaterThan(0);
    expect(r.rss?.simulator).toEqual(expect.objectContaining({ pid: null, peakRssMiB: null }));
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
      request: { datasets: ['orders'] },
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

  it('fetches orders, fills and ledger (bills and tax records) once each and bounds them by every bucket', async () => {
    const r = await runExtractionScenario({
      scenario: 'smoke-datasets',
      description: 'tiny classic account, 100 days: the oldest 10 from the tax records',
      sim: { seed: 11, orders: 1500, symbols: 8, days: 100, mode: 'classic', latency: { fixedMs: 2 } },
      request: { datasets: ['orders', 'fills', 'ledger'] },
      sinceDaysAgo: 100,
      inProcessSim: true,
    });
    expect(r).toMatchObject({
      status: 'SUCCEEDED',
      complete: true,
      missing: 0,
      duplicates: 0,
      mismatched: 0,
    });
    expect(Object.keys(r.datasets)).toEqual(['orders', 'fills', 'ledger']);
    for (const [name, d] of Object.entries(r.datasets)) {
      const counts = Object.fromEntries(
        Object.entries(d.fieldMismatches ?? {}).map(([f, m]) => [f, m.count]),
      );
      expect({
        name,
        missing: d.missing,
        unexpected: d.unexpected,
        duplicates: d.duplicates,
        unsorted: d.unsorted,
      }).toEqual({ name, missing: 0, unexpected: 0, duplicates: 0, unsorted: 0 });
      expect({ name, alteredRaw: d.alteredRaw, mismatched: d.mismatched, counts }).toEqual({
        name,
        alteredRaw: 0,
        mismatched: 0,
        counts: Object.fromEntries(Object.keys(counts).map((f) => [f, 0])),
      });
      expect(d.truth).toBeGreaterThan(0);
      expect(d.out).toBe(d.truth);
      // The minimum is a lower bound: no complete client asks fewer.
      expect(d.requests).toBeGreaterThanOrEqual(d.minRequests);
    }
    expect(r.targets.allRecords).toBe(true);
    const buckets = r.buckets.map((b) => `${b.dataset}:${b.endpoint}`).sort();
    expect(buckets).toEqual([
      'fills:futuresFills',
      'fills:spotFills',
      'ledger:futuresBills',
      'ledger:spotBills',
      'ledger:taxFutureRecords',
      'ledger:taxMarginRecords',
      'ledger:taxP2pRecords',
      'ledger:taxSpotRecords',
      'orders:futuresHistoryOrders',
      'orders:futuresPlanHistory',
      'orders:spotHistoryOrders',
      'orders:spotPlanHistory',
    ]);
    // The whole run's minimum is every bucket's, its bound the slowest bucket's (or the IP cap's).
    expect(r.minRequests).toBe(r.buckets.reduce((n, b) => n + b.minRequests, 0));
    expect(r.boundMs).toBe(Math.max(...r.buckets.map((b) => b.boundMs)));
    const svg = readFileSync(join(dir, r.rateChart), 'utf8');
    for (const name of ['spotFills', 'futuresBills budget', 'taxSpotRecords', 'taxFutureRecords budget'])
      expect(svg).toContain(name);
  });
});
