import { InvalidStateMachineArnError } from './errors';

/**
 * An execution ARN: `arn:aws:states:<region>:<account>:execution:<machine>:<name>`. The local engine uses the
 * same shape with region `local` and account `000000000000`.
 */
export const EXECUTION_ARN_PATTERN =
  '^arn:aws(-[a-z]+)*:states:[a-z0-9-]{1,30}:[0-9]{12}:execution:[A-Za-z0-9_-]{1,80}:[A-Za-z0-9_-]{1,80}$';

const EXECUTION_ARN = new RegExp(EXECUTION_ARN_PATTERN);

export function isExecutionArn(value: string): boolean {
  return EXECUTION_ARN.test(value);
}

const STATE_MACHINE_ARN =
  /^arn:(aws(?:-[a-z]+)*):states:([a-z0-9-]{1,30}):([0-9]{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/;

/** Checks the shape once, at start-up, so that a typo is refused then rather than on every request. */
export function parseStateMachineArn(arn: string): string {
  if (!STATE_MACHINE_ARN.test(arn)) throw new InvalidStateMachineArnError(arn);
  return arn;
}

/** `arn:aws:states:local:000000000000:stateMachine:<name>`: the local engine's state machine. */
export function localStateMachineArn(name: string): string {
  return `arn:aws:states:local:000000000000:stateMachine:${name}`;
}

/** The state machine an execution ARN belongs to: same partition, region, account and machine name. */
export function stateMachineOf(executionArn: string): string {
  const parts = executionArn.split(':');
  return [...parts.slice(0, 5), 'stateMachine', parts[6] ?? ''].join(':');
}

/** True when the (well-formed) execution ARN is one of this deployment's state machine's executions. */
export function belongsTo(executionArn: string, stateMachineArn: string): boolean {
  return stateMachineOf(executionArn) === stateMachineArn;
}
