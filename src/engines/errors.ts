/**
 * The engines' own errors. What the API must recognise whichever engine threw it (`ExecutionNotFoundError`,
 * `InvalidExecutionNameError`) lives in `core/errors.ts`.
 */
export class EngineError extends Error {
  override readonly name: string = 'EngineError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Step Functions returned something that is not what this state machine produces. */
export class InvalidExecutionDataError extends EngineError {
  override readonly name = 'InvalidExecutionDataError';
}
