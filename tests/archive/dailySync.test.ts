/**
 * A daily sync asks each stream from its own start: the stream of an order last seen open weeks ago from that
 * order's creation, the other streams from their watermark. Requests are the simulator's counts per endpoint,
 * each stream on an endpoint of its own (a unified account's COIN-M normal orders on v3 history, its COIN-M
 * trigger orders on v3 strategy history, both cut into 30-day windows). The simulator's clock stands still
 * between its moves (its base clock is frozen) and cursors never split, so a range costs the same requests in
 * every run that asks it: the sync's counts are compared with extractions of one stream each over the range
 * the sync should have asked, at the same moment.
 */
import { runSync } from '../../src/archive';
import type { Kind } from '../../src/core/order';
import { newRunId } from '../../src/core/engine';
import { parseExtractionRequest } from '../../src/core/request';
import { RunRepository } from '../../src/extraction/RunRepository';
import { DAY, archiveEnv, type ArchiveEnv } from './support';

jest.setTimeout(240_000);

const BASE = Date.UTC(2026, 10, 1, 12);
const SCOPE = { markets: ['coin-futures'], kinds: ['normal', 'plan'], datasets: ['orders'] } as const;
const NORMAL = 'coin-futures/normal';
const PLAN = 'coin-futures/plan';
const NEVER_SPLIT = { minPagesToSplit: 1e9, tailPagesToSplit: 1e9 };

const served = (env: ArchiveEnv): Record<string, number> =>
  ({ ...env.sim.stats().served }) as Record<string, number>;
const diff = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
      .filter(([, v]) => v > 0),
  );

describe('a daily sync after an order of one stream stayed open for weeks', () => {
  let env: ArchiveEnv;
  beforeAll(async () => {
    env = await archiveEnv(
      { seed: 1, orders: 1500, days: 60, clockDaysAgo: 2, mode: 'uta', now: () => BASE },
      undefined,
      NEVER_SPLIT,
    );
  });
  afterAll(() => env.close());

  /** The requests one extraction of a single stream from `since` to `until` is answered. */
  const extractionAlone = async (
    kind: Kind,
    since: number,
    until: number,
  ): Promise<Record<string, number>> => {
    const before = served(env);
    const request = parseExtractionRequest({ markets: SCOPE.markets, kinds: [kind], since, until });
    const started = await env.stack.engine.start(request, newRunId());
    expect((await env.stack.engine.wait(started.executionArn)).status).toBe('SUCCEEDED');
    return diff(served(env), before);
  };

  it('asks that stream from the order’s creation and the other stream from its watermark', async () => {
    const deps = { store: env.stack.store, client: env.stack.client, engine: env.stack.engine };
    const first = await runSync(deps, SCOPE);
    const state = (await env.manifest()).datasets['orders']!;
    // the situation: one order of the trigger stream open for weeks, none of the normal stream
    const openPlans = state.open.filter((o) => o.stream === PLAN);
    expect(openPlans).toHaveLength(1);
    expect(state.open.filter((o) => o.stream === NORMAL)).toEqual([]);
    const openedAt = openPlans[0]!.cTime;
    expect(first.asked.until - openedAt).toBeGreaterThan(30 * DAY); // more than one 30-day window back
    const watermark = state.streams[NORMAL]!.to;
    expect(watermark).toBe(first.asked.until);

    env.sim.clock.advance(DAY);
    const before = served(env);
    const daily = await runSync(deps, SCOPE);
    const dailyCounts = diff(served(env), before);
    expect(daily.asked).toEqual({
      since: openedAt,
      until: watermark + DAY,
      streams: { [NORMAL]: watermark, [PLAN]: openedAt },
    });
    // the run's own plan: each lane's cursors start where its stream does
    const lanes = await new RunRepository(env.stack.store, daily.runId).listLanes();
    const starts = Object.fromEntries(
      lanes.map((l) => [l.endpoint, Math.min(...l.cursors.map((c) => c.start))] as const),
    );
    expect(starts).toEqual({ utaHistoryOrders: watermark, utaStrategyHistory: openedAt });

    const planAlone = await extractionAlone('plan', openedAt, daily.asked.until);
    const normalAlone = await extractionAlone('normal', watermark, daily.asked.until);
    expect(dailyCounts['utaStrategyHistory']).toBe(planAlone['utaStrategyHistory']);
    expect(dailyCounts['utaHistoryOrders']).toBe(normalAlone['utaHistoryOrders']);
    // asking the normal stream from the open order's creation, as one start for every stream did, costs more
    const normalFromOpenOrder = await extractionAlone('normal', openedAt, daily.asked.until);
    expect(normalFromOpenOrder['utaHistoryOrders']).toBeGreaterThan(normalAlone['utaHistoryOrders']!);
    console.log(
      `daily sync: ${NORMAL} ${dailyCounts['utaHistoryOrders']} requests from its watermark ` +
        `(${normalFromOpenOrder['utaHistoryOrders']} from the open order's creation), ` +
        `${PLAN} ${dailyCounts['utaStrategyHistory']} from the open order's creation`,
    );
  });
});
