import { z } from 'zod';

/** EventBridge's `detail-type` and `source` of a Step Functions execution's status change. */
export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';
export const STEP_FUNCTIONS_SOURCE = 'aws.states';

/** The statuses an execution ends with: the run-importer's rule matches these (and only these). */
export const ENDED_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/**
 * The part of the event the run-importer reads. Its input and output are left out on purpose: EventBridge drops
 * them above 256 KB, and the importer asks Step Functions for the execution instead.
 */
const executionStatusEventSchema = z.object({
  source: z.literal(STEP_FUNCTIONS_SOURCE),
  'detail-type': z.literal(EXECUTION_STATUS_CHANGE),
  detail: z.object({
    executionArn: z.string().min(1),
    stateMachineArn: z.string().min(1),
    name: z.string().min(1),
    status: z.string().min(1),
  }),
});

export type ExecutionStatusEvent = z.infer<typeof executionStatusEventSchema>;

/** Something other than a Step Functions status change reached the run-importer. */
export class InvalidExecutionEventError extends Error {
  override readonly name = 'InvalidExecutionEventError';
}

export function parseExecutionStatusEvent(event: unknown): ExecutionStatusEvent {
  const parsed = executionStatusEventSchema.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`);
    throw new InvalidExecutionEventError(
      `not a "${EXECUTION_STATUS_CHANGE}" event of ${STEP_FUNCTIONS_SOURCE}: ${problems.join('; ')}`,
    );
  }
  return parsed.data;
}
