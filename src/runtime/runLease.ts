import type { StageHandlers } from '../extraction/stageHandlers';
import { isMergeEvent } from '../extraction/stageHandlers';
import type { RunStore } from '../storage/RunStore';
import { RunLeaseHeldError } from '../storage/errors';
import type { RunLease } from '../storage/runLease';
import { RunInProgressError } from './errors';

export interface RunLeaseOptions {
  /** How long a lease lives without renewal: longer than one invocation of the longest stage. */
  ttlMs: number;
  /** This process, for the refusal message (null on Lambda, where a pid means nothing to the user). */
  pid?: number | null;
  host?: string | null;
  /** May an unexpired lease be taken over (locally: its process is known to be gone)? */
  canTakeOver?: (existing: RunLease) => boolean;
}

const eventField = (event: unknown, field: string): string | undefined => {
  const v = (event as Record<string, unknown> | null)?.[field];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
};

/**
 * One execution per run id: planning takes the run's lease in the bucket (a conditional put, so two
 * executions started at once cannot both get it), every lane, window or data-set merge invocation renews it, and the collector
 * gives it back. An execution that finds the lease held stops with RunInProgressError, which no Retry matches,
 * and its collector leaves the other execution's run alone. The same wrapper serves Lambda and the local stack.
 */
export function withRunLease(
  handlers: StageHandlers,
  store: RunStore,
  options: RunLeaseOptions,
): StageHandlers {
  // Invocations of one execution in this process share a renewal: lanes start together, and a lease renewed
  // less than a tenth of its life ago needs no other write.
  const recent = new Map<string, { at: number; pending: Promise<void> }>();
  const take = async (event: unknown): Promise<void> => {
    const runId = eventField(event, 'runId');
    const holder = eventField(event, 'executionName');
    if (!runId || !holder) return; // an event from a definition without the execution name: no lease
    const id = `${runId}/${holder}`;
    const last = recent.get(id);
    if (last && Date.now() - last.at < options.ttlMs / 10) return last.pending;
    const pending = acquire(runId, holder);
    recent.set(id, { at: Date.now(), pending });
    pending.catch(() => recent.delete(id));
    return pending;
  };
  const acquire = async (runId: string, holder: string): Promise<void> => {
    try {
      await store.acquireLease(runId, {
        holder,
        ttlMs: options.ttlMs,
        pid: options.pid,
        host: options.host,
        canTakeOver: options.canTakeOver,
      });
    } catch (err) {
      if (err instanceof RunLeaseHeldError) throw new RunInProgressError(err.message, { cause: err });
      throw err;
    }
  };
  return {
    ...handlers,
    'time-range-mapper': async (event) => {
      await take(event);
      return handlers['time-range-mapper'](event);
    },
    'symbol-processor': async (event) => {
      await take(event);
      return handlers['symbol-processor'](event);
    },
    'symbol-searcher': async (event) => {
      await take(event);
      return handlers['symbol-searcher'](event);
    },
    'result-collector': async (event) => {
      // A data set merged while the run's other lanes still run works under the lease like a lane: renews it.
      if (isMergeEvent(event)) {
        await take(event);
        return handlers['result-collector'](event);
      }
      const failure = (event as { failure?: { Error?: unknown } } | null)?.failure;
      if (failure?.Error === 'RunInProgressError')
        throw new RunInProgressError('the run belongs to another execution: nothing collected');
      const runId = eventField(event, 'runId');
      const holder = eventField(event, 'executionName');
      try {
        return await handlers['result-collector'](event);
      } finally {
        if (runId && holder) {
          recent.delete(`${runId}/${holder}`);
          await store.releaseLease(runId, holder).catch(() => undefined);
        }
      }
    },
  };
}
