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
