import { newCursor } from '../../src/extraction/cursor';
import { ExtractionFatalError } from '../../src/extraction/errors';
import { newLane } from '../../src/extraction/plan';
import { RunRepository } from '../../src/extraction/RunRepository';
import { buildSummary } from '../../src/extraction/runSummary';
import type { RunPlan } from '../../src/extraction/runState';
import { StorageCorruptError } from '../../src/storage';
import { startTestStore } from '../helpers/localStore';

const plan = (runId: string): RunPlan => ({
  runId,
  createdAt: 1,
  request: { markets: ['spot'], kinds: ['normal'], order: 'asc' },
  mode: 'classic',
  requested: { since: null, until: null },
  served: { since: 0, until: 10 },
  notes: [],
  laneIds: ['spot-history'],
  searchWindows: [],
  needsSymbolSearch: false,
  listedSpotSymbols: [],
  stages: { plan: { startedAt: 1, finishedAt: 2 } },
});

describe('RunRepository, against a real S3 protocol server', () => {
  let env: Awaited<ReturnType<typeof startTestStore>>;
  beforeAll(async () => {
    env = await startTestStore('run-repository');
  });
  afterAll(async () => env.close());

  it('keeps a run’s plan, lanes and symbol plan under runs/<runId>/, and answers null before they exist', async () => {
    const run = new RunRepository(env.store, 'kept');
    await expect(run.getPlan()).resolves.toBeNull();
    await expect(run.getLane('spot-history')).resolves.toBeNull();
    await expect(run.laneExists('spot-history')).resolves.toBe(false);
    await expect(run.getSymbolPlan()).resolves.toBeNull();
    await expect(run.symbolPlanExists()).resolves.toBe(false);

    const lane = newLane('kept', 'spot-history', 'spotHistoryOrders');
    lane.cursors.push(newCursor(lane, { endpoint: 'spotHistoryOrders', tpslType: 'normal' }, 0, 10));
    await run.saveLane(lane);
    await run.savePlan(plan('kept'));
    await run.saveSymbolPlan({ laneIds: [], symbols: [], createdAt: 3 });

    await expect(run.loadPlan()).resolves.toEqual(plan('kept'));
    await expect(run.loadLane('spot-history')).resolves.toEqual(lane);
    await expect(run.laneExists('spot-history')).resolves.toBe(true);
    await expect(run.listLanes()).resolves.toEqual([lane]);
    await expect(run.getSymbolPlan()).resolves.toEqual({ laneIds: [], symbols: [], createdAt: 3 });
    expect((await env.store.list('runs/kept/')).sort()).toEqual([
      'runs/kept/lanes/spot-history.json',
      'runs/kept/plan.json',
      'runs/kept/symbol-plan.json',
    ]);
  });

  it('refuses, as a fatal extraction error, a stage that needs a plan or a lane that was never saved', async () => {
    const run = new RunRepository(env.store, 'never-planned');
    await expect(run.loadPlan()).rejects.toThrow(
      new ExtractionFatalError('run never-planned has no plan', {
        category: 'unknown',
        message: 'missing plan',
      }),
    );
    await expect(run.loadLane('spot-plan')).rejects.toThrow(
      'lane spot-plan of run never-planned has no saved state',
    );
  });

  it('writes each part under its lane with a unique name, and lists every part of the run', async () => {
    const run = new RunRepository(env.store, 'parted');
    await run.putPart('spot-history', 0, '{"a":1}\n');
    await run.putPart('spot-history', 0, '{"a":1}\n');
    await run.putPart('futures-history', 3, '{"b":2}\n');
    const parts = await run.listParts();
    expect(parts).toHaveLength(3);
    expect(
      parts.filter((k) => /^runs\/parted\/parts\/spot-history\/000000-[0-9a-f]{8}\.ndjson$/.test(k)),
    ).toHaveLength(2);
    expect(
      parts.filter((k) => /^runs\/parted\/parts\/futures-history\/000003-[0-9a-f]{8}\.ndjson$/.test(k)),
    ).toHaveLength(1);
    expect(run.mergedKey(1, 7)).toBe('runs/parted/merged/1/00007.ndjson');
  });

  it('round-trips the summary under results/<runId>/ and marks the latest complete run', async () => {
    const run = new RunRepository(env.store, 'summed');
    await expect(run.getSummary()).resolves.toBeNull();
    const summary = buildSummary({
      plan: plan('summed'),
      lanes: [],
      order: 'asc',
      collectStartedAt: 5,
      now: 9,
      merged: null,
      failure: { error: 'States.Timeout', cause: 'slow' },
      missing: [],
    });
    await run.saveSummary(summary);
    await expect(run.getSummary()).resolves.toEqual(summary);
    expect(run.results.summary).toBe('results/summed/summary.json');
    await run.saveLatest(12, 99);
    expect(JSON.parse((await env.store.getText('results/latest.json'))!)).toEqual({
      runId: 'summed',
      ordersJsonl: 'results/summed/orders.jsonl',
      ordersJson: 'results/summed/orders.json',
      summary: 'results/summed/summary.json',
      report: 'results/summed/report.html',
      orders: 12,
      at: 99,
    });
  });

  it('rejects a record of another shape, naming the object', async () => {
    await env.store.putJson('results/odd/summary.json', { runId: 'odd' });
    await expect(new RunRepository(env.store, 'odd').getSummary()).rejects.toThrow(StorageCorruptError);
    await expect(new RunRepository(env.store, 'odd').getSummary()).rejects.toThrow(
      's3://run-repository/results/odd/summary.json has an unexpected shape',
    );
  });

  it('reads a lane saved before `oldestCTime` was named so (as `lastCTime`)', async () => {
    const lane = newLane('legacy', 'spot-history', 'spotHistoryOrders');
    const cursor = newCursor(lane, { endpoint: 'spotHistoryOrders', tpslType: 'normal' }, 0, 10);
    lane.cursors.push({ ...cursor, oldestCTime: 7 });
    const saved = JSON.stringify(lane).replace('"oldestCTime":7', '"lastCTime":7');
    await env.store.putText('runs/legacy/lanes/spot-history.json', saved, 'application/json');
    const read = await new RunRepository(env.store, 'legacy').loadLane('spot-history');
    expect(read.cursors[0]).toEqual({ ...cursor, oldestCTime: 7 });
    expect(read.cursors[0]).not.toHaveProperty('lastCTime');
  });
});
