import type { StateMachineDefinition } from './types';

/** One finding of asl-validator 4 (its own field names). */
export interface AslValidationError {
  'Error code': string;
  Message: string;
}

export interface AslValidateOptions {
  /** Check the syntax of paths (default true). */
  checkPaths?: boolean;
  /** Check that Task Resources are ARNs (default true). */
  checkArn?: boolean;
}

interface AslValidatorResult {
  isValid: boolean;
  errors: AslValidationError[];
}

type AslValidator = (definition: unknown, options?: AslValidateOptions) => AslValidatorResult;

/**
 * asl-validator ships no type declarations; this is the slice of its API we use. Loaded on first
 * use so that code importing the builders (functions, infra) does not pull it in.
 */
function loadValidator(): AslValidator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('asl-validator');
}

/**
 * Validates a definition with asl-validator and returns its errors (empty when valid).
 * asl-validator writes `QueryLanguage` into every state it visits, so it gets a deep clone.
 */
export function validateAsl(
  definition: StateMachineDefinition,
  options: AslValidateOptions = {},
): AslValidationError[] {
  const { errors } = loadValidator()(structuredClone(definition), {
    checkPaths: options.checkPaths ?? true,
    checkArn: options.checkArn ?? true,
  });
  return errors.map((e) => ({ 'Error code': e['Error code'], Message: e.Message }));
}
