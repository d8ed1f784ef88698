import type { BeforeWrite, WritePoint } from '../../src/archive';
import { DAY, archiveEnv, keyOf, type ArchiveEnv } from './support';

jest.setTimeout(240_000);

class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
}

/** Fails the n-th write of `point` in one sync, as a kill at that moment would (nothing after it happens). */
function failAt(point: WritePoint, n: number): { hook: BeforeWrite; fired: () => boolean } {
  let seen = 0;
  let fired = false;
  return {
    hook: (p) => {
      if (p !== point) return;
      seen += 1;
      if (seen === n) {
        fired = true;
        throw new InjectedFault(`killed at ${point} #${n}`);
      }
    },
    fired: () => fired,
  };
}

const MOMENTS: [WritePoint, number][] = [
  ['partition', 1],
  ['manifest', 1],
  ['partition', 2],
  ['cleanup', 1],
  ['partition', 1],
  ['manifest', 1],
  ['cleanup', 1],
  ['partition', 2],
  ['manifest', 1],
  ['partition', 1],
];

describe('a sync killed at ten moments', () => {
  let env: ArchiveEnv;
  beforeAll(async () => {
    env = await archiveEnv({ seed: 77, orders: 1500, days: 120, clockDaysAgo: 70 });
    await env.sync();
  });
  afterAll(() => env.close());

  it.each(MOMENTS.map(([point, n], i) => [i + 1, point, n] as const))(
    'moment %i (%s #%i): leaves the archive as before or as after, and the next sync completes it',
    async (_i, point, n) => {
      env.sim.clock.advance(7 * DAY);
      const before = { manifest: await env.manifest(), records: await env.records() };
      const fault = failAt(point, n);
      await expect(env.sync(fault.hook)).rejects.toBeInstanceOf(InjectedFault);
      expect(fault.fired()).toBe(true);

      const manifest = await env.manifest();
      const records = await env.records();
      if (point === 'cleanup') {
        // the manifest was written: the archive is as after, with older objects left to collect
        expect(manifest.generation).toBe(before.manifest.generation + 1);
        expect(records.length).toBeGreaterThanOrEqual(before.records.length);
      } else {
        expect(manifest).toEqual(before.manifest);
        expect(records).toEqual(before.records);
      }

      const next = await env.sync();
      expect(next.generation).toBe(manifest.generation + 1);
      const keys = await env.stack.store.list(`archive/${next.uid}/`);
      // every object left is one the manifest names: a partition's NDJSON or its Parquet, of any data set
      const datasets = (await env.manifest()).datasets;
      expect(Object.keys(datasets).sort()).toEqual(['fills', 'ledger', 'orders']);
      const named = new Set(
        Object.values(datasets).flatMap((d) => d.partitions.flatMap((p) => [p.key, p.parquet!.key])),
      );
      expect(keys.filter((k) => !k.endsWith('manifest.json') && !named.has(k))).toEqual([]);
    },
  );

  it('ends equal to the ground truth order by order', async () => {
    const truth = await env.truth();
    const records = await env.records();
    expect(records.map(keyOf)).toEqual(truth.map(keyOf));
    const byKey = new Map(records.map((r) => [keyOf(r), r]));
    for (const t of truth) expect(byKey.get(keyOf(t))!.raw).toEqual(t.raw);
  });
});
