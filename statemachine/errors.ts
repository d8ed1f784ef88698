/** Errors of running the extraction machine locally: every one is a StateMachineError. */
export class StateMachineError extends Error {
  override readonly name: string = 'StateMachineError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * An error as the lambda:invoke integration reports a function error: named after the function's error (Retry
 * and Catch match on the name), with `{"errorType","errorMessage"}` as a JSON message, the Cause AWS gives.
 * It chains no `cause`: aws-local-stepfunctions reports `error.cause ?? error.message` as the Cause.
 */
export class LambdaFunctionError extends StateMachineError {
  override readonly name: string;
  constructor(errorType: string, errorMessage: string) {
    super(JSON.stringify({ errorType, errorMessage }));
    this.name = errorType;
  }
}

/** The local lambda:invoke was handed a task input without the Payload its Parameters should have made. */
export class LocalInvokeError extends StateMachineError {
  override readonly name = 'LocalInvokeError';
}
