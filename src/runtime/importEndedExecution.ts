import type { S3Client } from '@aws-sdk/client-s3';
import type { ExecutionEngine, ExecutionStatus } from '../core/engine';
import { addProcessingLog, factsFromDescription, getExecution, importRun, recordExecution } from '../db';
import type { Database, ImportOutcome } from '../db';
import { parseExecutionStatusEvent } from './executionStatusEvent';

export interface EndedExecutionDeps {
  /** Describes the execution the event names (SfnEngine on AWS). */
  engine: ExecutionEngine;
  /** The only state machine whose executions are imported. */
  stateMachineArn: string;
  /** The run bucket: a result elsewhere is refused (the function may read no other bucket). */
  bucket: string;
  db: Database;
  s3: S3Client;
  now: () => number;
}

/** What one event did: a succeeded run imported (or found imported already), any other ending recorded. */
export type EndedExecutionOutcome =
  | {
      executionArn: string;
      status: 'SUCCEEDED';
      import: ImportOutcome['status'];
      importedOrders: number;
      insertedNow: number;
    }
  | { executionArn: string; status: Exclude<ExecutionStatus, 'SUCCEEDED'>; import: 'not-imported' };

/** The event names an execution of another state machine (a rule that matches too much). */
export class ForeignExecutionError extends Error {
  override readonly name = 'ForeignExecutionError';
}

/** A SUCCEEDED execution without the result collector's output: nothing to import, and that is a defect. */
export class MissingRunOutputError extends Error {
  override readonly name = 'MissingRunOutputError';
}

/**
 * Handles a Step Functions status change: asks the engine for the execution (the event's own output may be
 * left out), records what it says, and imports a succeeded run's result through importRun — the API's import,
 * streaming and idempotent, so a repeated event adds nothing. FAILED, TIMED_OUT and ABORTED executions are
 * recorded with their error and a processing log line, never imported.
 */
export async function importEndedExecution(
  deps: EndedExecutionDeps,
  event: unknown,
): Promise<EndedExecutionOutcome> {
  const { detail } = parseExecutionStatusEvent(event);
  if (detail.stateMachineArn !== deps.stateMachineArn) {
    throw new ForeignExecutionError(
      `execution ${detail.executionArn} belongs to ${detail.stateMachineArn}, not to ${deps.stateMachineArn}`,
    );
  }
  const description = await deps.engine.describe(detail.executionArn);
  const before = await getExecution(deps.db, description.executionArn);
  await recordExecution(deps.db, factsFromDescription(description), deps.now());
  if (description.status === 'SUCCEEDED') {
    if (!description.output) {
      throw new MissingRunOutputError(`execution ${description.executionArn} succeeded without a run output`);
    }
    if (description.output.bucket !== deps.bucket) {
      throw new ForeignExecutionError(
        `execution ${description.executionArn} wrote its result to bucket ${description.output.bucket}, not to ${deps.bucket}`,
      );
    }
    const outcome = await importRun(
      deps.db,
      deps.s3,
      { ...description.output, executionArn: description.executionArn, name: description.name },
      { now: deps.now },
    );
    return {
      executionArn: description.executionArn,
      status: 'SUCCEEDED',
      import: outcome.status,
      importedOrders: outcome.importedOrders,
      insertedNow: outcome.insertedNow,
    };
  }
  // Logged once per ending: a repeated event finds the status recorded already.
  if (description.status !== 'RUNNING' && before?.status !== description.status) {
    const why = [description.error, description.cause].filter(Boolean).join(': ');
    await addProcessingLog(
      deps.db,
      description.executionArn,
      'warn',
      `execution ended ${description.status}${why ? ` (${why})` : ''}; its result is not imported`,
      deps.now(),
    );
  }
  return { executionArn: description.executionArn, status: description.status, import: 'not-imported' };
}
