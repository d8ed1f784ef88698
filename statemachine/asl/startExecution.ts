import { InvalidStateError } from './errors';
import { refs } from './payload';
import { toTransition, type Then } from './transition';
import type { Catcher, JsonPath, PayloadTemplate, Retrier, TaskState } from './types';

/**
 * A nested execution of another state machine, waited for (the `.sync` pattern); `:2` gives its `Output` as JSON
 * rather than as a string. The task's result is the nested execution's DescribeExecution answer
 * (`{ ExecutionArn, Status, Output, … }`); when the nested execution fails, the task fails with `States.TaskFailed`
 * and a Cause holding that answer as JSON (its Error and Cause among it).
 */
export const START_EXECUTION_SYNC_RESOURCE = 'arn:aws:states:::states:startExecution.sync:2';

/**
 * What happens to the nested execution's result.
 * - `output`: its Output becomes the state output (OutputPath `$.Output`).
 * - `fields`: the named fields, each read from the result (`{ status: '$.Status' }`), are written at `at`.
 * - `discard`: the input passes through unchanged (ResultPath null).
 */
export type ExecutionResult =
  | { as: 'output' }
  | { as: 'fields'; at: JsonPath; fields: Readonly<Record<string, JsonPath>> }
  | { as: 'discard' };

export type StartExecutionOptions = Then & {
  result: ExecutionResult;
  /**
   * The nested execution's name; omitted, Step Functions makes one up. A name makes a retried start of the same
   * input idempotent, and a start after that execution ended fail (ExecutionAlreadyExists).
   */
  name?: JsonPath;
  retry?: readonly Retrier[];
  catch?: readonly Catcher[];
  /** How long the nested execution may run before this task fails with States.Timeout. */
  timeoutSeconds?: number;
  comment?: string;
};

function resultFields(
  result: ExecutionResult,
): Pick<TaskState, 'ResultSelector' | 'ResultPath' | 'OutputPath'> {
  switch (result.as) {
    case 'output':
      return { OutputPath: '$.Output' };
    case 'fields':
      if (Object.keys(result.fields).length === 0)
        throw new InvalidStateError('fields: name at least one field of the nested execution');
      return { ResultSelector: refs(result.fields), ResultPath: result.at };
    case 'discard':
      return { ResultPath: null };
  }
}

/**
 * A Task starting an execution of `stateMachineArn` and waiting for it to end. `input` is field → path references;
 * the nested execution is linked to this one in the console (AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID).
 */
export function startExecutionSync(
  stateMachineArn: string,
  input: Readonly<Record<string, JsonPath>>,
  opts: StartExecutionOptions,
): TaskState {
  if ('AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID' in input)
    throw new InvalidStateError('startExecutionSync sets AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID itself');
  const parameters: PayloadTemplate = {
    StateMachineArn: stateMachineArn,
    Input: refs({ ...input, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: '$$.Execution.Id' }),
    ...(opts.name ? refs({ Name: opts.name }) : {}),
  };
  return {
    Type: 'Task',
    Comment: opts.comment,
    Resource: START_EXECUTION_SYNC_RESOURCE,
    Parameters: parameters,
    ...resultFields(opts.result),
    TimeoutSeconds: opts.timeoutSeconds,
    Retry: opts.retry && [...opts.retry],
    Catch: opts.catch && [...opts.catch],
    ...toTransition(opts),
  };
}
