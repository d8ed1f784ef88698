/** Merges a partition's archived records with newly fetched ones: one record per key, the newest version. */
import type { DatasetSpec } from './dataset';

export interface MergeResult<R> {
  records: R[];
  added: number;
  updated: number;
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
  const newest = new Map<string, R>();
  for (const r of incoming) {
    const key = dataset.key(r);
    const seen = newest.get(key);
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
    }
  }
  const records = added + updated === 0 ? [...archived] : [...byKey.values()].sort(dataset.compare);
  return { records, added, updated };
}
