import { isDeepStrictEqual } from 'node:util';
import type { SyncReport } from '../../src/archive';
import { archiveStatus } from '../../src/archive';
import { compareOrderKey } from '../../src/core/order';
import { parseExtractionRequest } from '../../src/core/request';
import { renderArchiveReport } from '../../src/report/archiveReport';
import { DAY, archiveEnv, keyOf, type ArchiveEnv } from './support';

jest.setTimeout(240_000);

const SIM = { seed: 14, orders: 2400, days: 400, clockDaysAgo: 360 } as const;

/** Syncs at each of `daysAgo` (descending), moving the simulator's clock between them. */
async function syncAt(
  env: ArchiveEnv,
  daysAgo: number[],
): Promise<{ reports: SyncReport[]; openSeen: Set<string> }> {
  const reports: SyncReport[] = [];
  const openSeen = new Set<string>();
  let at: number = SIM.clockDaysAgo;
  for (const d of daysAgo) {
    env.sim.clock.advance((at - d) * DAY);
    at = d;
    reports.push(await env.sync());
    for (const o of (await env.manifest()).datasets['orders']!.open) openSeen.add(o.key);
  }
  return { reports, openSeen };
}

const figures = (name: string, reports: SyncReport[]): string =>
  `${name}: ${reports.length} syncs, requests per sync ${reports.map((r) => r.requests).join('/')}, ` +
  `added ${reports.map((r) => r.added).join('/')}, updated ${reports.map((r) => r.updated).join('/')}, ` +
  `open ${reports.map((r) => r.openOrders).join('/')}`;

describe('a simulated year of syncs', () => {
  describe('synced every 30 days from 360 days ago until now', () => {
    let env: ArchiveEnv;
    let reports: SyncReport[];
    let openSeen: Set<string>;
    beforeAll(async () => {
      env = await archiveEnv(SIM);
      ({ reports, openSeen } = await syncAt(
        env,
        [360, 330, 300, 270, 240, 210, 180, 150, 120, 90, 60, 30, 0],
      ));
    });
    afterAll(() => env.close());

    it('equals the ground truth order by order over the whole 400 days', async () => {
      const truth = await env.truth();
      const records = await env.records();
      expect(truth.length).toBe(SIM.orders);
      expect(records.map(keyOf)).toEqual(truth.map(keyOf));
      const byKey = new Map(records.map((r) => [keyOf(r), r]));
      for (const t of truth) expect(byKey.get(keyOf(t))!.raw).toEqual(t.raw);
      // no single answer could hold it: the history spans 400 days, Bitget serves 90
      expect(truth[truth.length - 1]!.cTime - truth[0]!.cTime).toBeGreaterThan(390 * DAY);
      console.log(`${figures('every 30 days', reports)}; ${records.length} orders archived`);
    });

    it('keeps the records sorted by (cTime, orderId), one per market and orderId', async () => {
      const records = await env.records();
      for (let i = 1; i < records.length; i++) {
        const a = records[i - 1]!;
        const b = records[i]!;
        expect(compareOrderKey(a.cTime, a.orderId, b.cTime, b.orderId)).toBeLessThan(0);
      }
      expect(new Set(records.map(keyOf)).size).toBe(records.length);
    });

    it('archives orders that changed state between two syncs in their final state', async () => {
      const truth = new Map((await env.truth()).map((t) => [keyOf(t), t]));
      const records = await env.records();
      const changed = records.filter((r) => openSeen.has(keyOf(r)));
      expect(changed.length).toBeGreaterThan(20);
      for (const r of changed) expect(r.raw).toEqual(truth.get(keyOf(r))!.raw);
      expect(reports.some((r) => r.updated > 0)).toBe(true);
    });

    it('records no gap, and covers 450 days back from now per stream', async () => {
      const status = archiveStatus(await env.manifest());
      expect(status.datasets['orders']!.gaps).toEqual([]);
      expect(status.datasets['orders']!.records).toBe(SIM.orders);
      expect(status.lastSync).toBe(reports[reports.length - 1]!.asked.until);
      const streams = (await env.manifest()).datasets['orders']!.streams;
      expect(Object.keys(streams).sort()).toEqual([
        'coin-futures/normal',
        'coin-futures/plan',
        'coin-futures/tpsl',
        'spot/normal',
        'spot/plan',
        'spot/tpsl',
        'usdc-futures/normal',
        'usdc-futures/plan',
        'usdc-futures/tpsl',
        'usdt-futures/normal',
        'usdt-futures/plan',
        'usdt-futures/tpsl',
      ]);
      for (const span of Object.values(streams))
        expect(span).toEqual({ from: reports[0]!.served.from, to: status.lastSync });
    });

    it('adds nothing on a second sync in a row, and says so', async () => {
      const before = await env.manifest();
      const again = await env.sync();
      expect(again).toMatchObject({ added: 0, updated: 0, nothingNew: true, partitionsWritten: 0 });
      const after = await env.manifest();
      expect(after.datasets['orders']!.partitions).toEqual(before.datasets['orders']!.partitions);
      // the cost beside a full extraction of what Bitget serves now (figures for the closing note)
      const started = await env.stack.engine.start(parseExtractionRequest({}), 'full-extraction-now');
      const full = await env.stack.engine.wait(started.executionArn);
      const summary = JSON.parse(
        (await env.stack.store.getText('results/full-extraction-now/summary.json'))!,
      ) as {
        requests: number;
      };
      expect(full.status).toBe('SUCCEEDED');
      console.log(
        `second sync in a row: ${again.requests} requests; a full 90-day extraction: ${summary.requests}`,
      );
    });
  });

  describe('with a pause of 120 days', () => {
    let env: ArchiveEnv;
    let reports: SyncReport[];
    beforeAll(async () => {
      env = await archiveEnv(SIM);
      ({ reports } = await syncAt(env, [360, 330, 300, 180, 150, 120, 90, 60, 30, 0]));
    });
    afterAll(() => env.close());

    it('records exactly one gap per stream, with the bounds of the span no longer served', async () => {
      const manifest = await env.manifest();
      const gaps = manifest.datasets['orders']!.gaps;
      const streams = Object.keys(manifest.datasets['orders']!.streams);
      expect(gaps.map((g) => g.stream).sort()).toEqual(streams.sort());
      const lastBefore = reports[2]!;
      const firstAfter = reports[3]!;
      for (const g of gaps) {
        expect(g.from).toBe(lastBefore.asked.until);
        expect(g.to).toBe(firstAfter.served.from);
      }
      // 30 days, plus the 10-minute margin the run keeps inside Bitget's moving retention boundary, plus the
      // seconds between the sync reading the exchange's time and the run planning from it
      expect(gaps[0]!.to - gaps[0]!.from).toBeGreaterThanOrEqual(30 * DAY + 10 * 60_000);
      expect(gaps[0]!.to - gaps[0]!.from).toBeLessThan(31 * DAY);
      expect(firstAfter.gaps).toHaveLength(streams.length);
      console.log(
        `${figures('with a 120-day pause', reports)}; gap ${gaps[0]!.to - gaps[0]!.from} ms per stream`,
      );
    });

    it("draws the gap on the archive's report, over the whole covered span, and lists it per stream", async () => {
      const manifest = await env.manifest();
      const gap = manifest.datasets['orders']!.gaps[0]!;
      const { html } = await renderArchiveReport(env.stack.store);
      const chart = html.slice(html.indexOf('<svg '), html.indexOf('</svg>'));
      const streams = Object.keys(manifest.datasets['orders']!.streams).length;
      expect(chart).toContain(`gap (${streams} streams)`);
      const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
      for (const g of manifest.datasets['orders']!.gaps)
        expect(html).toContain(`<td>${g.stream}</td><td>${iso(g.from)}</td><td>${iso(g.to)}</td>`);
      // the days inside the gap are on the chart's axis (as zero-order days), so the shading has room
      expect(html).toContain(`<tr><td>${new Date(gap.from + DAY).toISOString().slice(0, 10)}</td>`);
    });

    it('misses nothing outside the gap, and holds every order there in its final state unless it was last seen open', async () => {
      const manifest = await env.manifest();
      const gap = manifest.datasets['orders']!.gaps[0]!;
      const truth = await env.truth();
      const records = new Map((await env.records()).map((r) => [keyOf(r), r]));
      const outside = truth.filter((t) => t.cTime < gap.from || t.cTime >= gap.to);
      const inside = truth.filter((t) => t.cTime >= gap.from && t.cTime < gap.to);
      expect(inside.length).toBeGreaterThan(0);
      expect(outside.filter((t) => !records.has(keyOf(t)))).toEqual([]);
      // an order created inside the gap is archived only if a sync saw it open
      const stale = outside.filter((t) => !isDeepStrictEqual(records.get(keyOf(t))!.raw, t.raw));
      for (const t of stale) expect(records.get(keyOf(t))!.status).toBe('live');
      expect(stale.length).toBe(reports.reduce((n, r) => n + r.staleOpen, 0));
      console.log(
        `with a 120-day pause: ${inside.length} orders created inside the gap, ${stale.length} last seen open`,
      );
      const archivedInside = inside.filter((t) => records.has(keyOf(t)));
      expect(records.size).toBe(outside.length + archivedInside.length);
    });
  });
});
