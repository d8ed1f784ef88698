import type { ExtractionRequest } from '../core/request';
import { recordExecution, addProcessingLog } from '../db';
import type { ApiContext } from './context';
import { executionLinks } from './views';

/** Starts a run and records it in the database (so /orders/list shows it even if the engine forgets). */
export async function startExecution(ctx: ApiContext, request: ExtractionRequest) {
  const started = await ctx.deps.engine.start(request);
  const now = ctx.now();
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
  return {
    executionArn: started.executionArn,
    name: started.name,
    startDate: started.startDate.toISOString(),
    status: 'RUNNING',
    links: executionLinks(started.executionArn),
  };
}
