/** The base of the configuration's errors: what the process was given to run with is missing or wrong. */
export class ConfigurationError extends Error {
  override readonly name: string = 'ConfigurationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause });
  }
}

/** Raised when credentials are missing or malformed. Its message names fields and variables, never values. */
export class CredentialsError extends ConfigurationError {
  override readonly name = 'CredentialsError';
}

/**
 * An environment variable a function needs is absent, empty or malformed. The message names the variable
 * (and the function, when the caller says which), never its value.
 */
export class MissingConfigurationError extends ConfigurationError {
  override readonly name = 'MissingConfigurationError';
  constructor(
    /** The variable, with what was wrong when it was set: `MAX_RUNNING_EXECUTIONS (a positive integer, …)`. */
    readonly variable: string,
    usedBy?: string,
  ) {
    super(`environment variable ${variable} is required${usedBy ? ` by the ${usedBy} function` : ''}`);
  }
}
