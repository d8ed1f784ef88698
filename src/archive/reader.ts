/** Reading the archive: the manifest's partitions in order (records sorted), and its status. */
import { computeTotals, type Totals } from '../accounting/totals';
import type { RunStore } from '../storage/RunStore';
import { ArchiveStore } from './ArchiveStore';
import { isTaxStream } from './coverage';
import { gapCoveredBy } from './datasetStreams';
import type { DatasetSpec } from './dataset';
import { FILLS, LEDGER } from './dataset';
import { ArchiveNotFoundError } from './errors';
import { ARCHIVE_PREFIX, UID_PATTERN } from './layout';
import type { Manifest, Span } from './manifest';

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

export interface DatasetStatus {
  records: number;
  from: number | null;
  to: number | null;
  /**
   * Spans no sync covered while Bitget served them; `coveredBy`: the tax stream whose records hold a bills gap's
   * ledger entries (source "tax"), null when nothing does.
   */
  gaps: { stream: string; from: number; to: number; coveredBy: string | null }[];
  /** The ledger only: the span its tax streams cover (they reach further back than the bills); null: none yet. */
  tax?: { from: number; to: number } | null;
}

export interface ArchiveStatus {
  uid: string;
  datasets: Record<string, DatasetStatus>;
  lastSync: number | null;
  /** Over the archive's fills and ledger, when it holds either (computed by `archiveTotals`). */
  totals?: Totals;
}

const spanOf = (spans: readonly Span[]): { from: number; to: number } | null =>
  spans.length
    ? { from: Math.min(...spans.map((s) => s.from)), to: Math.max(...spans.map((s) => s.to)) }
    : null;

/** `archive status --json`: per data set the record count, the covered span and the gaps. */
export function archiveStatus(manifest: Manifest): ArchiveStatus {
  const datasets: ArchiveStatus['datasets'] = {};
  for (const [name, state] of Object.entries(manifest.datasets)) {
    const covered = spanOf(Object.values(state.streams));
    const status: DatasetStatus = {
      records: state.partitions.reduce((n, p) => n + p.records, 0),
      from: covered?.from ?? null,
      to: covered?.to ?? null,
      gaps: state.gaps.map(({ stream, from, to }) => ({
        stream,
        from,
        to,
        coveredBy: gapCoveredBy(state, { stream, from, to }),
      })),
    };
    if (name === LEDGER.name)
      status.tax = spanOf(
        Object.entries(state.streams)
          .filter(([stream]) => isTaxStream(stream))
          .map(([, span]) => span),
      );
    datasets[name] = status;
  }
  return { uid: manifest.uid, datasets, lastSync: manifest.lastSync };
}

/**
 * The accounting totals over the whole archive (fees paid per coin, volume, realised profit and loss, funding),
 * read partition by partition; null when the archive holds neither fills nor ledger.
 */
export async function archiveTotals(archive: ArchiveStore, manifest: Manifest): Promise<Totals | null> {
  if (!manifest.datasets[FILLS.name] && !manifest.datasets[LEDGER.name]) return null;
  return computeTotals({
    fills: readRecords(archive, manifest, FILLS),
    ledger: readRecords(archive, manifest, LEDGER),
  });
}

/** `archive status` with the totals when the archive holds fills or a ledger. */
export async function archiveStatusWithTotals(
  archive: ArchiveStore,
  manifest: Manifest,
): Promise<ArchiveStatus> {
  const status = archiveStatus(manifest);
  const totals = await archiveTotals(archive, manifest);
  if (totals) status.totals = totals;
  return status;
}
