export {
  buildExtractionStateMachine,
  extractionDefinitionJson,
  LAMBDA_NAMES,
  LAMBDA_SERVICE_ERROR_NAMES,
  RETRYABLE_ERROR_NAMES,
  TASK_STATES,
  type ExtractionMachineOptions,
  type LambdaName,
  type TaskLambdaName,
  type TaskStateName,
} from './extraction';
export {
  bindLocalHandlers,
  immediateRetries,
  localFailure,
  startLocalExecution,
  validateLocalDefinition,
  type LocalExecution,
  type LocalExecutionOptions,
  type LocalTaskHandler,
  type LocalTaskHandlers,
} from './local';
export { LambdaFunctionError, LocalInvokeError, StateMachineError } from './errors';
export { taskRetriers } from './retryPolicy';
export {
  buildSyncStateMachine,
  EXTRACT_STATE,
  SYNC_LAMBDA_NAMES,
  SYNC_TASK_STATES,
  syncDefinitionJson,
  type SyncLambdaName,
  type SyncMachineOptions,
} from './sync';
export { startLocalSyncExecution, type LocalSyncHandlers } from './syncLocal';
