export type {
  AtMostOne,
  BooleanExpression,
  Branch,
  Catcher,
  ChoiceCondition,
  ChoiceRule,
  ChoiceState,
  ComparisonOperator,
  ComparisonOperators,
  DataTestExpression,
  ExactlyOne,
  FailState,
  InlineItemProcessor,
  JitterStrategy,
  JsonArray,
  JsonObject,
  JsonPath,
  JsonPrimitive,
  JsonValue,
  MapState,
  ParallelState,
  PassState,
  PayloadTemplate,
  Retrier,
  State,
  StateMachineDefinition,
  StateType,
  SucceedState,
  TaskState,
  Transition,
  WaitState,
} from './types';
export { and, booleanEquals, choice, isPresent, not, or, stringEquals, when } from './choice';
export { catchAll, exponentialRetry, type BackoffOptions } from './errorHandling';
export { AslError, describeIssue, InvalidStateError, StateGraphError, type GraphIssue } from './errors';
export { allStates, checkGraph, defineStateMachine, nestedBranches, successors } from './graph';
export {
  LAMBDA_INVOKE_RESOURCE,
  lambdaInvoke,
  type InvokeResult,
  type LambdaInvokeOptions,
} from './lambdaInvoke';
export {
  START_EXECUTION_SYNC_RESOURCE,
  startExecutionSync,
  type ExecutionResult,
  type StartExecutionOptions,
} from './startExecution';
export { inlineMap, type InlineMapOptions } from './map';
export { parallel, type ParallelOptions } from './parallel';
export { mapUntilDone, type MapUntilDoneOptions, type UntilDoneStateNames } from './mapUntilDone';
export { refs } from './payload';
export { fail, succeed } from './terminal';
export { toTransition, type Then } from './transition';
export { validateAsl, type AslValidateOptions, type AslValidationError } from './validate';
