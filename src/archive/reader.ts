/** Reading the archive: the manifest's partitions in order (records sorted), and its status. */
import type { RunStore } from '../storage/RunStore';
import { ArchiveStore } from './ArchiveStore';
import type { DatasetSpec } from './dataset';
import { ArchiveNotFoundError } from './errors';
import { ARCHIVE_PREFIX, UID_PATTERN } from './layout';
import type { Manifest } from './manifest';

/** The UIDs that have an archive in this bucket. */
export async function archivedAccounts(store: RunStore): Promise<string[]> {
  const keys = await store.list(ARCHIVE_PREFIX);
  const uids = new Set<string>();
  for (const key of keys) {
    const [, uid, rest] = key.split('/');
    if (uid && UID_PATTERN.test(uid) && rest === 'manifest.json') uids.add(uid);
  }
  return [...uids].sort();
}

/** The archive of `uid`, or the only one in the bucket when no uid is given. */
export async function openArchive(
  store: RunStore,
  uid?: string,
): Promise<{ archive: ArchiveStore; manifest: Manifest }> {
  let account = uid;
  if (account === undefined) {
    const uids = await archivedAccounts(store);
    if (uids.length === 0) throw new ArchiveNotFoundError('no archive yet: run `bitget-orders sync` first');
    if (uids.length > 1)
      throw new ArchiveNotFoundError(
        `several accounts are archived here (${uids.join(', ')}): name one with --uid`,
      );
    account = uids[0]!;
  }
  const archive = new ArchiveStore(store, account);
  const manifest = await archive.readManifest();
  if (!manifest) throw new ArchiveNotFoundError(`no archive for account ${account}`);
  return { archive, manifest };
}

export interface TimeSlice {
  /** Inclusive lower bound on the record time. */
  since?: number;
  /** Exclusive upper bound. */
  until?: number;
}

/** Every record of a data set, sorted, reading only the partitions the slice touches. */
export async function* readRecords<R>(
  archive: ArchiveStore,
  manifest: Manifest,
  dataset: DatasetSpec<R>,
  slice: TimeSlice = {},
): AsyncGenerator<R> {
  const state = manifest.datasets[dataset.name];
  if (!state) return;
  const since = slice.since ?? -Infinity;
  const until = slice.until ?? Infinity;
  for (const entry of state.partitions) {
    if (entry.to < since || entry.from >= until) continue;
    for await (const record of archive.streamPartition(dataset, entry)) {
      const t = dataset.time(record);
      if (t >= since && t < until) yield record;
    }
  }
}

export interface ArchiveStatus {
  uid: string;
  datasets: Record<
    string,
    {
      records: number;
      from: number | null;
      to: number | null;
      gaps: { stream: string; from: number; to: number }[];
    }
  >;
  lastSync: number | null;
}

/** `archive status --json`: per data set the record count, the covered span and the gaps. */
export function archiveStatus(manifest: Manifest): ArchiveStatus {
  const datasets: ArchiveStatus['datasets'] = {};
  for (const [name, state] of Object.entries(manifest.datasets)) {
    const spans = Object.values(state.streams);
    datasets[name] = {
      records: state.partitions.reduce((n, p) => n + p.records, 0),
      from: spans.length ? Math.min(...spans.map((s) => s.from)) : null,
      to: spans.length ? Math.max(...spans.map((s) => s.to)) : null,
      gaps: state.gaps.map(({ stream, from, to }) => ({ stream, from, to })),
    };
  }
  return { uid: manifest.uid, datasets, lastSync: manifest.lastSync };
}
