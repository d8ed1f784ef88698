/** The base of the report's errors; `cause` keeps the error that led to it. */
export class ReportError extends Error {
  override readonly name: string = 'ReportError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The run has no result to report on (the CLI says so and exits 2). */
export class ReportSourceMissingError extends ReportError {
  override readonly name = 'ReportSourceMissingError';
}
