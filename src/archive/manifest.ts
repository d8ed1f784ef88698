/**
 * The manifest: the one document readers follow (`archive/<uid>/manifest.json`, written last). It names every
 * partition with its count and checksum, and per data set the span each stream covers, the gaps, and the
 * orders last seen open (a later sync asks again from their creation time, since Bitget may list an order in
 * history only once it has finished).
 */
import { z } from 'zod';

const ms = z.number().int();

export const partitionEntrySchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  key: z.string(),
  records: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Smallest and largest record time inside. */
  from: ms,
  to: ms,
  /** The same records as Parquet (for Athena), written before the manifest like the NDJSON. */
  parquet: z.object({ key: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
});
export type PartitionEntry = z.infer<typeof partitionEntrySchema>;

export const spanSchema = z.object({ from: ms, to: ms });
export type Span = z.infer<typeof spanSchema>;

export const gapSchema = z.object({
  stream: z.string(),
  from: ms,
  to: ms,
  /** When the sync that found the hole ran (exchange time). */
  detectedAt: ms,
});
export type Gap = z.infer<typeof gapSchema>;

export const openRefSchema = z.object({
  stream: z.string(),
  key: z.string(),
  cTime: ms,
  symbol: z.string().optional(),
});
export type OpenRef = z.infer<typeof openRefSchema>;

export const conflictSchema = z.object({
  key: z.string(),
  /** The canonical fields whose values differed from the archived copy (which was kept). */
  fields: z.array(z.string()),
  detectedAt: ms,
});
export type Conflict = z.infer<typeof conflictSchema>;

export const datasetStateSchema = z.object({
  partitions: z.array(partitionEntrySchema),
  /** Per stream, the creation-time span [from, to) that syncs fetched while Bitget served it. */
  streams: z.record(z.string(), spanSchema),
  gaps: z.array(gapSchema),
  open: z.array(openRefSchema),
  /**
   * Per stream, when a sync last asked its open-order endpoints in full (absent: at its covered end, as every
   * sync did before streams could be skipped). An order created after it may be open and unseen, so the next
   * sync asks history from there.
   */
  openChecked: z.record(z.string(), ms).optional(),
  /**
   * A data set whose records never change once made (fills, ledger): keys a sync brought again with other
   * values, the newest KEEP_CONFLICTS. The archived copy stays; the exchange (or the normaliser) changed its mind.
   */
  conflicts: z.array(conflictSchema).optional(),
});
export type DatasetState = z.infer<typeof datasetStateSchema>;

export const syncEntrySchema = z.object({
  at: ms,
  runId: z.string(),
  added: z.number().int(),
  updated: z.number().int(),
  requests: z.number().int(),
  served: spanSchema.nullable(),
});
export type SyncEntry = z.infer<typeof syncEntrySchema>;

export const manifestSchema = z.object({
  format: z.literal(1),
  uid: z.string(),
  /** Increases by one with every sync that commits; partition keys carry the generation that wrote them. */
  generation: z.number().int().nonnegative(),
  datasets: z.record(z.string(), datasetStateSchema),
  lastSync: ms.nullable(),
  /** The last syncs, newest last (at most KEEP_SYNCS). */
  syncs: z.array(syncEntrySchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const KEEP_SYNCS = 100;
export const KEEP_CONFLICTS = 100;

export function emptyManifest(uid: string): Manifest {
  return { format: 1, uid, generation: 0, datasets: {}, lastSync: null, syncs: [] };
}

export function emptyDatasetState(): DatasetState {
  return { partitions: [], streams: {}, gaps: [], open: [] };
}
