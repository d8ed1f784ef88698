import type { JsonValue } from './asl';
import { buildExtractionStateMachine, TASK_STATES, type TaskLambdaName } from './extraction';
import {
  bindLocalHandlers,
  immediateRetries,
  localFailure,
  startLocalExecution,
  validateLocalDefinition,
  type LocalTaskHandler,
  type LocalTaskHandlers,
} from './local';

const arn = (name: TaskLambdaName): string =>
  `arn:aws:lambda:eu-west-1:123456789012:function:bitget-orders-${name}`;
const definition = buildExtractionStateMachine({
  functionArns: {
    'time-range-mapper': arn('time-range-mapper'),
    'symbol-searcher': arn('symbol-searcher'),
    'symbol-unifier': arn('symbol-unifier'),
    'symbol-processor': arn('symbol-processor'),
    'result-collector': arn('result-collector'),
  },
});

const INPUT = { runId: 'run-1', request: { markets: ['spot'], kinds: ['normal'], order: 'desc' } };
const RUN_OUTPUT = {
  runId: 'run-1',
  complete: true,
  orders: 42,
  keys: { summary: 'runs/run-1/summary.json' },
};

interface Call {
  fn: TaskLambdaName;
  payload: Record<string, JsonValue>;
}

function namedError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

const LANES = { searchInputs: ['lane-a'], orders: ['lane-b'], fills: ['lane-f'], ledger: ['lane-l'] };
const ALL_LANES = Object.values(LANES).flat();

/** Fake functions: each id needs `passes` invocations before it reports done; every call is logged. */
function fakeFunctions(opts: { needsSymbolSearch?: boolean; passes?: number } = {}) {
  const calls: Call[] = [];
  const passes = opts.passes ?? 3;
  const seen = new Map<string, number>();
  const loop = (idField: 'laneId' | 'windowId') => async (p: Record<string, JsonValue>) => {
    const id = String(p[idField]);
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return { runId: p.runId, [idField]: id, done: n >= passes };
  };
  const impl: Record<TaskLambdaName, (p: Record<string, JsonValue>) => Promise<unknown>> = {
    'time-range-mapper': async (p) => ({
      runId: p.runId,
      laneIds: ALL_LANES,
      lanes: LANES,
      windowIds: ['win-1', 'win-2', 'win-3'],
      needsSymbolSearch: opts.needsSymbolSearch ?? false,
      extra: 'not kept in state',
    }),
    'symbol-processor': loop('laneId'),
    'symbol-searcher': loop('windowId'),
    'symbol-unifier': async () => ({ laneIds: ['sym-lane-1'] }),
    'result-collector': async (p) =>
      'dataset' in p ? { runId: p.runId, dataset: p.dataset, staged: true, records: 1 } : RUN_OUTPUT,
  };
  const handlers = {} as Record<TaskLambdaName, LocalTaskHandler>;
  const overrides: Partial<Record<TaskLambdaName, (p: Record<string, JsonValue>) => Promise<unknown>>> = {};
  for (const fn of Object.keys(impl) as TaskLambdaName[]) {
    handlers[fn] = async (payload) => {
      const p = payload as Record<string, JsonValue>;
      calls.push({ fn, payload: p });
      return (overrides[fn] ?? impl[fn])(p);
    };
  }
  const callsTo = (fn: TaskLambdaName) => calls.filter((c) => c.fn === fn);
  /** The collector's calls that collect the run (not a data set's merge). */
  const collects = () => callsTo('result-collector').filter((c) => !('dataset' in c.payload));
  const merges = () => callsTo('result-collector').filter((c) => 'dataset' in c.payload);
  return { handlers: handlers as LocalTaskHandlers, calls, callsTo, collects, merges, overrides };
}

function run(handlers: LocalTaskHandlers) {
  return startLocalExecution(definition, INPUT, handlers, { retryIntervalOverrides: immediateRetries() })
    .result;
}

describe('validateLocalDefinition', () => {
  it('accepts the extraction definition', () => {
    expect(() => validateLocalDefinition(definition)).not.toThrow();
  });

  it('refuses a definition aws-local-stepfunctions would refuse, before and at every execution start', () => {
    const broken = JSON.parse(JSON.stringify(definition)) as typeof definition;
    (broken as { StartAt: string }).StartAt = 'NoSuchState';
    expect(() => validateLocalDefinition(broken)).toThrow();
    // Not remembered as valid: the next start checks again and refuses it again.
    expect(() => startLocalExecution(broken, INPUT, fakeFunctions().handlers)).toThrow();
  });
});

describe('bindLocalHandlers', () => {
  it('binds every Task state by name and answers as lambda:invoke does', async () => {
    const seen: JsonValue[] = [];
    const handler: LocalTaskHandler = async (payload) => {
      seen.push(payload);
      return { at: new Date(0), skip: undefined };
    };
    const bound = bindLocalHandlers({
      'time-range-mapper': handler,
      'symbol-searcher': handler,
      'symbol-unifier': handler,
      'symbol-processor': handler,
      'result-collector': handler,
    });
    expect(Object.keys(bound).sort()).toEqual(Object.keys(TASK_STATES).sort());
    await expect(bound.PlanRun!({ FunctionName: 'f', Payload: { runId: 'r' } })).resolves.toEqual({
      Payload: { at: '1970-01-01T00:00:00.000Z' },
      StatusCode: 200,
    });
    expect(seen).toEqual([{ runId: 'r' }]);
  });

  it('rethrows a handler error under its name with the Cause AWS reports', async () => {
    const boom: LocalTaskHandler = async () => {
      throw namedError('BitgetFatalError', 'code 40014');
    };
    const bound = bindLocalHandlers({
      'time-range-mapper': boom,
      'symbol-searcher': boom,
      'symbol-unifier': boom,
      'symbol-processor': boom,
      'result-collector': boom,
    });
    await expect(bound.ProcessOrderLane!({ FunctionName: 'f', Payload: {} })).rejects.toMatchObject({
      name: 'BitgetFatalError',
      message: JSON.stringify({ errorType: 'BitgetFatalError', errorMessage: 'code 40014' }),
    });
  });
});

describe('Extraction state machine in aws-local-stepfunctions', () => {
  it('loops each lane until the processor reports done', async () => {
    const f = fakeFunctions({ passes: 3 });
    await run(f.handlers);
    const lanes = f.callsTo('symbol-processor').map((c) => c.payload);
    expect(lanes.filter((p) => p.laneId === 'lane-a')).toEqual(
      Array(3).fill({ runId: 'run-1', laneId: 'lane-a', executionName: 'local' }),
    );
    for (const lane of ALL_LANES) expect(lanes.filter((p) => p.laneId === lane)).toHaveLength(3);
    expect(lanes).toHaveLength(3 * ALL_LANES.length);
  });

  it('sends only references to the functions', async () => {
    const f = fakeFunctions({ needsSymbolSearch: true, passes: 1 });
    await run(f.handlers);
    expect(f.callsTo('time-range-mapper').map((c) => c.payload)).toEqual([
      { ...INPUT, executionName: 'local' },
    ]);
    expect(f.callsTo('symbol-unifier').map((c) => c.payload)).toEqual([{ runId: 'run-1' }]);
    expect(f.collects().map((c) => c.payload)).toEqual([
      { runId: 'run-1', order: 'desc', executionName: 'local' },
    ]);
    expect(
      f
        .merges()
        .map((c) => c.payload.dataset)
        .sort(),
    ).toEqual(['fills', 'ledger', 'orders']);
    for (const m of f.merges())
      expect(m.payload).toEqual({
        runId: 'run-1',
        lanes: LANES,
        executionName: 'local',
        dataset: m.payload.dataset,
      });
  });

  it('skips the symbol search when the plan does not need it', async () => {
    const f = fakeFunctions({ needsSymbolSearch: false });
    await run(f.handlers);
    expect(f.callsTo('symbol-searcher')).toEqual([]);
    expect(f.callsTo('symbol-unifier')).toEqual([]);
    const order = f.calls.map((c) => c.fn);
    expect(order[0]).toBe('time-range-mapper');
    expect(order.filter((fn) => fn === 'symbol-processor')).toHaveLength(3 * ALL_LANES.length);
    expect(f.merges()).toHaveLength(3);
    expect(f.calls.at(-1)).toEqual(f.collects()[0]);
  });

  it('searches every window, unifies, then processes the symbol lanes when the plan needs it', async () => {
    const f = fakeFunctions({ needsSymbolSearch: true, passes: 2 });
    await run(f.handlers);
    const windows = f.callsTo('symbol-searcher').map((c) => c.payload.windowId);
    expect(windows.sort()).toEqual(['win-1', 'win-1', 'win-2', 'win-2', 'win-3', 'win-3']);
    expect(f.callsTo('symbol-unifier')).toHaveLength(1);
    const symbolLanes = f.callsTo('symbol-processor').filter((c) => c.payload.laneId === 'sym-lane-1');
    expect(symbolLanes).toHaveLength(2);
    const order = f.calls.map((c) => c.fn);
    expect(order.lastIndexOf('symbol-searcher')).toBeLessThan(order.indexOf('symbol-unifier'));
    expect(order.indexOf('symbol-unifier')).toBeLessThan(
      f.calls.findIndex((c) => c.payload.laneId === 'sym-lane-1'),
    );
  });

  it('retries a retryable error and then succeeds', async () => {
    const f = fakeFunctions({ passes: 1 });
    let failures = 0;
    f.overrides['symbol-processor'] = async (p) => {
      if (p.laneId === 'lane-a' && failures < 2) {
        failures += 1;
        throw namedError('StorageTransientError', 'SlowDown');
      }
      return { runId: p.runId, laneId: p.laneId, done: true };
    };
    await expect(run(f.handlers)).resolves.toEqual(RUN_OUTPUT);
    expect(failures).toBe(2);
    expect(f.callsTo('symbol-processor').filter((c) => c.payload.laneId === 'lane-a')).toHaveLength(3);
    expect(f.collects()).toHaveLength(1);
  });

  it('hands a fatal lane error to the collector and fails with ExtractionIncomplete', async () => {
    const f = fakeFunctions();
    f.overrides['symbol-processor'] = async (p) => {
      if (p.laneId === 'lane-b') throw namedError('BitgetAuthError', 'code 40037: apikey does not exist');
      return { runId: p.runId, laneId: p.laneId, done: true };
    };
    const outcome = await run(f.handlers).then(
      () => null,
      (err: unknown) => localFailure(err),
    );
    const cause = JSON.stringify({
      errorType: 'BitgetAuthError',
      errorMessage: 'code 40037: apikey does not exist',
    });
    expect(outcome).toEqual({ error: 'ExtractionIncomplete', cause });
    expect(f.callsTo('symbol-processor').filter((c) => c.payload.laneId === 'lane-b')).toHaveLength(1);
    expect(f.merges().map((c) => c.payload.dataset)).not.toContain('orders');
    expect(f.collects().map((c) => c.payload)).toEqual([
      {
        runId: 'run-1',
        order: 'desc',
        failure: { Error: 'BitgetAuthError', Cause: cause },
        executionName: 'local',
      },
    ]);
  });

  it('still fails with ExtractionIncomplete when the failure collector fails too', async () => {
    const f = fakeFunctions();
    f.overrides['time-range-mapper'] = async () => {
      throw namedError('PlanError', 'bad range');
    };
    f.overrides['result-collector'] = async () => {
      throw namedError('CollectorError', 'no bucket');
    };
    const outcome = await run(f.handlers).then(
      () => null,
      (err: unknown) => localFailure(err),
    );
    expect(outcome?.error).toBe('ExtractionIncomplete');
    expect(outcome?.cause).toContain('PlanError');
    expect(f.callsTo('result-collector')).toHaveLength(1);
  });

  it('fails the lane rather than looping when the processor answers without done', async () => {
    const f = fakeFunctions();
    f.overrides['symbol-processor'] = async (p) => ({ runId: p.runId, laneId: p.laneId });
    const outcome = await run(f.handlers).then(
      () => null,
      (err: unknown) => localFailure(err),
    );
    expect(outcome).toEqual({
      error: 'ExtractionIncomplete',
      cause: 'symbol-processor returned no boolean "done"',
    });
    // No lane is invoked again after an answer without done.
    const perLane = f.callsTo('symbol-processor').map((c) => c.payload.laneId);
    expect(new Set(perLane).size).toBe(perLane.length);
    expect(f.collects().map((c) => c.payload.failure)).toEqual([
      { Error: 'InvalidFunctionResult', Cause: 'symbol-processor returned no boolean "done"' },
    ]);
  });

  it('searches as soon as the search input lanes end, and merges a data set as soon as its own lanes end', async () => {
    const f = fakeFunctions({ needsSymbolSearch: true, passes: 1 });
    // The ledger lane keeps going until the search, the unifier and the fills' merge have all been seen, or gives
    // up after many passes: with the branches run one after another, those would come only after it.
    const wanted = () =>
      f.callsTo('symbol-unifier').length > 0 &&
      f.merges().some((c) => c.payload.dataset === 'fills') &&
      f.merges().some((c) => c.payload.dataset === 'orders');
    let ledgerPasses = 0;
    f.overrides['symbol-processor'] = async (p) => {
      if (p.laneId !== 'lane-l') return { runId: p.runId, laneId: p.laneId, done: true };
      ledgerPasses += 1;
      return { runId: p.runId, laneId: p.laneId, done: wanted() || ledgerPasses >= 200 };
    };
    await expect(run(f.handlers)).resolves.toEqual(RUN_OUTPUT);
    expect(ledgerPasses).toBeLessThan(200);
    const order = f.calls.map((c) => c);
    const lastLedgerPass = order.findLastIndex((c) => c.payload.laneId === 'lane-l');
    expect(order.findIndex((c) => c.fn === 'symbol-searcher')).toBeLessThan(lastLedgerPass);
    expect(order.findIndex((c) => c.payload.dataset === 'fills')).toBeLessThan(lastLedgerPass);
    // Orders merge only after the found symbols' lane, the ledger after its lane, the run after every merge.
    expect(order.findIndex((c) => c.payload.dataset === 'orders')).toBeGreaterThan(
      order.findLastIndex((c) => c.payload.laneId === 'sym-lane-1'),
    );
    expect(order.findIndex((c) => c.payload.dataset === 'ledger')).toBeGreaterThan(lastLedgerPass);
    expect(order.indexOf(f.collects()[0]!)).toBe(order.length - 1);
  });

  it('searches only once the search input lanes are done, beside the other order lanes', async () => {
    const f = fakeFunctions({ needsSymbolSearch: true, passes: 3 });
    await run(f.handlers);
    const order = f.calls;
    const lastInputPass = order.findLastIndex((c) => c.payload.laneId === 'lane-a');
    expect(order.findIndex((c) => c.fn === 'symbol-searcher')).toBeGreaterThan(lastInputPass);
  });

  it('outputs exactly what the collector returned', async () => {
    const f = fakeFunctions({ needsSymbolSearch: true });
    await expect(run(f.handlers)).resolves.toEqual(RUN_OUTPUT);
  });
});
