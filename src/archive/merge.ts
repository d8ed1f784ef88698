/**
 * Merges a partition's archived records with newly fetched ones: one record per key, the newest version (or,
 * for a data set whose records never change, the archived copy, with any copy that differs reported).
 */
import { isDeepStrictEqual } from 'node:util';
import type { DatasetSpec } from './dataset';

/** A second copy of an immutable record's key whose values differ: the archived copy is kept. */
export interface MergeConflict {
  key: string;
  /** The canonical fields that differ. */
  fields: string[];
}

export interface MergeResult<R> {
  records: R[];
  added: number;
  updated: number;
  /** Incoming records whose key the archive (or an earlier incoming record) already held, kept once. */
  duplicates: number;
  conflicts: MergeConflict[];
}

export function mergeRecords<R>(
  dataset: DatasetSpec<R>,
  archived: readonly R[],
  incoming: Iterable<R>,
): MergeResult<R> {
  const byKey = new Map<string, R>();
  for (const r of archived) byKey.set(dataset.key(r), r);
  let added = 0;
  let updated = 0;
  let duplicates = 0;
  const conflicts: MergeConflict[] = [];
  const newest = new Map<string, R>();
  for (const r of incoming) {
    const key = dataset.key(r);
    const seen = newest.get(key);
    if (seen !== undefined) {
      duplicates += 1;
      noteConflict(dataset, key, seen, r, conflicts);
    }
    if (seen === undefined || dataset.version(r) > dataset.version(seen)) newest.set(key, r);
  }
  for (const [key, r] of newest) {
    const held = byKey.get(key);
    if (held === undefined) {
      byKey.set(key, r);
      added += 1;
    } else if (dataset.version(r) > dataset.version(held)) {
      byKey.set(key, r);
      updated += 1;
    } else {
      duplicates += 1;
      noteConflict(dataset, key, held, r, conflicts);
    }
  }
  const records = added + updated === 0 ? [...archived] : [...byKey.values()].sort(dataset.compare);
  return { records, added, updated, duplicates, conflicts };
}

function noteConflict<R>(
  dataset: DatasetSpec<R>,
  key: string,
  held: R,
  other: R,
  conflicts: MergeConflict[],
): void {
  if (!dataset.immutableFields) return;
  const fields = dataset.immutableFields.filter((f) => !isDeepStrictEqual(held[f], other[f]));
  if (fields.length > 0) conflicts.push({ key, fields });
}
