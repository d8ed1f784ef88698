/** The base of the CLI's own errors; `cause` keeps the error that led to it. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An output or state path that cannot be used: said before the first request. */
export class OutputPathError extends CliError {
  override readonly name = 'OutputPathError';
}
