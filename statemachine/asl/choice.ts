import { InvalidStateError } from './errors';
import type { ChoiceCondition, ChoiceRule, ChoiceState, DataTestExpression, JsonPath } from './types';

/** `{ Variable, BooleanEquals }`. */
export function booleanEquals(variable: JsonPath, value: boolean): DataTestExpression {
  return { Variable: variable, BooleanEquals: value };
}

/** `{ Variable, IsPresent }`. */
export function isPresent(variable: JsonPath, value = true): DataTestExpression {
  return { Variable: variable, IsPresent: value };
}

/** `{ Variable, StringEquals }`. */
export function stringEquals(variable: JsonPath, value: string): DataTestExpression {
  return { Variable: variable, StringEquals: value };
}

export function and(...conditions: ChoiceCondition[]): ChoiceCondition {
  return { And: conditions };
}

export function or(...conditions: ChoiceCondition[]): ChoiceCondition {
  return { Or: conditions };
}

export function not(condition: ChoiceCondition): ChoiceCondition {
  return { Not: condition };
}

/** A rule: when `condition` holds, go to `next`. */
export function when(condition: ChoiceCondition, next: string): ChoiceRule {
  return { ...condition, Next: next };
}

/** A Choice state; `otherwise` is the Default (omit it only if some rule always matches). */
export function choice(rules: readonly ChoiceRule[], otherwise?: string, comment?: string): ChoiceState {
  if (rules.length === 0) throw new InvalidStateError('a Choice needs at least one rule');
  return {
    Type: 'Choice',
    Comment: comment,
    Choices: [...rules],
    Default: otherwise,
  };
}
