import { runReportBench, type ReportBenchResult } from '../../bench/scenarios/report';

jest.setTimeout(120_000);

/** CI smoke: the report bench at a tiny size. Asserts what comes out, never speed. */
describe('bench: report (smoke)', () => {
  let r: ReportBenchResult;
  beforeAll(async () => {
    r = await runReportBench({ orders: 2000 });
  });

  it("renders the run's report over every collected order and reports its bytes and render time", () => {
    expect(r).toMatchObject({ scenario: 'report', orders: 2000 });
    expect(r.reportBytes).toBeGreaterThan(10_000);
    expect(r.renderMs).toBeGreaterThanOrEqual(0);
    expect(r.loadAverage).toHaveLength(3);
  });

  it('renders it again with the fills made from the orders, and the archive holding both', () => {
    expect(r.withFills.fills).toBeGreaterThan(0);
    expect(r.withFills.fills).toBeLessThanOrEqual(2000);
    // The realised PnL charts (one per settle coin) make the report larger than the orders' alone.
    expect(r.withFills.reportBytes).toBeGreaterThan(r.reportBytes + 5_000);
    expect(r.archive).toMatchObject({ orders: 2000, fills: r.withFills.fills });
    expect(r.archive.reportBytes).toBeGreaterThan(10_000);
  });
});
