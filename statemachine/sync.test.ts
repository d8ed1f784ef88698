import {
  allStates,
  checkGraph,
  LAMBDA_INVOKE_RESOURCE,
  START_EXECUTION_SYNC_RESOURCE,
  validateAsl,
  type JsonValue,
  type TaskState,
} from './asl';
import { buildExtractionStateMachine, type TaskLambdaName } from './extraction';
import { localFailure, type LocalTaskHandlers } from './local';
import { startLocalSyncExecution } from './syncLocal';
import { LAMBDA_SERVICE_ERROR_NAMES, RETRYABLE_ERROR_NAMES } from './retryPolicy';
import { buildSyncStateMachine, EXTRACT_STATE, SYNC_TASK_STATES, syncDefinitionJson } from './sync';

const lambda = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:bitget-orders-${name}`;
const EXTRACTION_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:bitget-orders-extraction';
const SYNC_EXECUTION_ARN = 'arn:aws:states:eu-west-1:123456789012:execution:bitget-orders-sync:sync-1';
const options = {
  functionArns: { 'sync-prepare': lambda('sync-prepare'), 'sync-commit': lambda('sync-commit') },
  extractionArn: EXTRACTION_ARN,
};
const definition = buildSyncStateMachine(options);
const tasks = allStates(definition).filter((e): e is [string, TaskState] => e[1].Type === 'Task');

describe('Sync state machine definition', () => {
  it('passes asl-validator and has a sound graph', () => {
    expect(validateAsl(definition)).toEqual([]);
    expect(checkGraph(definition)).toEqual([]);
  });

  it('prepares, extracts as a nested execution, commits, succeeds', () => {
    expect(definition.StartAt).toBe('PrepareSync');
    expect(definition.States.PrepareSync).toMatchObject({
      Resource: LAMBDA_INVOKE_RESOURCE,
      Parameters: { FunctionName: options.functionArns['sync-prepare'], 'Payload.$': '$' },
      Next: EXTRACT_STATE,
    });
    expect(definition.States[EXTRACT_STATE]).toMatchObject({
      Resource: START_EXECUTION_SYNC_RESOURCE,
      Parameters: {
        StateMachineArn: EXTRACTION_ARN,
        Input: {
          'runId.$': '$.prepared.runId',
          'request.$': '$.prepared.request',
          'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id',
        },
      },
      Next: 'CommitSync',
    });
    expect(definition.States.CommitSync).toMatchObject({
      Parameters: {
        FunctionName: options.functionArns['sync-commit'],
        Payload: { 'runId.$': '$.prepared.runId', 'extraction.$': '$.extraction' },
      },
      Next: 'Synced',
    });
    expect(definition.States.Synced).toEqual({ Type: 'Succeed' });
  });

  it('retries the Lambda tasks as the extraction does, and ends every failure in SyncFailed naming the error', () => {
    for (const [name, task] of tasks) {
      const caught = task.Catch ?? [];
      expect({ name, last: caught.at(-1) }).toEqual({
        name,
        last: { ErrorEquals: ['States.ALL'], Next: 'SyncFailed', ResultPath: '$.failure' },
      });
      if (task.Resource !== LAMBDA_INVOKE_RESOURCE) continue;
      expect(task.Retry?.flatMap((r) => r.ErrorEquals)).toEqual([
        ...LAMBDA_SERVICE_ERROR_NAMES,
        ...RETRYABLE_ERROR_NAMES,
      ]);
      expect(task.TimeoutSeconds).toBeGreaterThanOrEqual(900);
    }
    expect(definition.States.SyncFailed).toEqual({
      Type: 'Fail',
      ErrorPath: '$.failure.Error',
      CausePath: '$.failure.Cause',
    });
  });

  it('maps its Lambda tasks by state name, and serialises to stable JSON', () => {
    expect(tasks.filter(([, t]) => t.Resource === LAMBDA_INVOKE_RESOURCE).map(([n]) => n)).toEqual(
      Object.keys(SYNC_TASK_STATES),
    );
    expect(JSON.parse(syncDefinitionJson(options))).toEqual(definition);
  });
});

/** The whole definition run in aws-local-stepfunctions, the nested task bound as statemachine/syncLocal.ts says. */
describe('Sync state machine in aws-local-stepfunctions, with the extraction as a nested local execution', () => {
  const extraction = buildExtractionStateMachine({
    functionArns: {
      'time-range-mapper': lambda('time-range-mapper'),
      'symbol-searcher': lambda('symbol-searcher'),
      'symbol-unifier': lambda('symbol-unifier'),
      'symbol-processor': lambda('symbol-processor'),
      'result-collector': lambda('result-collector'),
    },
  });

  const extractionHandlers = (failLanes: boolean): LocalTaskHandlers => {
    const handlers: Record<TaskLambdaName, (p: JsonValue) => Promise<unknown>> = {
      'time-range-mapper': async () => ({
        laneIds: ['lane-a'],
        windowIds: [],
        needsSymbolSearch: false,
        // the lanes by branch of the extraction's Parallel state (src/extraction/stages.ts, PlanOutput)
        lanes: { searchInputs: [], orders: ['lane-a'], fills: [], ledger: [] },
      }),
      'symbol-processor': async (p) => {
        if (failLanes) throw Object.assign(new Error('code 40014'), { name: 'BitgetFatalError' });
        return { ...(p as object), done: true };
      },
      'symbol-searcher': async () => ({ done: true }),
      'symbol-unifier': async () => ({ laneIds: [] }),
      'result-collector': async (p) => ({ runId: (p as { runId: string }).runId, complete: !failLanes }),
    };
    return handlers;
  };

  function runSyncMachine(failLanes: boolean) {
    const calls: { state: string; payload: JsonValue }[] = [];
    const fn = (state: string, answer: (payload: JsonValue) => unknown) => async (payload: JsonValue) => {
      calls.push({ state, payload });
      return answer(payload);
    };
    const handlers = extractionHandlers(failLanes);
    const execution = startLocalSyncExecution(
      definition,
      { datasets: ['orders'] },
      {
        functions: {
          'sync-prepare': fn('PrepareSync', () => ({
            runId: 'sync-run-1',
            request: { markets: ['spot'], kinds: ['normal'], order: 'asc', until: 1000 },
            context: 'not kept in state',
          })),
          'sync-commit': fn('CommitSync', (p) => ({ committed: p })),
        },
        extraction: {
          definition: extraction,
          handlers: {
            ...handlers,
            'time-range-mapper': async (p) => {
              calls.push({ state: EXTRACT_STATE, payload: p });
              return handlers['time-range-mapper'](p);
            },
          },
        },
      },
      { executionArn: SYNC_EXECUTION_ARN },
    );
    return { result: execution.result, calls };
  }

  it('hands Prepare’s run and request to the nested extraction and its outcome to Commit', async () => {
    const { result, calls } = runSyncMachine(false);
    await expect(result).resolves.toEqual({
      committed: { runId: 'sync-run-1', extraction: { status: 'SUCCEEDED', complete: true } },
    });
    expect(calls.map((c) => c.state)).toEqual(['PrepareSync', EXTRACT_STATE, 'CommitSync']);
    expect(calls[0]!.payload).toEqual({ datasets: ['orders'] });
    // The nested execution's input is Prepare's run and request (its PlanRun reads them).
    expect(calls[1]!.payload).toEqual({
      runId: 'sync-run-1',
      request: { markets: ['spot'], kinds: ['normal'], order: 'asc', until: 1000 },
      executionName: 'nested-1',
    });
  });

  it('fails in SyncFailed with the nested failure, and never commits', async () => {
    const { result, calls } = runSyncMachine(true);
    const error = await result.then(
      () => null,
      (e: unknown) => localFailure(e),
    );
    expect(error?.error).toBe('States.TaskFailed');
    expect(JSON.parse(error!.cause)).toMatchObject({ Status: 'FAILED', Error: 'ExtractionIncomplete' });
    expect(calls.map((c) => c.state)).toEqual(['PrepareSync', EXTRACT_STATE]);
  });
});
