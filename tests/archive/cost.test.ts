/**
 * The cost of a sync, in requests the exchange answered (the simulator's counts): a second sync in a row asks
 * less than a full extraction of the same account, which asks what Bitget serves once.
 */
import { parseExtractionRequest } from '../../src/core/request';
import { newRunId } from '../../src/core/engine';
import { archiveEnv, DAY, type ArchiveEnv } from './support';

jest.setTimeout(240_000);

const served = (env: ArchiveEnv): Record<string, number> =>
  ({ ...env.sim.stats().served }) as Record<string, number>;
const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
const diff = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
      .filter(([, v]) => v > 0),
  );

const ORDERS_ONLY = { datasets: ['orders'] } as const;

describe('the cost of a sync', () => {
  let env: ArchiveEnv;
  beforeAll(async () => {
    env = await archiveEnv({ seed: 5, orders: 40, symbols: 3, days: 60, clockDaysAgo: 0 });
  });
  afterAll(() => env.close());

  it('asks fewer requests in a second sync in a row than a full extraction of the same account', async () => {
    const s0 = served(env);
    const started = await env.stack.engine.start(
      parseExtractionRequest({ order: 'asc', datasets: ['orders'] }),
      newRunId(),
    );
    const execution = await env.stack.engine.wait(started.executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    const s1 = served(env);
    const extraction = diff(s1, s0);

    const first = await env.sync(undefined, ORDERS_ONLY);
    expect(first.nothingNew).toBe(false);
    const s2 = served(env);
    const second = await env.sync(undefined, ORDERS_ONLY);
    expect(second.nothingNew).toBe(true);
    const s3 = served(env);
    const firstSync = diff(s2, s1);
    const secondSync = diff(s3, s2);
    // the first sync asks what an extraction asks, and the open-order endpoints besides
    expect(total(firstSync)).toBeGreaterThanOrEqual(total(extraction));
    // the second asks no open-order endpoint again: nothing was open, and they were asked a moment ago
    for (const endpoint of [
      'spotUnfilledOrders',
      'spotCurrentPlanOrders',
      'futuresPendingOrders',
      'futuresPlanPending',
    ])
      expect([endpoint, secondSync[endpoint] ?? 0]).toEqual([
        endpoint,
        first.openOrders === 0 ? 0 : expect.any(Number),
      ]);
    expect(total(secondSync)).toBeLessThan(total(extraction));
  });

  it('reaches back as far as the tax records go the first time fills and the ledger are synced, then asks spot and futures tax records no more while the bills cover their time', async () => {
    const s0 = served(env);
    const first = await env.sync();
    const s1 = served(env);
    const second = await env.sync();
    const s2 = served(env);
    const firstSync = diff(s1, s0);
    const secondSync = diff(s2, s1);
    // the v2 tax records reach 730 days back (the planner starts a margin inside)
    const now = env.sim.clock.now();
    expect(first.datasets.ledger!.taxSince).toBeGreaterThan(now - 731 * DAY);
    expect(first.datasets.ledger!.taxSince).toBeLessThan(now - 729 * DAY);
    for (const endpoint of ['taxSpotRecords', 'taxFutureRecords', 'taxMarginRecords', 'taxP2pRecords'])
      expect([endpoint, (firstSync[endpoint] ?? 0) > 0]).toEqual([endpoint, true]);
    expect(first.datasets.fills!.added).toBeGreaterThan(0);
    expect(first.datasets.ledger!.added).toBeGreaterThan(0);
    // the second: the bills hold the spot and futures entries since the first; margin and P2P have no bills
    expect([secondSync['taxSpotRecords'] ?? 0, secondSync['taxFutureRecords'] ?? 0]).toEqual([0, 0]);
    expect((secondSync['taxMarginRecords'] ?? 0) + (secondSync['taxP2pRecords'] ?? 0)).toBeGreaterThan(0);
    expect(second.nothingNew).toBe(true);
    expect([second.datasets.fills!.added, second.datasets.ledger!.added]).toEqual([0, 0]);

    // a full extraction of all three data sets, as far back as the tax records go, asks more
    const started = await env.stack.engine.start(
      parseExtractionRequest({ order: 'asc', since: now - 730 * DAY }),
      newRunId(),
    );
    expect((await env.stack.engine.wait(started.executionArn)).status).toBe('SUCCEEDED');
    const extraction = diff(served(env), s2);
    expect(total(secondSync)).toBeLessThan(total(extraction));
  });

  it('asks the server time, the account mode and the spot symbols once per sync, not again in its run', async () => {
    // a classic account: the mode's endpoint answers 40084, a refusal the simulator counts apart
    const modeAsked = (): number =>
      Object.values(env.sim.stats().refused['utaSettings'] ?? {}).reduce((a, b) => a + (b ?? 0), 0);
    const before = served(env);
    const modeBefore = modeAsked();
    await env.sync();
    const sync = diff(served(env), before);
    expect([sync['publicTime'], modeAsked() - modeBefore, sync['spotSymbols']]).toEqual([1, 1, 1]);
  });
});
