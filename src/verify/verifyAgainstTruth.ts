import { isDeepStrictEqual } from 'node:util';
import type { CanonicalOrder } from '../core/order';
import type { RunStore } from '../storage/runStore';
import { compareOrderKey } from '../core/order';

export interface TruthOrder {
  orderId: string;
  market: string;
  cTime: number;
  raw: unknown;
}

export interface Verification {
  expected: number;
  received: number;
  missing: number;
  unexpected: number;
  duplicates: number;
  unsorted: number;
  /** Orders whose raw exchange fields differ from the truth's. */
  alteredRaw: number;
  ok: boolean;
  /** A few examples of each problem, for the report. */
  examples: string[];
}

/**
 * Checks a result order by order against the ground truth: every order present once, none invented, sorted,
 * raw fields intact. Streams the result; holds the truth's keys in memory.
 */
export async function verifyAgainstTruth(
  result: AsyncIterable<CanonicalOrder>,
  truth: AsyncIterable<TruthOrder>,
  order: 'asc' | 'desc' = 'asc',
): Promise<Verification> {
  const key = (o: { orderId: string; market: string }) => `${o.market}:${o.orderId}`;
  const want = new Map<string, unknown>();
  for await (const t of truth) want.set(key(t), t.raw);
  const seen = new Set<string>();
  const v: Verification = {
    expected: want.size,
    received: 0,
    missing: 0,
    unexpected: 0,
    duplicates: 0,
    unsorted: 0,
    alteredRaw: 0,
    ok: false,
    examples: [],
  };
  const example = (s: string) => {
    if (v.examples.length < 10) v.examples.push(s);
  };
  let prev: CanonicalOrder | undefined;
  for await (const o of result) {
    v.received++;
    const k = key(o);
    if (seen.has(k)) {
      v.duplicates++;
      example(`duplicate ${k}`);
    }
    seen.add(k);
    if (!want.has(k)) {
      v.unexpected++;
      example(`not in the truth ${k}`);
    } else if (!isDeepStrictEqual(o.raw, want.get(k))) {
      v.alteredRaw++;
      example(`raw fields differ ${k}`);
    }
    if (prev) {
      const c = compareOrderKey(prev.cTime, prev.orderId, o.cTime, o.orderId);
      if (order === 'asc' ? c > 0 : c < 0) {
        v.unsorted++;
        example(`out of order at ${k}`);
      }
    }
    prev = o;
  }
  for (const k of want.keys()) {
    if (!seen.has(k)) {
      v.missing++;
      example(`missing ${k}`);
    }
  }
  v.ok =
    v.missing === 0 && v.unexpected === 0 && v.duplicates === 0 && v.unsorted === 0 && v.alteredRaw === 0;
  return v;
}

/** The orders of a result file (`orders.jsonl`), streamed from the bucket. */
export async function* readResultOrders(store: RunStore, key: string): AsyncGenerator<CanonicalOrder> {
  for await (const line of store.readLines(key)) yield JSON.parse(line) as CanonicalOrder;
}
