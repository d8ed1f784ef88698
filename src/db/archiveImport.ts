/**
 * Bringing the database up to the archive's manifest, one data set at a time: every partition the manifest
 * names that the database has not imported yet is read (and checked against its count and checksum), written
 * in batches, and its key recorded in the same transaction as its last batch, so an import interrupted at any
 * moment resumes with the first partition not recorded (re-writing a batch changes nothing).
 */
import type { Transaction } from 'kysely';
import type { ArchiveStore } from '../archive/ArchiveStore';
import type { DatasetSpec } from '../archive/dataset';
import type { Manifest } from '../archive/manifest';
import type { Database } from './connection';
import type { Tables } from './schema';

export interface DatasetImportOutcome {
  inserted: number;
  /** Rows replaced by a newer version (orders only: a fill or a ledger entry never changes). */
  updated: number;
  /** Partitions imported by this call. */
  partitions: number;
}

/** Writes one partition's records in batches; `done` runs inside the transaction of the last one. */
export type PartitionWriter<R> = (
  records: R[],
  done: (trx: Transaction<Tables>) => Promise<void>,
) => Promise<{ inserted: number; updated?: number }>;

/** The partition keys the database has imported for the account (of every data set: keys name their data set). */
export async function importedPartitions(database: Database, uid: string): Promise<Set<string>> {
  const rows = await database.db
    .selectFrom('archive_partitions')
    .select('partition_key')
    .where('uid', '=', uid)
    .execute();
  return new Set(rows.map((r) => r.partition_key));
}

export async function importDataset<R>(
  database: Database,
  archive: ArchiveStore,
  manifest: Manifest,
  dataset: DatasetSpec<R>,
  imported: ReadonlySet<string>,
  write: PartitionWriter<R>,
  beforeWrite: () => void | Promise<void>,
): Promise<DatasetImportOutcome> {
  const uid = manifest.uid;
  const outcome: DatasetImportOutcome = { inserted: 0, updated: 0, partitions: 0 };
  for (const entry of manifest.datasets[dataset.name]?.partitions ?? []) {
    if (imported.has(entry.key)) continue;
    const records = await archive.readPartition(dataset, entry);
    await beforeWrite();
    const o = await write(records, async (trx) => {
      await trx
        .insertInto('archive_partitions')
        .values({ uid, partition_key: entry.key, records: entry.records, imported_at: Date.now() })
        .execute();
    });
    outcome.inserted += o.inserted;
    outcome.updated += o.updated ?? 0;
    outcome.partitions += 1;
  }
  return outcome;
}

/** Forgets imported keys the manifest no longer names (a partition rewritten under a new generation). */
export async function forgetStalePartitions(
  database: Database,
  manifest: Manifest,
  imported: ReadonlySet<string>,
): Promise<void> {
  const named = new Set(Object.values(manifest.datasets).flatMap((d) => d.partitions.map((p) => p.key)));
  const stale = [...imported].filter((k) => !named.has(k));
  if (stale.length > 0)
    await database.db
      .deleteFrom('archive_partitions')
      .where('uid', '=', manifest.uid)
      .where('partition_key', 'in', stale)
      .execute();
}
