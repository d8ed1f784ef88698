import { runReportBench } from '../../bench/scenarios/report';

jest.setTimeout(120_000);

/** CI smoke: the report bench at a tiny size. Asserts what comes out, never speed. */
describe('bench: report (smoke)', () => {
  it("renders the run's report over every collected order and reports its bytes and render time", async () => {
    const r = await runReportBench({ orders: 2000 });
    expect(r).toMatchObject({ scenario: 'report', orders: 2000 });
    expect(r.reportBytes).toBeGreaterThan(10_000);
    expect(r.renderMs).toBeGreaterThanOrEqual(0);
    expect(r.loadAverage).toHaveLength(3);
  });
});
