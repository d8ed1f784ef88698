import { DAY, archiveEnv, keyOf, type ArchiveEnv } from './support';

jest.setTimeout(180_000);

describe('syncs of a unified (UTA) account', () => {
  let env: ArchiveEnv;
  beforeAll(async () => {
    env = await archiveEnv({ seed: 63, orders: 1200, days: 200, clockDaysAgo: 150, mode: 'uta' });
  });
  afterAll(() => env.close());

  it('read the UID from v3, open orders from the v3 open-order endpoints, and end equal to the ground truth', async () => {
    const reports = [];
    for (let i = 0; i < 6; i++) {
      if (i > 0) env.sim.clock.advance(30 * DAY);
      reports.push(await env.sync());
    }
    expect(reports[0]!).toMatchObject({ uid: env.sim.uid, mode: 'uta' });
    expect(reports.some((r) => r.openOrders > 0)).toBe(true);
    expect(reports.some((r) => r.updated > 0)).toBe(true);
    const truth = await env.truth();
    const records = await env.records();
    expect(records.map(keyOf)).toEqual(truth.map(keyOf));
    const byKey = new Map(records.map((r) => [keyOf(r), r]));
    for (const t of truth) expect(byKey.get(keyOf(t))!.raw).toEqual(t.raw);
    const streams = Object.keys((await env.manifest()).datasets['orders']!.streams).sort();
    expect(streams).not.toContain('spot/plan');
    expect(streams).not.toContain('spot/tpsl');
  });
});
