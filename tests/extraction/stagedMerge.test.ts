import { collectRun } from '../../src/extraction/collector';
import { newLane } from '../../src/extraction/plan';
import { RunRepository } from '../../src/extraction/RunRepository';
import type { LaneState, RunPlan } from '../../src/extraction/runState';
import { stageDatasetMerge } from '../../src/extraction/stagedMerge';
import { ExtractionIncompleteError } from '../../src/extraction/errors';
import { resultKeys, runKeys } from '../../src/storage/keys';
import { accountingInOneReading } from '../helpers/accounting';
import { aFill, aLedgerEntry, anOrder, T0 } from '../helpers/canonicalRecords';
import { startTestStore } from '../helpers/localStore';

const order = (orderId: string, cTime: number) =>
  JSON.stringify({
    orderId,
    market: 'spot',
    kind: 'normal',
    symbol: 'BTCUSDT',
    cTime,
    uTime: cTime,
    raw: {},
  });
const fill = (tradeId: string, cTime: number) =>
  JSON.stringify({ tradeId, orderId: 'o', market: 'spot', symbol: 'BTCUSDT', cTime, raw: {} });

function planOf(runId: string, datasets: RunPlan['request']['datasets'], laneIds: string[]): RunPlan {
  return {
    runId,
    createdAt: 1,
    request: { markets: ['spot'], kinds: ['normal'], order: 'asc', datasets },
    mode: 'classic',
    requested: { since: null, until: null },
    served: { since: 0, until: 100 },
    notes: [],
    laneIds,
    searchWindows: [],
    needsSymbolSearch: false,
    listedSpotSymbols: [],
    stages: { plan: { startedAt: 1, finishedAt: 2 } },
  };
}

const NONE = { searchInputs: [], orders: [], fills: [], ledger: [] };
/** The state machine's lane groups of the orders-and-fills runs (spot history is a search input). */
const GROUPS = { ...NONE, searchInputs: ['spot-history'], fills: ['spot-fills'] };

const ENDPOINT = { orders: 'spotHistoryOrders', fills: 'spotFills', ledger: 'spotBills' } as const;

function lane(
  runId: string,
  laneId: string,
  dataset: 'orders' | 'fills' | 'ledger',
  done: boolean,
): LaneState {
  const l = newLane(runId, laneId, ENDPOINT[dataset]);
  return { ...l, ...(dataset !== 'orders' ? { dataset } : {}), done, startedAt: 1, finishedAt: 2 };
}

describe('a data set merged ahead of the collector (stagedMerge)', () => {
  let env: Awaited<ReturnType<typeof startTestStore>>;
  beforeAll(async () => {
    env = await startTestStore('staged-merge');
  });
  afterAll(async () => env.close());

  /** A run of orders and fills; the fills lane finished or not. */
  async function setUp(runId: string, fillsDone: boolean) {
    const run = new RunRepository(env.store, runId);
    await run.saveLane(lane(runId, 'spot-history', 'orders', true));
    await run.saveLane(lane(runId, 'spot-fills', 'fills', fillsDone));
    await run.savePlan(planOf(runId, ['orders', 'fills'], ['spot-history', 'spot-fills']));
    await run.putPart('spot-history', 0, [order('3', 30), order('5', 50)].join('\n') + '\n');
    // The same order fetched twice (a restart): kept once.
    await run.putPart('spot-history', 1, [order('1', 10), order('3', 30)].join('\n') + '\n');
    await run.putPart('spot-fills', 0, [fill('t2', 20), fill('t4', 40)].join('\n') + '\n');
    return run;
  }

  const lines = async (key: string) => (await env.store.getText(key))!.trim().split('\n');

  it('stages each data set under runs/, and only the complete run publishes them under results/', async () => {
    const run = await setUp('both', true);
    await expect(
      stageDatasetMerge({ store: env.store }, { runId: 'both', dataset: 'orders', lanes: GROUPS }),
    ).resolves.toEqual({ runId: 'both', dataset: 'orders', staged: true, records: 3 });
    await expect(
      stageDatasetMerge({ store: env.store }, { runId: 'both', dataset: 'fills', lanes: GROUPS }),
    ).resolves.toEqual({
      runId: 'both',
      dataset: 'fills',
      staged: true,
      records: 2,
    });
    expect(await env.store.exists(resultKeys('both').ordersJsonl)).toBe(false);
    // A resumed run (or a retried Task) keeps what is staged while the parts are the same.
    const staged = await run.getStagedMerge('orders');
    await expect(
      stageDatasetMerge(
        { store: env.store, now: () => 0 },
        { runId: 'both', dataset: 'orders', lanes: GROUPS },
      ),
    ).resolves.toMatchObject({ staged: true, records: 3 });
    expect(await run.getStagedMerge('orders')).toEqual(staged);
    expect(await lines(run.stagedKeys('orders').jsonl)).toEqual([
      order('1', 10),
      order('3', 30),
      order('5', 50),
    ]);

    // Published as staged, not merged again: a part rewritten in place (same key) after staging is not read.
    const [firstPart] = await env.store.list('runs/both/parts/spot-history/');
    await env.store.putText(firstPart!, order('9', 90) + '\n');
    const output = await collectRun({ store: env.store }, { runId: 'both' });
    expect(output).toMatchObject({ complete: true, orders: 3 });
    expect(await lines(resultKeys('both').ordersJsonl)).toEqual([
      order('1', 10),
      order('3', 30),
      order('5', 50),
    ]);
    expect(JSON.parse((await env.store.getText(resultKeys('both').ordersJson))!)).toEqual({
      orders: [10, 30, 50].map((t, i) => JSON.parse(order(['1', '3', '5'][i]!, t))),
    });
    expect(await lines(resultKeys('both').fillsJsonl)).toEqual([fill('t2', 20), fill('t4', 40)]);
    const summary = (await run.getSummary())!;
    expect(summary).toMatchObject({ complete: true, orders: 3, duplicatesDropped: 1, parts: 2 });
    expect(summary.datasets.fills).toMatchObject({ records: 2, firstTime: 20, lastTime: 40, parts: 1 });
  });

  it('merges again, rather than publish, a staged data set whose parts have changed since', async () => {
    const run = await setUp('changed', true);
    await stageDatasetMerge({ store: env.store }, { runId: 'changed', dataset: 'orders', lanes: GROUPS });
    await run.putPart('spot-history', 2, order('7', 70) + '\n');
    await expect(collectRun({ store: env.store }, { runId: 'changed' })).resolves.toMatchObject({
      complete: true,
      orders: 4,
    });
    expect((await lines(resultKeys('changed').ordersJsonl)).map((l) => JSON.parse(l).orderId)).toEqual([
      '1',
      '3',
      '5',
      '7',
    ]);
  });

  it('leaves an unfinished data set alone, and a failed run leaves no result though a data set was staged', async () => {
    await setUp('failing', false);
    await expect(
      stageDatasetMerge({ store: env.store }, { runId: 'failing', dataset: 'fills', lanes: GROUPS }),
    ).resolves.toEqual({
      runId: 'failing',
      dataset: 'fills',
      staged: false,
      reason: 'incomplete',
      records: 0,
    });
    await expect(
      stageDatasetMerge({ store: env.store }, { runId: 'failing', dataset: 'orders', lanes: GROUPS }),
    ).resolves.toMatchObject({ staged: true });
    await expect(collectRun({ store: env.store }, { runId: 'failing' })).rejects.toThrow(
      ExtractionIncompleteError,
    );
    const failed = await collectRun(
      { store: env.store },
      { runId: 'failing', failure: { Error: 'BitgetAuthError', Cause: 'code 40037' } },
    );
    expect(failed).toMatchObject({ complete: false, orders: 0 });
    expect(await env.store.list('results/failing/')).toEqual(['results/failing/summary.json']);
  });

  const LANES_OF_THREE = { ...NONE, orders: ['spot-history'], fills: ['spot-fills'], ledger: ['spot-bills'] };
  const ndjson = (rs: object[]) => rs.map((r) => JSON.stringify(r)).join('\n') + '\n';

  /** A run of the three data sets, every lane done, one part each (records chosen to disagree somewhere). */
  async function setUpThree(runId: string) {
    const run = new RunRepository(env.store, runId);
    const raw = { note: 'a "raw" field,"raw": inside a string', nested: { raw: 1 } };
    const orders = [
      anOrder({ orderId: '1', cTime: T0, raw }),
      anOrder({ orderId: '2', cTime: T0 + 1, baseVolume: '0.02', raw }),
    ];
    const fills = [
      aFill({ tradeId: 't1', orderId: '1', cTime: T0 + 5 }),
      aFill({ tradeId: 't2', orderId: '9', cTime: T0 + 6 }),
    ];
    const ledger = [
      aLedgerEntry({ billId: 'b1', type: 'fee', cTime: T0 + 5, raw }),
      aLedgerEntry({ billId: 'b2', type: 'funding', amount: '-1.5', cTime: T0 + 7, raw }),
    ];
    await run.saveLane(lane(runId, 'spot-history', 'orders', true));
    await run.saveLane(lane(runId, 'spot-fills', 'fills', true));
    await run.saveLane(lane(runId, 'spot-bills', 'ledger', true));
    await run.savePlan(
      planOf(runId, ['orders', 'fills', 'ledger'], ['spot-history', 'spot-fills', 'spot-bills']),
    );
    await run.putPart('spot-history', 0, ndjson(orders));
    await run.putPart('spot-fills', 0, ndjson(fills));
    await run.putPart('spot-bills', 0, ndjson(ledger));
    const stage = (dataset: 'orders' | 'fills' | 'ledger') =>
      stageDatasetMerge({ store: env.store }, { runId, dataset, lanes: LANES_OF_THREE });
    return { run, orders, fills, ledger, stage };
  }

  it('gives the accounting of the whole records, the data sets published from their staged files', async () => {
    const runId = 'accounting';
    const { run, orders, fills, ledger, stage } = await setUpThree(runId);
    // The orders first: their accounting waits for the fills, whose branch then does it, ahead of the ledger.
    await expect(stage('orders')).resolves.toMatchObject({ staged: true, accountingAhead: 'waiting' });
    await expect(stage('fills')).resolves.toMatchObject({ staged: true, accountingAhead: 'saved' });
    await expect(stage('fills')).resolves.toMatchObject({ staged: true, accountingAhead: 'kept' });
    await expect(stage('ledger')).resolves.toEqual({ runId, dataset: 'ledger', staged: true, records: 2 });

    await expect(collectRun({ store: env.store }, { runId })).resolves.toMatchObject({
      complete: true,
      orders: 2,
    });
    const expected = await accountingInOneReading(orders, fills, ledger);
    expect(expected.reconciliation.discrepancies).toBeGreaterThan(0);
    expect((await run.getSummary())!.accounting).toEqual(expected);
    expect(await lines(resultKeys(runId).ledgerJsonl)).toEqual(ledger.map((e) => JSON.stringify(e)));
  });

  /** Markers no fill could produce, written into what was saved ahead: they show which part was used. */
  const AHEAD = { AHEAD: '1' };
  const WHOLE = { WHOLE: '2' };
  const mark = async (run: RunRepository) => {
    const saved = (await run.getStagedAccounting())!;
    saved.accounting.totals.feesPaid = AHEAD;
    if (saved.withLedger) saved.withLedger.summary.totals.feesPaid = WHOLE;
    await run.saveStagedAccounting(saved);
  };

  it('takes the whole accounting from the ledger merge that fed it, and only the ledger after one that could not', async () => {
    const fed = await setUpThree('ahead-whole');
    for (const dataset of ['fills', 'orders'] as const) await fed.stage(dataset);
    await fed.stage('ledger');
    expect((await fed.run.getStagedAccounting())!.withLedger).toBeDefined();
    await mark(fed.run);
    await collectRun({ store: env.store }, { runId: 'ahead-whole' });
    expect((await fed.run.getSummary())!.accounting!.totals.feesPaid).toEqual(WHOLE);

    // The ledger staged first: nothing to feed yet, so the collector reads the ledger onto what was saved ahead.
    const first = await setUpThree('ahead-ledger-first');
    for (const dataset of ['ledger', 'fills', 'orders'] as const) await first.stage(dataset);
    expect((await first.run.getStagedAccounting())!.withLedger).toBeUndefined();
    await mark(first.run);
    await collectRun({ store: env.store }, { runId: 'ahead-ledger-first' });
    const summary = (await first.run.getSummary())!.accounting!;
    expect(summary.totals.feesPaid).toEqual(AHEAD);
    const expected = await accountingInOneReading(first.orders, first.fills, first.ledger);
    expect(summary.reconciliation).toEqual(expected.reconciliation);
    expect(summary.totals.funding).toEqual(expected.totals.funding);
  });

  it('ignores an accounting saved ahead from other parts than those published', async () => {
    // An order part written after the staging (a resumed lane): the orders are merged again, and so is the
    // accounting, from the result files.
    const stale = await setUpThree('ahead-stale');
    for (const dataset of ['fills', 'orders', 'ledger'] as const) await stale.stage(dataset);
    await mark(stale.run);
    const late = anOrder({ orderId: '3', cTime: T0 + 9 });
    await stale.run.putPart('spot-history', 1, ndjson([late]));
    await expect(collectRun({ store: env.store }, { runId: 'ahead-stale' })).resolves.toMatchObject({
      orders: 3,
    });
    const expected = await accountingInOneReading([...stale.orders, late], stale.fills, stale.ledger);
    expect((await stale.run.getSummary())!.accounting).toEqual(expected);
  });

  it('reads the files again when the accounting saved ahead cannot be read (torn while being replaced)', async () => {
    const torn = await setUpThree('ahead-torn');
    for (const dataset of ['fills', 'orders', 'ledger'] as const) await torn.stage(dataset);
    await env.store.putText(runKeys('ahead-torn').stagedAccounting, '{"orders":["runs/ahead-torn/par');
    await expect(collectRun({ store: env.store }, { runId: 'ahead-torn' })).resolves.toMatchObject({
      complete: true,
    });
    const expected = await accountingInOneReading(torn.orders, torn.fills, torn.ledger);
    expect((await torn.run.getSummary())!.accounting).toEqual(expected);
  });

  it('does not stage a run of one data set: the collector writes its result once', async () => {
    const run = new RunRepository(env.store, 'single');
    await run.saveLane(lane('single', 'spot-history', 'orders', true));
    await run.savePlan(planOf('single', ['orders'], ['spot-history']));
    await expect(
      stageDatasetMerge(
        { store: env.store },
        { runId: 'single', dataset: 'orders', lanes: { ...NONE, orders: ['spot-history'] } },
      ),
    ).resolves.toEqual({
      runId: 'single',
      dataset: 'orders',
      staged: false,
      reason: 'single-dataset',
      records: 0,
    });
    await expect(
      stageDatasetMerge(
        { store: env.store },
        { runId: 'single', dataset: 'ledger', lanes: { ...NONE, orders: ['spot-history'] } },
      ),
    ).resolves.toEqual({
      runId: 'single',
      dataset: 'ledger',
      staged: false,
      reason: 'not-requested',
      records: 0,
    });
    expect(await env.store.list('runs/single/staged/')).toEqual([]);
  });
});
