/**
 * What the prepare stage of a sync learnt and the commit stage needs: saved as JSON under the run
 * (`runs/<runId>/sync.json`, expiring with the run) and checked with zod when read back, so that the two stages
 * may run in different processes (two Lambdas of the sync state machine) with the extraction in between.
 */
import { z } from 'zod';
import { DATASET_NAMES } from '../core/dataset';
import type { CanonicalOrder } from '../core/order';
import { KINDS, MARKETS } from '../core/order';
import type { RunStore } from '../storage/RunStore';
import { runKeys } from '../storage/keys';
import { orderRecordSchema } from './dataset';
import { SyncContextMissingError } from './errors';

const syncContextSchema = z.object({
  runId: z.string().min(1),
  uid: z.string().min(1),
  mode: z.enum(['classic', 'uta']),
  markets: z.array(z.enum(MARKETS)),
  kinds: z.array(z.enum(KINDS)),
  datasets: z.array(z.enum(DATASET_NAMES)).min(1),
  /** The exchange's time of the sync: the end of what it asks. */
  until: z.number().int(),
  /** The run's `since` (null: everything Bitget serves) and each stream's own start. */
  since: z.number().int().nullable(),
  streamSince: z.record(z.string(), z.number().int()),
  listedSpotSymbols: z.array(z.string()).optional(),
  /** The order streams whose open orders were asked in full. */
  due: z.array(z.string()),
  /** The open orders at `until`, with their current status. */
  open: z.array(orderRecordSchema),
  /** Requests of the prepare stage (time, mode, identity, symbols, open orders). */
  requests: z.number().int().min(0),
  /** The archive's generation the sync was prepared on: the commit refuses an archive that moved since. */
  generation: z.number().int().min(0),
});

export type SyncContext = Omit<z.output<typeof syncContextSchema>, 'open'> & { open: CanonicalOrder[] };

export function saveSyncContext(store: RunStore, context: SyncContext): Promise<void> {
  return store.putJson(runKeys(context.runId).sync, context);
}

/** The context the prepare stage saved for `runId`; a clear error when there is none. */
export async function readSyncContext(store: RunStore, runId: string): Promise<SyncContext> {
  const context = await store.getJson(runKeys(runId).sync, syncContextSchema);
  if (!context)
    throw new SyncContextMissingError(
      `run ${runId} has no sync context (${runKeys(runId).sync}): it was not prepared as a sync, or its working files expired`,
    );
  if (context.runId !== runId)
    throw new SyncContextMissingError(`${runKeys(runId).sync} belongs to run ${context.runId}, not ${runId}`);
  // The schema checked the fields the archive relies on; the rest of each order passes through as written.
  return { ...context, open: context.open as unknown as CanonicalOrder[] };
}
