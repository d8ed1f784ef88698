import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ExtractionRequest } from './request';

/** Where a finished run's files are (S3 keys in the run bucket). */
export interface ResultLocation {
  bucket: string;
  runId: string;
  ordersJsonlKey: string;
  ordersJsonKey: string;
  summaryKey: string;
  /** Set when the run fetched fills / the ledger. */
  fillsJsonlKey?: string;
  ledgerJsonlKey?: string;
}

/** What the state machine returns when a run ends (the result-collector's output). */
export interface RunOutput extends ResultLocation {
  /** True only when every lane finished and nothing failed: a partial result is never called complete. */
  complete: boolean;
  orders: number;
  failure?: { error: string; cause: string };
}

/** Validates a state machine output on the way in (both engines read it). */
export const runOutputSchema = z.object({
  bucket: z.string().min(1),
  runId: z.string().min(1),
  ordersJsonlKey: z.string().min(1),
  ordersJsonKey: z.string().min(1),
  summaryKey: z.string().min(1),
  fillsJsonlKey: z.string().min(1).optional(),
  ledgerJsonlKey: z.string().min(1).optional(),
  complete: z.boolean(),
  orders: z.number().int().min(0),
  failure: z.object({ error: z.string(), cause: z.string() }).optional(),
});

export type ExecutionStatus =
  'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecutionDescription {
  executionArn: string;
  name: string;
  /** The run id the execution works on (its state and results live under it), when the engine knows it. */
  runId?: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: ExtractionRequest;
  output?: RunOutput;
  error?: string;
  cause?: string;
}

export interface StartedExecution {
  executionArn: string;
  name: string;
  startDate: Date;
}

/**
 * Runs the extraction state machine: in process through aws-local-stepfunctions (the embedded default) or on
 * AWS Step Functions through @aws-sdk/client-sfn. The API and the coordinator only see this interface.
 */
export interface ExecutionEngine {
  start(request: ExtractionRequest, name?: string): Promise<StartedExecution>;
  describe(executionArn: string): Promise<ExecutionDescription>;
  list(maxResults?: number): Promise<ExecutionDescription[]>;
  /**
   * Stops a RUNNING execution (StopExecution on AWS, an abort locally). The run's state stays in the bucket, so
   * starting its run id again resumes it.
   */
  stop?(executionArn: string, cause: string): Promise<void>;
  /** Resolves when the execution ends, for engines that run it in this process (the local engine). */
  whenSettled?(executionArn: string): Promise<ExecutionDescription>;
}

/** A run id that sorts by time and is unique: `run-20261121T234501Z-1a2b3c`. */
export function newRunId(at: Date = new Date()): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}
