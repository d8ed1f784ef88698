import { InvalidStateError } from './errors';
import { refs } from './payload';
import { toTransition, type Then } from './transition';
import type { Catcher, JsonPath, JsonPrimitive, PayloadTemplate, Retrier, TaskState } from './types';

export const LAMBDA_INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';

/**
 * What happens to the function's result. lambda:invoke returns
 * `{ Payload, StatusCode, ExecutedVersion, SdkHttpMetadata, ... }`; only Payload is kept.
 * - `state`: the Payload becomes the state output (OutputPath `$.Payload`).
 * - `fields`: the named Payload fields are written at `at` (ResultSelector picks them).
 * - `payload`: `{ Payload }` is written at `at`, so the Payload is at `<at>.Payload`.
 * - `discard`: the input passes through unchanged (ResultPath null).
 */
export type InvokeResult =
  | { as: 'state' }
  | { as: 'fields'; at: JsonPath; fields: readonly string[] }
  | { as: 'payload'; at: JsonPath }
  | { as: 'discard' };

export type LambdaInvokeOptions = Then & {
  result: InvokeResult;
  retry?: readonly Retrier[];
  catch?: readonly Catcher[];
  /** Fixed fields of the event beside the references (only with a field → path payload). */
  constants?: Readonly<Record<string, JsonPrimitive>>;
  /** Set it at or above the function's own timeout, or a slow invocation gets retried while running. */
  timeoutSeconds?: number;
  comment?: string;
};

function resultFields(result: InvokeResult): Pick<TaskState, 'ResultSelector' | 'ResultPath' | 'OutputPath'> {
  switch (result.as) {
    case 'state':
      return { OutputPath: '$.Payload' };
    case 'fields':
      if (result.fields.length === 0) throw new InvalidStateError('fields: name at least one Payload field');
      return {
        ResultSelector: refs(Object.fromEntries(result.fields.map((f) => [f, `$.Payload.${f}` as const]))),
        ResultPath: result.at,
      };
    case 'payload':
      return { ResultSelector: refs({ Payload: '$.Payload' }), ResultPath: result.at };
    case 'discard':
      return { ResultPath: null };
  }
}

/**
 * A Task invoking a Lambda function through the optimised integration.
 * `payload` is either one path (the whole selection is the event) or field → path references.
 */
export function lambdaInvoke(
  functionArn: string,
  payload: JsonPath | Readonly<Record<string, JsonPath>>,
  opts: LambdaInvokeOptions,
): TaskState {
  if (typeof payload === 'string' && opts.constants !== undefined)
    throw new InvalidStateError('constants need a field → path payload');
  for (const key of Object.keys(opts.constants ?? {})) {
    if (key.endsWith('.$') || (typeof payload !== 'string' && key in payload))
      throw new InvalidStateError(`constant ${JSON.stringify(key)} clashes with a reference`);
  }
  const parameters: PayloadTemplate =
    typeof payload === 'string'
      ? { FunctionName: functionArn, 'Payload.$': payload }
      : { FunctionName: functionArn, Payload: { ...refs(payload), ...opts.constants } };
  return {
    Type: 'Task',
    Comment: opts.comment,
    Resource: LAMBDA_INVOKE_RESOURCE,
    Parameters: parameters,
    ...resultFields(opts.result),
    TimeoutSeconds: opts.timeoutSeconds,
    Retry: opts.retry && [...opts.retry],
    Catch: opts.catch && [...opts.catch],
    ...toTransition(opts),
  };
}
