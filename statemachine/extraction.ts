/**
 * The extraction state machine (DESIGN.md, "The run, step by step"), JSONPath ASL with inline
 * Maps only, so that the same definition runs in AWS Step Functions and in aws-local-stepfunctions.
 *
 * Shape: PlanRun, then ExtractDatasets, a Parallel with one branch per data set (orders, fills, ledger), each
 * running its lanes and then merging that data set ahead of the collector (Merge<Dataset>: result-collector with
 * `dataset`); the orders' branch runs the lanes the symbol search reads, then the search, beside its other lanes.
 * Then CollectResults publishes the result. Only the top-level steps have a Catch; a branch's failure fails the
 * Parallel with the branch's own error.
 *
 * Execution input: `{ runId, request: { symbols?, markets, kinds, since?, until?, order } }`.
 * Success output: exactly what result-collector returned. Failure: CollectAfterFailure gives
 * result-collector `{ runId, order, failure: { Error, Cause } }` (it writes a summary marked
 * incomplete), then the execution fails with Error `ExtractionIncomplete` and the original Cause.
 *
 * Local binding contract (implemented by `startLocalExecution` / `bindLocalHandlers` in ./local):
 * - aws-local-stepfunctions keys task overrides by STATE NAME; TASK_STATES maps each Task state to
 *   the function it invokes (MergeOrders, MergeFills, MergeLedger, CollectResults and CollectAfterFailure all use
 *   result-collector; the five lane Tasks use symbol-processor).
 * - The override receives the Task's evaluated Parameters `{ FunctionName, Payload }`; the handler
 *   is called with `Payload` (the Lambda event) and what it resolves to is returned the way
 *   lambda:invoke returns it, `{ Payload: <JSON copy of the handler output>, StatusCode: 200 }`,
 *   because the definition reads `$.Payload` from the task result.
 * - A handler fails by throwing an Error whose `name` is the error name (Retry/Catch match on it,
 *   e.g. `BitgetRetryableError`); the binding rethrows it with the Cause AWS would give,
 *   `{"errorType":<name>,"errorMessage":<message>}` as a JSON string.
 * - The definition is deep-cloned before the engine sees it (its validator mutates its input).
 * - Every Task sets TimeoutSeconds (taskTimeoutSeconds, default 960): the local engine would
 *   otherwise time tasks out after 60 s and, since it cannot cancel the handler, retry it while the
 *   first attempt still runs. Local handlers must respect their own time budget.
 */
import {
  booleanEquals,
  catchAll,
  choice,
  defineStateMachine,
  fail,
  lambdaInvoke,
  mapUntilDone,
  parallel,
  succeed,
  when,
  type Branch,
  type Catcher,
  type InvokeResult,
  type JsonPath,
  type MapState,
  type StateMachineDefinition,
  type TaskState,
  type Then,
} from './asl';
import { taskRetriers } from './retryPolicy';

export { LAMBDA_SERVICE_ERROR_NAMES, RETRYABLE_ERROR_NAMES } from './retryPolicy';

export const LAMBDA_NAMES = [
  'coordinator',
  'time-range-mapper',
  'symbol-searcher',
  'symbol-unifier',
  'symbol-processor',
  'result-collector',
  'api',
] as const;
export type LambdaName = (typeof LAMBDA_NAMES)[number];

/** Functions the state machine invokes (coordinator and api start/poll it, they are not invoked by it). */
export type TaskLambdaName = Exclude<LambdaName, 'coordinator' | 'api'>;

/**
 * MaxConcurrency of each Map unless told otherwise. A Map holds one group of lanes (an endpoint each: at most six
 * order lanes, five ledger lanes) or a few search windows, so 10 never holds a run back; it bounds the fan-out of
 * each Map (a run has five lane Maps, and so up to five times as many Lambdas at once) should a plan ever grow. On AWS the stack sets both from Terraform variables (infra/StackVariables.ts).
 */
export const DEFAULT_MAP_CONCURRENCY = 10;

export interface ExtractionMachineOptions {
  functionArns: Record<TaskLambdaName, string>;
  /** Lanes processed at once (default DEFAULT_MAP_CONCURRENCY; 0 = unbounded). */
  laneConcurrency?: number;
  /** Symbol-search windows processed at once (default DEFAULT_MAP_CONCURRENCY; 0 = unbounded). */
  windowConcurrency?: number;
  /**
   * Task TimeoutSeconds; keep it at or above the functions' own timeout so that a slow invocation
   * is never retried while it still runs (default 960, Lambda's maximum plus a minute).
   */
  taskTimeoutSeconds?: number;
}

const TASK_STATE_FUNCTIONS = {
  PlanRun: 'time-range-mapper',
  ProcessSearchInputLane: 'symbol-processor',
  SearchWindow: 'symbol-searcher',
  UnifySymbols: 'symbol-unifier',
  ProcessSymbolLane: 'symbol-processor',
  ProcessOrderLane: 'symbol-processor',
  MergeOrders: 'result-collector',
  ProcessFillLane: 'symbol-processor',
  MergeFills: 'result-collector',
  ProcessLedgerLane: 'symbol-processor',
  MergeLedger: 'result-collector',
  CollectResults: 'result-collector',
  CollectAfterFailure: 'result-collector',
} as const satisfies Record<string, TaskLambdaName>;
export type TaskStateName = keyof typeof TASK_STATE_FUNCTIONS;

/** state name → the function it invokes; the local engine binds handlers with this. */
export const TASK_STATES: Readonly<Record<string, TaskLambdaName>> = TASK_STATE_FUNCTIONS;

const DEFAULT_TASK_TIMEOUT_SECONDS = 960;
const ON_FAILURE = 'CollectAfterFailure';
const FAILED = 'ExtractionFailed';

interface Context {
  opts: ExtractionMachineOptions;
  timeoutSeconds: number;
}

function task(
  ctx: Context,
  name: TaskStateName,
  payload: Readonly<Record<string, JsonPath>>,
  result: InvokeResult,
  then: Then & { catch?: readonly Catcher[]; constants?: Readonly<Record<string, string>> },
): TaskState {
  const { catch: catchers, constants, ...transition } = then;
  return lambdaInvoke(ctx.opts.functionArns[TASK_STATE_FUNCTIONS[name]], payload, {
    result,
    ...transition,
    constants,
    retry: taskRetriers(),
    catch: catchers,
    timeoutSeconds: ctx.timeoutSeconds,
  });
}

/** Every top-level step hands its failure to CollectAfterFailure at `$.failure`. */
const toFailure = (): Catcher[] => [catchAll(ON_FAILURE, '$.failure')];

type UntilDoneLoop = Then & {
  /** The Map's items: lane or window ids of the plan. */
  itemsPath: JsonPath;
  idField: 'laneId' | 'windowId';
  maxConcurrency: number;
  names: { work: TaskStateName; check: string; finished: string; invalid: string };
};

/**
 * A Map over lanes or windows whose iteration invokes the function until it reports `done: true`. Each invocation
 * works until its time budget is nearly spent and saves its cursors; its output `{ runId, <id>, done }` is the next
 * invocation's input.
 */
function untilDone(ctx: Context, loop: UntilDoneLoop): MapState {
  const { work } = loop.names;
  const transition: Then = 'next' in loop ? { next: loop.next } : { end: true };
  return mapUntilDone({
    itemsPath: loop.itemsPath,
    itemSelector: { runId: '$.runId', [loop.idField]: '$$.Map.Item.Value' },
    maxConcurrency: loop.maxConcurrency,
    names: loop.names,
    work: (next) =>
      task(
        ctx,
        work,
        // The execution name lets a resumed run (same runId, new execution) reopen cursors whose breaker opened.
        { runId: '$.runId', [loop.idField]: `$.${loop.idField}`, executionName: '$$.Execution.Name' },
        { as: 'state' },
        { next },
      ),
    invalidResult: {
      error: 'InvalidFunctionResult',
      cause: `${TASK_STATE_FUNCTIONS[work]} returned no boolean "done"`,
    },
    // Inside a Parallel branch: a failure fails the branch, and the Parallel's Catch hands it on.
    ...transition,
  });
}

/** The lanes of one group of the plan (PlanOutput.lanes), looped until done. */
function laneLoop(
  ctx: Context,
  group: 'searchInputs' | 'orders' | 'fills' | 'ledger' | 'symbols',
  names: UntilDoneLoop['names'],
  then: Then,
): MapState {
  return untilDone(ctx, {
    itemsPath: group === 'symbols' ? '$.symbolPlan.laneIds' : `$.plan.lanes.${group}`,
    idField: 'laneId',
    maxConcurrency: ctx.opts.laneConcurrency ?? DEFAULT_MAP_CONCURRENCY,
    names,
    ...then,
  });
}

/** A data set's merge ahead of the collector (src/extraction/stagedMerge.ts), once its own lanes are done. */
function mergeDataset(ctx: Context, name: TaskStateName, dataset: 'orders' | 'fills' | 'ledger'): TaskState {
  return task(
    ctx,
    name,
    // The plan's lane groups: the merge reads its own data set's lanes only, while the others still run.
    { runId: '$.runId', lanes: '$.plan.lanes', executionName: '$$.Execution.Name' },
    { as: 'discard' },
    { end: true, constants: { dataset } },
  );
}

/**
 * The orders: the lanes the symbol search reads, then the search, the unifier and the found symbols' lane,
 * beside the other order lanes; then their merge.
 */
function ordersBranch(ctx: Context): Branch {
  const searchBranch: Branch = {
    StartAt: 'ProcessSearchInputLanes',
    States: {
      ProcessSearchInputLanes: laneLoop(
        ctx,
        'searchInputs',
        {
          work: 'ProcessSearchInputLane',
          check: 'SearchInputLaneDone?',
          finished: 'SearchInputLaneFinished',
          invalid: 'SearchInputLaneResultInvalid',
        },
        { next: 'NeedsSymbolSearch?' },
      ),
      'NeedsSymbolSearch?': choice(
        [when(booleanEquals('$.plan.needsSymbolSearch', true), 'SearchSymbols')],
        'SymbolsDone',
      ),
      SearchSymbols: untilDone(ctx, {
        itemsPath: '$.plan.windowIds',
        idField: 'windowId',
        maxConcurrency: ctx.opts.windowConcurrency ?? DEFAULT_MAP_CONCURRENCY,
        names: {
          work: 'SearchWindow',
          check: 'WindowSearched?',
          finished: 'WindowFinished',
          invalid: 'WindowResultInvalid',
        },
        next: 'UnifySymbols',
      }),
      UnifySymbols: task(
        ctx,
        'UnifySymbols',
        { runId: '$.runId' },
        { as: 'fields', at: '$.symbolPlan', fields: ['laneIds'] },
        { next: 'ProcessSymbolLanes' },
      ),
      ProcessSymbolLanes: laneLoop(
        ctx,
        'symbols',
        {
          work: 'ProcessSymbolLane',
          check: 'SymbolLaneDone?',
          finished: 'SymbolLaneFinished',
          invalid: 'SymbolLaneResultInvalid',
        },
        { next: 'SymbolsDone' },
      ),
      SymbolsDone: succeed(),
    },
  };
  const otherOrderLanes: Branch = {
    StartAt: 'ProcessOrderLanes',
    States: {
      ProcessOrderLanes: laneLoop(
        ctx,
        'orders',
        {
          work: 'ProcessOrderLane',
          check: 'OrderLaneDone?',
          finished: 'OrderLaneFinished',
          invalid: 'OrderLaneResultInvalid',
        },
        { end: true },
      ),
    },
  };
  return {
    StartAt: 'OrderLanes',
    States: {
      OrderLanes: parallel({ branches: [searchBranch, otherOrderLanes], next: 'MergeOrders' }),
      MergeOrders: mergeDataset(ctx, 'MergeOrders', 'orders'),
    },
  };
}

function recordsBranch(ctx: Context, dataset: 'fills' | 'ledger'): Branch {
  const [lanes, lane, merge] =
    dataset === 'fills'
      ? (['ProcessFillLanes', 'ProcessFillLane', 'MergeFills'] as const)
      : (['ProcessLedgerLanes', 'ProcessLedgerLane', 'MergeLedger'] as const);
  const label = dataset === 'fills' ? 'FillLane' : 'LedgerLane';
  return {
    StartAt: lanes,
    States: {
      [lanes]: laneLoop(
        ctx,
        dataset,
        {
          work: lane,
          check: `${label}Done?`,
          finished: `${label}Finished`,
          invalid: `${label}ResultInvalid`,
        },
        { next: merge },
      ),
      [merge]: mergeDataset(ctx, merge, dataset),
    },
  };
}

export function buildExtractionStateMachine(opts: ExtractionMachineOptions): StateMachineDefinition {
  const ctx: Context = { opts, timeoutSeconds: opts.taskTimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS };
  return defineStateMachine({
    Comment:
      'Bitget extraction: plan; per data set its lanes (orders: and the symbol search) then its merge, all at once; collect.',
    StartAt: 'PlanRun',
    States: {
      PlanRun: task(
        ctx,
        'PlanRun',
        // The execution name takes the run's lease (one execution per run id).
        { runId: '$.runId', request: '$.request', executionName: '$$.Execution.Name' },
        { as: 'fields', at: '$.plan', fields: ['lanes', 'windowIds', 'needsSymbolSearch'] },
        { next: 'ExtractDatasets', catch: toFailure() },
      ),
      // Each data set's lanes are their own rate-limit buckets: the branches run at once, and a data set is merged
      // as soon as its own lanes end, while the others' still run.
      ExtractDatasets: parallel({
        branches: [ordersBranch(ctx), recordsBranch(ctx, 'fills'), recordsBranch(ctx, 'ledger')],
        next: 'CollectResults',
        catch: toFailure(),
      }),
      CollectResults: task(
        ctx,
        'CollectResults',
        { runId: '$.runId', order: '$.request.order', executionName: '$$.Execution.Name' },
        { as: 'payload', at: '$.output' },
        { next: 'Done', catch: toFailure() },
      ),
      Done: succeed({ outputPath: '$.output.Payload' }),
      [ON_FAILURE]: task(
        ctx,
        ON_FAILURE,
        {
          runId: '$.runId',
          order: '$.request.order',
          failure: '$.failure',
          executionName: '$$.Execution.Name',
        },
        { as: 'discard' },
        // Keep `$.failure` (the original error) for the Fail state's cause.
        { next: FAILED, catch: [catchAll(FAILED, '$.collectorFailure')] },
      ),
      [FAILED]: fail({ error: 'ExtractionIncomplete', causePath: '$.failure.Cause' }),
    },
  });
}

/** The definition as stable, pretty JSON (for infra and for inspection). */
export function extractionDefinitionJson(opts: ExtractionMachineOptions): string {
  return `${JSON.stringify(buildExtractionStateMachine(opts), null, 2)}\n`;
}
