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
  LambdaFunctionError,
  localFailure,
  startLocalExecution,
  type LocalExecution,
  type LocalExecutionOptions,
  type LocalTaskHandler,
  type LocalTaskHandlers,
} from './local';
export { taskRetriers } from './retryPolicy';
