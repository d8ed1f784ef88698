import {
  allStates,
  checkGraph,
  LAMBDA_INVOKE_RESOURCE,
  validateAsl,
  type MapState,
  type ParallelState,
  type TaskState,
} from './asl';
import {
  buildExtractionStateMachine,
  extractionDefinitionJson,
  LAMBDA_NAMES,
  LAMBDA_SERVICE_ERROR_NAMES,
  RETRYABLE_ERROR_NAMES,
  TASK_STATES,
  type TaskLambdaName,
  DEFAULT_MAP_CONCURRENCY,
} from './extraction';

const arn = (name: TaskLambdaName): string =>
  `arn:aws:lambda:eu-west-1:123456789012:function:bitget-orders-${name}`;
const functionArns: Record<TaskLambdaName, string> = {
  'time-range-mapper': arn('time-range-mapper'),
  'symbol-searcher': arn('symbol-searcher'),
  'symbol-unifier': arn('symbol-unifier'),
  'symbol-processor': arn('symbol-processor'),
  'result-collector': arn('result-collector'),
};
const definition = buildExtractionStateMachine({ functionArns });
const states = allStates(definition);
const tasks = states.filter((entry): entry is [string, TaskState] => entry[1].Type === 'Task');
const TOP_LEVEL_STEPS = ['PlanRun', 'ExtractDatasets', 'CollectResults'];
const LANE_MAPS = [
  'ProcessSearchInputLanes',
  'ProcessOrderLanes',
  'ProcessSymbolLanes',
  'ProcessFillLanes',
  'ProcessLedgerLanes',
];
const stateNamed = (def: typeof definition, name: string) => allStates(def).find(([n]) => n === name)?.[1];

describe('Extraction state machine definition', () => {
  it('passes asl-validator', () => {
    expect(validateAsl(definition)).toEqual([]);
  });

  it('has a sound graph with names unique across the whole machine', () => {
    expect(checkGraph(definition)).toEqual([]);
    const names = states.map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('invokes through lambda:invoke only the given function ARNs', () => {
    expect(tasks.length).toBeGreaterThan(0);
    for (const [, task] of tasks) expect(task.Resource).toBe(LAMBDA_INVOKE_RESOURCE);
    const used = new Set(tasks.map(([, task]) => task.Parameters?.FunctionName));
    expect(used).toEqual(new Set(Object.values(functionArns)));
    expect(
      JSON.stringify(definition)
        .match(/arn:aws:lambda:[^"]+/g)
        ?.every((a) => used.has(a)),
    ).toBe(true);
  });

  it('maps every Task state in TASK_STATES to the function it invokes', () => {
    expect(new Set(tasks.map(([name]) => name))).toEqual(new Set(Object.keys(TASK_STATES)));
    for (const [name, task] of tasks) {
      const fn = TASK_STATES[name];
      expect(fn).toBeDefined();
      expect(task.Parameters?.FunctionName).toBe(functionArns[fn!]);
    }
    expect(Object.values(TASK_STATES).every((fn) => (LAMBDA_NAMES as readonly string[]).includes(fn))).toBe(
      true,
    );
  });

  it('leaves the exchange errors the client has already retried to the client (one layer of retries)', () => {
    for (const [, task] of tasks) {
      const covered = (task.Retry ?? []).flatMap((r) => r.ErrorEquals);
      expect(covered).not.toContain('BitgetRetryableError');
      expect(covered).not.toContain('States.ALL');
    }
  });

  it('retries every Task on Lambda service and product errors with capped, jittered exponential backoff', () => {
    expect(RETRYABLE_ERROR_NAMES).toEqual(
      expect.arrayContaining([
        'StorageTransientError',
        'Sandbox.Timedout',
        'Lambda.Unknown',
        'States.Timeout',
      ]),
    );
    for (const [name, task] of tasks) {
      const retry = task.Retry ?? [];
      const covered = retry.flatMap((r) => r.ErrorEquals);
      expect({ name, covered }).toEqual({
        name,
        covered: expect.arrayContaining([...LAMBDA_SERVICE_ERROR_NAMES, ...RETRYABLE_ERROR_NAMES]),
      });
      for (const r of retry) {
        expect(r).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
        expect(r.MaxDelaySeconds).toBeGreaterThan(0);
        expect(r.MaxAttempts).toBeGreaterThan(1);
      }
      expect(task.TimeoutSeconds).toBeGreaterThanOrEqual(900);
    }
  });

  it('catches every top-level step into CollectAfterFailure at $.failure', () => {
    for (const step of TOP_LEVEL_STEPS) {
      const state = definition.States[step];
      expect(state && 'Catch' in state ? state.Catch : undefined).toEqual([
        { ErrorEquals: ['States.ALL'], Next: 'CollectAfterFailure', ResultPath: '$.failure' },
      ]);
    }
    const after = definition.States.CollectAfterFailure as TaskState;
    expect(after.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], Next: 'ExtractionFailed', ResultPath: '$.collectorFailure' },
    ]);
    expect(after.Next).toBe('ExtractionFailed');
    expect(definition.States.ExtractionFailed).toEqual({
      Type: 'Fail',
      Error: 'ExtractionIncomplete',
      CausePath: '$.failure.Cause',
    });
  });

  it('keeps state small: references in, Map and Parallel outputs dropped', () => {
    for (const name of [...LANE_MAPS, 'SearchSymbols']) {
      const map = stateNamed(definition, name) as MapState;
      expect(map.ResultPath).toBeNull();
      expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'INLINE' });
    }
    for (const [, state] of states) if (state.Type === 'Parallel') expect(state.ResultPath).toBeNull();
    // What is sent to Step Functions (the pretty copy is about twice as long).
    expect(Buffer.byteLength(JSON.stringify(definition))).toBeLessThan(24 * 1024);
  });

  it('runs each data set in a branch of its own that merges it once its lanes (and the search) are done', () => {
    const top = definition.States.ExtractDatasets as ParallelState;
    expect(top.Type).toBe('Parallel');
    expect(top.Next).toBe('CollectResults');
    const [orders, fills, ledger] = top.Branches;
    expect(Object.keys(orders!.States)).toEqual(['OrderLanes', 'MergeOrders']);
    expect((orders!.States.OrderLanes as ParallelState).Next).toBe('MergeOrders');
    const [search, others] = (orders!.States.OrderLanes as ParallelState).Branches;
    expect(search!.StartAt).toBe('ProcessSearchInputLanes');
    expect((search!.States.ProcessSearchInputLanes as MapState).ItemsPath).toBe('$.plan.lanes.searchInputs');
    expect((search!.States.ProcessSearchInputLanes as MapState).Next).toBe('NeedsSymbolSearch?');
    expect((others!.States.ProcessOrderLanes as MapState).ItemsPath).toBe('$.plan.lanes.orders');
    expect((fills!.States.ProcessFillLanes as MapState).Next).toBe('MergeFills');
    expect((ledger!.States.ProcessLedgerLanes as MapState).Next).toBe('MergeLedger');
    for (const [name, dataset] of [
      ['MergeOrders', 'orders'],
      ['MergeFills', 'fills'],
      ['MergeLedger', 'ledger'],
    ] as const) {
      const merge = stateNamed(definition, name) as TaskState;
      expect(merge.Parameters?.Payload).toEqual({
        'runId.$': '$.runId',
        'lanes.$': '$.plan.lanes',
        'executionName.$': '$$.Execution.Name',
        dataset,
      });
      expect(merge.ResultPath).toBeNull();
      expect(merge.End).toBe(true);
    }
  });

  it('applies lane and window concurrency, bounded by DEFAULT_MAP_CONCURRENCY by default', () => {
    const mapConcurrency = (def: typeof definition, name: string): number | undefined =>
      (stateNamed(def, name) as MapState).MaxConcurrency;
    for (const name of LANE_MAPS) expect(mapConcurrency(definition, name)).toBe(DEFAULT_MAP_CONCURRENCY);
    expect(mapConcurrency(definition, 'SearchSymbols')).toBe(DEFAULT_MAP_CONCURRENCY);
    const bounded = buildExtractionStateMachine({ functionArns, laneConcurrency: 4, windowConcurrency: 2 });
    for (const name of LANE_MAPS) expect(mapConcurrency(bounded, name)).toBe(4);
    expect(mapConcurrency(bounded, 'SearchSymbols')).toBe(2);
  });

  it('serialises to stable JSON equal to the built definition', () => {
    const json = extractionDefinitionJson({ functionArns });
    expect(extractionDefinitionJson({ functionArns })).toBe(json);
    expect(JSON.parse(json)).toEqual(definition);
    expect(json.endsWith('}\n')).toBe(true);
  });
});
