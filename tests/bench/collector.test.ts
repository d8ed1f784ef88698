import { runCollectorBench } from '../../bench/scenarios/collector';

jest.setTimeout(180_000);

/** CI smoke: the collector bench at a tiny size, in process. Asserts what comes out, never speed. */
describe('bench: collector (smoke)', () => {
  it('merges every order once, sorted, beside the baseline, and reports rates and memory', async () => {
    const r = await runCollectorBench({ sizes: [3000, 6000], parts: 20, inProcess: true, baseline: true });
    expect(r.targets.allOrders).toBe(true);
    expect(r.targets.noDuplicates).toBe(true);
    for (const s of r.sizes) {
      expect(s.collector).toMatchObject({
        ok: true,
        orders: s.orders,
        duplicatesDropped: s.inputLines - s.orders,
      });
      expect(s.collector.verified).toMatchObject({ lines: s.orders, unsorted: 0, duplicates: 0, ok: true });
      expect(s.baseline).toMatchObject({ ok: true, orders: s.orders });
      expect(s.collector.ordersPerSecond).toBeGreaterThan(0);
      expect(s.collector.peakRssMB).toBeGreaterThan(0);
    }
    expect(typeof r.rssGrowth).toBe('number');
    expect(r.machine.cores).toBeGreaterThan(0);
  });
});
