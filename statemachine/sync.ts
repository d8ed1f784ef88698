/**
 * The archive-sync state machine: one sync of the account's archive (src/archive/sync.ts) as three tasks, so that
 * no part of it has to fit into one Lambda invocation and a failed step leaves the archive as it was.
 *
 *   PrepareSync (sync-prepare Lambda: identity, open orders, the request; its context saved under the run)
 *   → Extract (the extraction state machine as a nested execution, waited for: startExecution.sync:2)
 *   → CommitSync (sync-commit Lambda: merges every data set, the manifest last, garbage, database)
 *   → Synced.
 *
 * Execution input: the sync's options `{ markets?, kinds?, datasets?, taxSpanDays? }` (the schedule sends `{}`).
 * Output: the commit's SyncReport. Any failure ends in SyncFailed, whose Error and Cause are the failing step's
 * (a failed extraction: `States.TaskFailed`, its Cause holding the nested execution's Error and Cause). Nothing
 * before CommitSync writes under archive/, and CommitSync writes the manifest last, so the archive is then as it
 * was; the next sync asks again. A retried commit whose manifest was already written ends in AlreadyCommitted.
 * No secret is in any payload: the Lambdas read the credentials from Secrets Manager.
 */
import {
  catchAll,
  defineStateMachine,
  fail,
  lambdaInvoke,
  startExecutionSync,
  succeed,
  type StateMachineDefinition,
  type TaskState,
} from './asl';
import { taskRetriers } from './retryPolicy';

export const SYNC_LAMBDA_NAMES = ['sync-prepare', 'sync-commit'] as const;
export type SyncLambdaName = (typeof SYNC_LAMBDA_NAMES)[number];

export interface SyncMachineOptions {
  functionArns: Record<SyncLambdaName, string>;
  /** The extraction state machine the sync runs as a nested execution. */
  extractionArn: string;
  /** Task TimeoutSeconds of the two Lambda tasks (default 960: Lambda's maximum plus a minute). */
  taskTimeoutSeconds?: number;
  /** How long the nested extraction may run (default: 24 hours; a first sync of a large account takes hours). */
  extractionTimeoutSeconds?: number;
}

/** Task state → the function it invokes (the local engine binds handlers by state name). */
export const SYNC_TASK_STATES = {
  PrepareSync: 'sync-prepare',
  CommitSync: 'sync-commit',
} as const satisfies Record<string, SyncLambdaName>;

/** The nested execution's state. */
export const EXTRACT_STATE = 'Extract';

const FAILED = 'SyncFailed';
const DEFAULT_TASK_TIMEOUT_SECONDS = 960;
const DEFAULT_EXTRACTION_TIMEOUT_SECONDS = 24 * 3600;

export function buildSyncStateMachine(opts: SyncMachineOptions): StateMachineDefinition {
  const timeoutSeconds = opts.taskTimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS;
  const toFailure = [catchAll(FAILED, '$.failure')];
  const prepare: TaskState = lambdaInvoke(opts.functionArns['sync-prepare'], '$', {
    result: { as: 'fields', at: '$.prepared', fields: ['runId', 'request'] },
    retry: taskRetriers(),
    catch: toFailure,
    timeoutSeconds,
    next: EXTRACT_STATE,
  });
  const extract: TaskState = startExecutionSync(
    opts.extractionArn,
    { runId: '$.prepared.runId', request: '$.prepared.request' },
    {
      result: {
        as: 'fields',
        at: '$.extraction',
        fields: { status: '$.Status', complete: '$.Output.complete' },
      },
      // The extraction retries its own tasks; a run that failed all the same fails this sync (the archive is as
      // it was, the next sync asks again).
      catch: toFailure,
      timeoutSeconds: opts.extractionTimeoutSeconds ?? DEFAULT_EXTRACTION_TIMEOUT_SECONDS,
      next: 'CommitSync',
    },
  );
  const commit: TaskState = lambdaInvoke(
    opts.functionArns['sync-commit'],
    { runId: '$.prepared.runId', extraction: '$.extraction' },
    {
      result: { as: 'state' },
      retry: taskRetriers(),
      catch: [
        { ErrorEquals: ['SyncAlreadyCommittedError'], Next: 'AlreadyCommitted', ResultPath: '$.failure' },
        ...toFailure,
      ],
      timeoutSeconds,
      next: 'Synced',
    },
  );
  return defineStateMachine({
    Comment: 'Bitget archive sync: prepare, extract (nested execution), commit.',
    StartAt: 'PrepareSync',
    States: {
      PrepareSync: prepare,
      [EXTRACT_STATE]: extract,
      CommitSync: commit,
      Synced: succeed(),
      AlreadyCommitted: succeed({
        comment: 'a retried commit: the manifest of this run was written already',
      }),
      [FAILED]: fail({ errorPath: '$.failure.Error', causePath: '$.failure.Cause' }),
    },
  });
}

/** The definition as stable, pretty JSON (for infra and for inspection). */
export function syncDefinitionJson(opts: SyncMachineOptions): string {
  return `${JSON.stringify(buildSyncStateMachine(opts), null, 2)}\n`;
}
