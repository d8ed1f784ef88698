/**
 * Runs the sync definition in aws-local-stepfunctions with in-process handlers. The lib runs every Task as a
 * Lambda and knows no `startExecution.sync`, but runs a local function instead of any Task it is given by state
 * name: PrepareSync and CommitSync answer as lambda:invoke does (./local), and the nested Extract task runs the
 * extraction definition as an in-process execution of its own, answering as `startExecution.sync:2` does
 * (`{ ExecutionArn, Status, Output }`, Output as JSON); a nested execution that fails fails the task with
 * `States.TaskFailed`, its Cause the nested execution's `{ ExecutionArn, Status, Error, Cause }` as JSON.
 */
import { StateMachine, type StateMachineDefinition as LocalDefinition } from 'aws-local-stepfunctions';
import type { JsonValue, StateMachineDefinition } from './asl';
import { LambdaFunctionError, LocalInvokeError, StateMachineError } from './errors';
import {
  immediateRetries,
  localFailure,
  startLocalExecution,
  type LocalExecution,
  type LocalTaskHandler,
  type LocalTaskHandlers,
} from './local';
import { EXTRACT_STATE, SYNC_TASK_STATES, type SyncLambdaName } from './sync';

export interface LocalSyncHandlers {
  /** The sync-prepare and sync-commit functions: each receives its Lambda event. */
  functions: Readonly<Record<SyncLambdaName, LocalTaskHandler>>;
  /** The nested extraction: its definition and the handlers of its five functions. */
  extraction: { definition: StateMachineDefinition; handlers: LocalTaskHandlers };
}

/** The nested execution failed: what the `.sync` integration reports as `States.TaskFailed`. */
class NestedExecutionFailedError extends StateMachineError {
  override readonly name = 'States.TaskFailed';
}

const serialised = (value: unknown): JsonValue => {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
};

function lambdaTask(handler: LocalTaskHandler) {
  return async (input: JsonValue): Promise<JsonValue> => {
    if (input === null || typeof input !== 'object' || Array.isArray(input) || !('Payload' in input))
      throw new LocalInvokeError(
        'local lambda:invoke: the task input has no Payload (Parameters not applied?)',
      );
    try {
      return { Payload: serialised(await handler(input.Payload ?? null)), StatusCode: 200 };
    } catch (err) {
      if (err instanceof Error) throw new LambdaFunctionError(err.name || 'Error', err.message);
      throw new LambdaFunctionError('Error', String(err));
    }
  };
}

function nestedTask(extraction: LocalSyncHandlers['extraction']) {
  let n = 0;
  return async (input: JsonValue): Promise<JsonValue> => {
    const { StateMachineArn, Input } = (input ?? {}) as { StateMachineArn?: string; Input?: JsonValue };
    if (typeof StateMachineArn !== 'string' || Input === undefined)
      throw new LocalInvokeError(
        'local startExecution.sync: the task input has no StateMachineArn and Input',
      );
    n += 1;
    const name = `nested-${n}`;
    const executionArn = `${StateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    try {
      const output = await startLocalExecution(extraction.definition, Input, extraction.handlers, {
        executionName: name,
        retryIntervalOverrides: immediateRetries(),
      }).result;
      return { ExecutionArn: executionArn, StateMachineArn, Name: name, Status: 'SUCCEEDED', Output: output };
    } catch (err) {
      const failure = localFailure(err);
      if (!failure) throw err;
      throw new NestedExecutionFailedError(
        JSON.stringify({
          ExecutionArn: executionArn,
          Status: 'FAILED',
          Error: failure.error,
          Cause: failure.cause,
        }),
      );
    }
  };
}

/** Starts one execution of the sync `definition` in process (every retry immediate). */
export function startLocalSyncExecution(
  definition: StateMachineDefinition,
  input: JsonValue,
  handlers: LocalSyncHandlers,
  options: { executionArn?: string } = {},
): LocalExecution {
  const machine = new StateMachine(JSON.parse(JSON.stringify(definition)) as LocalDefinition, {
    validationOptions: { checkArn: true },
  });
  const executionArn = options.executionArn ?? 'arn:aws:states:local:000000000000:execution:sync:local';
  const execution = machine.run(input, {
    context: {
      Execution: {
        Id: executionArn,
        Name: executionArn.split(':').at(-1)!,
        Input: input,
        StartTime: new Date().toISOString(),
      },
    },
    overrides: {
      taskResourceLocalHandlers: {
        ...Object.fromEntries(
          Object.entries(SYNC_TASK_STATES).map(([state, fn]) => [state, lambdaTask(handlers.functions[fn])]),
        ),
        [EXTRACT_STATE]: nestedTask(handlers.extraction),
      },
      retryIntervalOverrides: Object.fromEntries(Object.keys(SYNC_TASK_STATES).map((s) => [s, 0])),
    },
  });
  return { result: execution.result, abort: execution.abort };
}
