/**
 * Runs an extraction definition in aws-local-stepfunctions with in-process handlers,
 * reproducing what the lambda:invoke integration does in AWS (see the contract in ./extraction).
 */
import {
  ExecutionError,
  StateMachine,
  type RunOptions,
  type StateMachineDefinition as LocalDefinition,
} from 'aws-local-stepfunctions';
import type { JsonValue, StateMachineDefinition } from './asl';
import { LambdaFunctionError, LocalInvokeError } from './errors';
import { TASK_STATES, type TaskLambdaName } from './extraction';

/** A function's handler: receives the Lambda event (the Payload), resolves to its result or throws. */
export type LocalTaskHandler = (payload: JsonValue) => Promise<unknown>;
export type LocalTaskHandlers = Readonly<Record<TaskLambdaName, LocalTaskHandler>>;

type LocalOverride = (input: JsonValue) => Promise<JsonValue>;

function payloadOf(input: JsonValue): JsonValue {
  if (input !== null && typeof input === 'object' && !Array.isArray(input) && 'Payload' in input) {
    return input.Payload ?? null;
  }
  throw new LocalInvokeError('local lambda:invoke: the task input has no Payload (Parameters not applied?)');
}

function asFunctionError(err: unknown): LambdaFunctionError {
  if (err instanceof Error) return new LambdaFunctionError(err.name || 'Error', err.message);
  return new LambdaFunctionError('Error', String(err));
}

/** What the function returned, after the JSON round trip a real invocation makes. */
function serialised(output: unknown): JsonValue {
  const text = JSON.stringify(output);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}

/**
 * The `taskResourceLocalHandlers` override for aws-local-stepfunctions, keyed by state name:
 * each Task state calls its function's handler with the Payload and returns
 * `{ Payload, StatusCode: 200 }` as lambda:invoke does.
 */
export function bindLocalHandlers(handlers: LocalTaskHandlers): Record<string, LocalOverride> {
  return Object.fromEntries(
    Object.entries(TASK_STATES).map(([stateName, fn]): [string, LocalOverride] => [
      stateName,
      async (input) => {
        let output: unknown;
        try {
          output = await handlers[fn](payloadOf(input));
        } catch (err) {
          throw asFunctionError(err);
        }
        return { Payload: serialised(output), StatusCode: 200 };
      },
    ]),
  );
}

/** retryIntervalOverrides that make every retry of every Task immediate (tests, local runs). */
export function immediateRetries(): Record<string, number> {
  return Object.fromEntries(Object.keys(TASK_STATES).map((name) => [name, 0]));
}

/**
 * The lib's definition type is looser and shaped differently from ours; the JSON is the same.
 * It is also a deep copy, which matters: the engine validates with asl-validator, which writes
 * into the definition it is given.
 */
function toLocalDefinition(definition: StateMachineDefinition): LocalDefinition {
  return JSON.parse(JSON.stringify(definition)) as LocalDefinition;
}

/** The texts of the definitions this process has validated. */
const VALIDATED = new Set<string>();

/**
 * Validates `definition` as aws-local-stepfunctions does before it runs one (asl-validator, with the ARNs
 * checked), once per definition per process: an invalid definition throws the lib's error. The check costs
 * 0.4–0.9 s of CPU on this project's definition (asl-validator compiles its schemas), so a caller may do it
 * while it waits on something else (the local stack does it while the S3 server's process starts), and later
 * executions of the same definition start at once.
 */
export function validateLocalDefinition(definition: StateMachineDefinition): void {
  const text = JSON.stringify(definition);
  if (VALIDATED.has(text)) return;
  new StateMachine(JSON.parse(text) as LocalDefinition, { validationOptions: { checkArn: true } });
  VALIDATED.add(text);
}

export interface LocalExecutionOptions {
  /** Milliseconds to wait before a retry, per state name (the lib's retryIntervalOverrides). */
  retryIntervalOverrides?: Record<string, number | number[]>;
  /** The execution's name, visible to the definition as $$.Execution.Name (as on AWS). */
  executionName?: string;
}

export interface LocalExecution {
  result: Promise<JsonValue>;
  abort: () => void;
}

/**
 * Starts one execution of `definition` in process. `result` resolves to the execution output, or
 * rejects with the lib's ExecutionError; `localFailure` turns that into `{ error, cause }`.
 */
export function startLocalExecution(
  definition: StateMachineDefinition,
  input: JsonValue,
  handlers: LocalTaskHandlers,
  options: LocalExecutionOptions = {},
): LocalExecution {
  validateLocalDefinition(definition);
  // Validated above (once per definition and process): validating again would cost as much at every start.
  const machine = new StateMachine(toLocalDefinition(definition), {
    validationOptions: { noValidate: true },
  });
  const runOptions: RunOptions = {
    context: {
      Execution: {
        Name: options.executionName ?? 'local',
        Input: input,
        StartTime: new Date().toISOString(),
      },
    },
    overrides: {
      taskResourceLocalHandlers: bindLocalHandlers(handlers),
      retryIntervalOverrides: options.retryIntervalOverrides,
    },
  };
  const execution = machine.run(input, runOptions);
  return { result: execution.result, abort: execution.abort };
}

/** The error name and cause of a failed local execution, or null if `err` is something else. */
export function localFailure(err: unknown): { error: string; cause: string } | null {
  if (!(err instanceof ExecutionError) || !(err.cause instanceof Error)) return null;
  return { error: err.cause.name, cause: err.cause.message };
}
