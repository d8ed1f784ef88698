import type { ExecutionDescription } from '../core/engine';
import type { ExecutionRecord } from '../db';
import type { ApiContext } from './context';
import { readRunProgress } from './runProgress';
import type { RunProgress } from './runProgress';
import { RunStore } from '../storage/RunStore';

const RESULT_KEY = /^results\/([A-Za-z0-9][A-Za-z0-9_-]{0,79})\//;

/** The run id of an execution: the engine's, else its result's, else the database's result keys. */
export function runIdOf(
  description: ExecutionDescription | undefined,
  record: ExecutionRecord | undefined,
): string | null {
  if (description?.runId) return description.runId;
  if (description?.output?.runId) return description.output.runId;
  const key = record?.result?.summaryKey ?? record?.result?.ordersJsonlKey;
  const match = key ? RESULT_KEY.exec(key) : null;
  return match ? match[1]! : null;
}

export function runStoreOf(ctx: ApiContext): RunStore {
  return new RunStore(ctx.deps.s3, ctx.deps.bucket);
}

/** The progress of a RUNNING execution; null when its run id is unknown or its state cannot be read. */
export async function progressOf(
  ctx: ApiContext,
  description: ExecutionDescription,
): Promise<RunProgress | null> {
  const runId = runIdOf(description, undefined);
  if (!runId || description.status !== 'RUNNING') return null;
  try {
    return await readRunProgress(runStoreOf(ctx), runId, description.startDate.getTime(), ctx.now());
  } catch (error) {
    ctx.log.warn({ err: error, runId }, 'run progress could not be read');
    return null;
  }
}
