import type { ExtractionRequest } from '../core/request';
import { factsFromDescription, recordExecution, addProcessingLog } from '../db';
import type { ApiContext } from './context';
import { executionLinks } from './views';

/**
 * Starts a run (if the cap on running executions allows) and records it in the database, so that
 * /orders/list shows it even if the engine forgets. A run that started but could not be recorded is still
 * answered 202, with `database_saved: false` and the reason.
 */
export async function startExecution(ctx: ApiContext, request: ExtractionRequest) {
  const started = await ctx.runningCap.admit(() => ctx.deps.engine.start(request));
  const now = ctx.now();
  let databaseSaved = true;
  try {
    await recordExecution(
      ctx.deps.db,
      {
        executionArn: started.executionArn,
        name: started.name,
        status: 'RUNNING',
        request,
        startDate: started.startDate,
      },
      now,
    );
    await addProcessingLog(ctx.deps.db, started.executionArn, 'info', 'execution started', now);
  } catch (error) {
    databaseSaved = false;
    ctx.log.error({ err: error, executionArn: started.executionArn }, 'execution not recorded');
  }
  importWhenSettled(ctx, started.executionArn);
  return {
    executionArn: started.executionArn,
    name: started.name,
    startDate: started.startDate.toISOString(),
    links: executionLinks(started.executionArn),
    execution_name: started.name,
    database_saved: databaseSaved,
    database_message: databaseSaved
      ? 'execution recorded in the database; its orders are imported when it succeeds (poll links.status)'
      : 'the execution started but the database could not record it; it is imported when polled once the database answers',
  };
}

/**
 * Engines that run executions in this process say when one ends: its outcome is recorded and a succeeded
 * result imported at that moment, not at the next poll. (On AWS the run-importer does, on the execution's
 * status-change event: src/runtime/runImporterFunction.ts.)
 */
function importWhenSettled(ctx: ApiContext, executionArn: string): void {
  const settled = ctx.deps.engine.whenSettled?.(executionArn);
  if (!settled) return;
  void settled
    .then(async (description) => {
      if (ctx.isClosed()) return;
      await withDeadlockRetry(() =>
        recordExecution(ctx.deps.db, factsFromDescription(description), ctx.now()),
      );
      if (description.status === 'SUCCEEDED' && description.output) {
        await ctx.importer.ensureImported(
          executionArn,
          description.name,
          description.output,
          ctx.importWaitMs,
        );
      }
    })
    .catch((error: unknown) => ctx.log.error({ err: error, executionArn }, 'import on completion failed'));
}

/** MySQL answers a deadlock with "try restarting transaction": the statement is retried, a few times. */
async function withDeadlockRetry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (error) {
      if (i >= attempts || (error as { code?: unknown }).code !== 'ER_LOCK_DEADLOCK') throw error;
    }
  }
}
