import type { CanonicalOrder } from '../../src/core/order';
import { compareOrderKey } from '../../src/core/order';
import type { RunStore } from '../../src/storage';
import type { Simulator, TruthRecord } from '../../src/sim';

export async function truthOf(sim: Simulator): Promise<TruthRecord[]> {
  const out: TruthRecord[] = [];
  for await (const t of sim.truth()) out.push(t);
  return out;
}

export async function resultOf(store: RunStore, key: string): Promise<CanonicalOrder[]> {
  const out: CanonicalOrder[] = [];
  for await (const line of store.readLines(key)) out.push(JSON.parse(line) as CanonicalOrder);
  return out;
}

/** Orders missing from the result, orders the truth does not have, duplicates, and sort violations. */
export function compareWithTruth(
  result: CanonicalOrder[],
  truth: { orderId: string; market: string; cTime: number }[],
  order: 'asc' | 'desc' = 'asc',
): { missing: number; unexpected: number; duplicates: number; unsorted: number } {
  const key = (o: { orderId: string; market: string }) => `${o.market}:${o.orderId}`;
  const want = new Set(truth.map(key));
  const seen = new Set<string>();
  let duplicates = 0;
  let unexpected = 0;
  let unsorted = 0;
  result.forEach((o, i) => {
    const k = key(o);
    if (seen.has(k)) duplicates++;
    seen.add(k);
    if (!want.has(k)) unexpected++;
    const prev = result[i - 1];
    if (prev) {
      const c = compareOrderKey(prev.cTime, prev.orderId, o.cTime, o.orderId);
      if (order === 'asc' ? c > 0 : c < 0) unsorted++;
    }
  });
  const missing = [...want].filter((k) => !seen.has(k)).length;
  return { missing, unexpected, duplicates, unsorted };
}
