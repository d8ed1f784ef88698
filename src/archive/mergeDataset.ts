/**
 * Merging one data set's records from a run's result into the archive: what a sync hands over per data set
 * (fills, the ledger; orders keep their own path in sync.ts, with their open orders). Partitions first, the
 * manifest last: `stageDataset` writes the partitions and returns the data set's next state, `mergeDataset`
 * also commits it (the manifest, then the objects no manifest names are deleted).
 */
import type { ArchiveStore } from './ArchiveStore';
import { advanceCoverage, newGaps } from './coverage';
import type { DatasetSpec } from './dataset';
import { monthOf } from './dataset';
import type { DatasetState, Gap, Manifest, PartitionEntry, Span } from './manifest';
import { emptyDatasetState, emptyManifest, KEEP_CONFLICTS } from './manifest';
import type { MergeConflict } from './merge';
import { mergeRecords } from './merge';

/** A stream the run covered (named by coverage.ts's `endpointStream`), and the span Bitget served it. */
export interface CoveredStream {
  stream: string;
  served: Span;
}

export interface DatasetMergeInput<R> {
  /** The result's records of this data set; sorted by time is cheapest (one partition after the other). */
  records: AsyncIterable<R> | Iterable<R>;
  /** Every stream the run asked in full, even those that served nothing: their coverage advances. */
  streams: readonly CoveredStream[];
  /** The exchange's time of the sync (when a gap was found). */
  at: number;
}

export interface DatasetMergeReport {
  dataset: string;
  /** Records the result held. */
  fetched: number;
  added: number;
  /** Records whose key the archive already held (or that the result held twice): kept once. */
  duplicates: number;
  /** Duplicates whose values differ from the archived copy: the archived copy is kept, the key reported. */
  conflicts: MergeConflict[];
  /** Records of the data set in the archive after the merge. */
  records: number;
  partitionsWritten: number;
  gaps: Gap[];
}

/** Writes the partitions the records change (under `generation`) and returns the data set's next state. */
export async function stageDataset<R>(
  archive: ArchiveStore,
  manifest: Manifest,
  dataset: DatasetSpec<R>,
  generation: number,
  input: DatasetMergeInput<R>,
): Promise<{ state: DatasetState; report: DatasetMergeReport }> {
  const state = manifest.datasets[dataset.name] ?? emptyDatasetState();
  const partitions = new Map<string, PartitionEntry>(state.partitions.map((p) => [p.month, p]));
  const report: DatasetMergeReport = {
    dataset: dataset.name,
    fetched: 0,
    added: 0,
    duplicates: 0,
    conflicts: [],
    records: 0,
    partitionsWritten: 0,
    gaps: [],
  };
  const mergeMonth = async (month: string, incoming: R[]): Promise<void> => {
    const held = partitions.get(month);
    const archived = held ? await archive.readPartition(dataset, held) : [];
    const merged = mergeRecords(dataset, archived, incoming);
    report.added += merged.added + merged.updated;
    report.duplicates += merged.duplicates;
    report.conflicts.push(...merged.conflicts);
    if (merged.added + merged.updated === 0) return;
    partitions.set(month, await archive.writePartition(dataset, month, generation, merged.records));
    report.partitionsWritten += 1;
  };
  // A sorted result brings its months one after the other; a month seen again is merged again (into the
  // partition this generation wrote), so an unsorted one is merged right too.
  let month: string | null = null;
  let batch: R[] = [];
  for await (const record of input.records) {
    report.fetched += 1;
    const m = monthOf(dataset.time(record));
    if (m !== month) {
      if (month !== null) await mergeMonth(month, batch);
      month = m;
      batch = [];
    }
    batch.push(record);
  }
  if (month !== null) await mergeMonth(month, batch);

  let streams = state.streams;
  for (const { stream, served } of input.streams) {
    const covered = { ...state, streams };
    report.gaps.push(...newGaps(covered, [stream], served, input.at));
    streams = advanceCoverage(covered, [stream], served);
  }
  const next: DatasetState = {
    ...state,
    partitions: [...partitions.values()].sort((a, b) => (a.month < b.month ? -1 : 1)),
    streams,
    gaps: [...state.gaps, ...report.gaps],
  };
  if (report.conflicts.length > 0)
    next.conflicts = [
      ...(state.conflicts ?? []),
      ...report.conflicts.map((c) => ({ ...c, detectedAt: input.at })),
    ].slice(-KEEP_CONFLICTS);
  report.records = next.partitions.reduce((n, p) => n + p.records, 0);
  return { state: next, report };
}

/** Merges one data set into the account's archive and commits it: a generation of its own. */
export async function mergeDataset<R>(
  archive: ArchiveStore,
  dataset: DatasetSpec<R>,
  input: DatasetMergeInput<R>,
): Promise<DatasetMergeReport & { generation: number }> {
  const manifest = (await archive.readManifest()) ?? emptyManifest(archive.uid);
  const generation = manifest.generation + 1;
  const { state, report } = await stageDataset(archive, manifest, dataset, generation, input);
  const next: Manifest = {
    ...manifest,
    generation,
    datasets: { ...manifest.datasets, [dataset.name]: state },
    lastSync: Math.max(manifest.lastSync ?? input.at, input.at),
  };
  await archive.writeManifest(next);
  await archive.collectGarbage(next);
  return { ...report, generation };
}
