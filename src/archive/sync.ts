/**
 * One sync: fetch what the exchange serves that the archive does not hold in its latest state yet, and merge
 * it into the account's archive. Three steps, each of one job, so that on AWS each runs in its own task of the
 * sync state machine (statemachine/sync.ts) and none has to fit the whole sync into one Lambda invocation:
 *
 * 1. `prepareSync` (prepareSync.ts): identity, time, open orders, the extraction request with each stream's
 *    start; its context saved under the run.
 * 2. The extraction run itself (the same state machine, lanes and rate limiters as `extract`). An order open at T
 *    is in step 1; one that finished before T is in history with cTime < T: nothing that finishes weeks after its
 *    creation is lost by a sync that starts from a watermark.
 * 3. `commitSync` (commitSync.ts): the merge, partitions first and the manifest last, then garbage collection
 *    and the database import.
 *
 * `runSync` runs the three in order in one process (the CLI, the API, the bench), waiting for the run on the
 * engine it is given.
 */
import type { ExecutionDescription } from '../core/engine';
import { commitSync } from './commitSync';
import { prepareSync } from './prepareSync';
import type { SyncDeps, SyncOptions, SyncReport } from './syncTypes';

export type {
  DatasetSyncReport,
  ExtractionOutcome,
  SyncDeps,
  SyncOptions,
  SyncReport,
  SyncStageDeps,
} from './syncTypes';

export async function runSync(deps: SyncDeps, options: SyncOptions = {}): Promise<SyncReport> {
  const { runId, request } = await prepareSync(deps, options);
  const started = await deps.engine.start(request, runId);
  const execution = await waitFor(deps, started.executionArn);
  return commitSync(deps, runId, {
    status: execution.status,
    complete: execution.output?.complete,
    error: execution.error,
    cause: execution.cause,
  });
}

async function waitFor(deps: SyncDeps, executionArn: string): Promise<ExecutionDescription> {
  if (deps.engine.wait) return deps.engine.wait(executionArn);
  for (;;) {
    const execution = await deps.engine.describe(executionArn);
    if (execution.status !== 'RUNNING' && execution.status !== 'PENDING_REDRIVE') return execution;
    await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 2000));
  }
}
