/** The ASL builders' errors: every one is an AslError, its `name` says which. */
export class AslError extends Error {
  override readonly name: string = 'AslError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A builder was asked for a state ASL does not allow (a Choice without rules, a Retrier without errors…). */
export class InvalidStateError extends AslError {
  override readonly name = 'InvalidStateError';
}

/** What is wrong with the shape of a state graph. */
export type GraphIssue =
  | { kind: 'missing-start'; scope: string; startAt: string }
  | { kind: 'dangling-next'; scope: string; from: string; to: string }
  | { kind: 'unreachable'; scope: string; state: string }
  | { kind: 'duplicate-name'; state: string }
  | { kind: 'no-terminal'; scope: string };

export function describeIssue(issue: GraphIssue): string {
  switch (issue.kind) {
    case 'missing-start':
      return `${issue.scope}: StartAt "${issue.startAt}" is not a state`;
    case 'dangling-next':
      return `${issue.scope}: "${issue.from}" goes to "${issue.to}", which is not a state in this scope`;
    case 'unreachable':
      return `${issue.scope}: "${issue.state}" cannot be reached from StartAt`;
    case 'duplicate-name':
      return `state name "${issue.state}" is used more than once in the machine`;
    case 'no-terminal':
      return `${issue.scope}: no state ends the execution`;
  }
}

export class StateGraphError extends AslError {
  override readonly name = 'StateGraphError';
  constructor(readonly issues: readonly GraphIssue[]) {
    super(`invalid state graph:\n${issues.map(describeIssue).join('\n')}`);
  }
}
