import type { ExtractionRequest } from '../core/request';
import { recordExecution, addProcessingLog } from '../db';
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
