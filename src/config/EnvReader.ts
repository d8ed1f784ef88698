import { MissingConfigurationError } from './errors';

/**
 * Typed reads of the environment, as Powertools' envUtils: every function reads its configuration through
 * one of these, so a missing or malformed variable is always a MissingConfigurationError naming it. A
 * variable set to blanks counts as absent.
 */
export class EnvReader {
  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** The function reading it, named in the error (`… is required by the api function`). */
    private readonly usedBy?: string,
  ) {}

  /** The value, or undefined when the variable is absent or blank. */
  optional(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw this.missing(name);
    return value;
  }

  /** A positive integer of at most six digits, or undefined when the variable is absent or blank. */
  positiveInt(name: string): number | undefined {
    const value = this.optional(name)?.trim();
    if (value === undefined) return undefined;
    if (!/^[1-9][0-9]{0,5}$/.test(value)) {
      throw this.missing(`${name} (a positive integer, got ${JSON.stringify(value)})`);
    }
    return Number(value);
  }

  /** The error for a variable that is missing, or (described in `variable`) not usable. */
  missing(variable: string): MissingConfigurationError {
    return new MissingConfigurationError(variable, this.usedBy);
  }
}
