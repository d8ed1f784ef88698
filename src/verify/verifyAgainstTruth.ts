import { isDeepStrictEqual } from 'node:util';
import type { CanonicalOrder } from '../core/order';
import type { RunStore } from '../storage/RunStore';
import { compareOrderKey } from '../core/order';

/** The canonical fields checked against the truth, in the order they are reported. */
export const VERIFIED_FIELDS = [
  'market',
  'kind',
  'symbol',
  'side',
  'status',
  'orderType',
  'reduceOnly',
  'cTime',
  'uTime',
  'fee',
  'feeCoin',
] as const;
export type VerifiedField = (typeof VERIFIED_FIELDS)[number];

/** One order of the ground truth: the canonical fields the product must emit, and the exchange's row. */
export type TruthOrder = { orderId: string; raw: unknown } & Pick<CanonicalOrder, VerifiedField>;

/** One class of mismatch (a field): how many orders differ in it, and the first one seen (null: none). */
export interface FieldMismatch {
  count: number;
  example: { orderId: string; expected: unknown; actual: unknown } | null;
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
  /** Orders with at least one canonical field unlike the truth's. */
  mismatched: number;
  /** Per canonical field: how many orders differ in it, and one example. */
  fields: Record<VerifiedField, FieldMismatch>;
  ok: boolean;
  /** A few examples of each problem, for the report. */
  examples: string[];
}

type Expected = Pick<TruthOrder, VerifiedField | 'raw'>;

/**
 * Checks a result order by order against the ground truth: every order present once, none invented, sorted,
 * raw fields intact, and every canonical field (VERIFIED_FIELDS) as the truth says. Orders are matched by
 * `orderId` (unique over a simulated account), so an order that comes out under the wrong market is a `market`
 * mismatch rather than one missing and one invented order. Streams the result; holds the truth in memory.
 */
export async function verifyAgainstTruth(
  result: AsyncIterable<CanonicalOrder>,
  truth: AsyncIterable<TruthOrder>,
  order: 'asc' | 'desc' = 'asc',
): Promise<Verification> {
  const want = new Map<string, Expected>();
  for await (const t of truth) {
    if (want.has(t.orderId))
      throw new Error(`the truth lists order ${t.orderId} twice: orders are matched by orderId`);
    const expected = { raw: t.raw } as Expected;
    for (const f of VERIFIED_FIELDS) (expected as Record<string, unknown>)[f] = t[f];
    want.set(t.orderId, expected);
  }
  const seen = new Set<string>();
  const v: Verification = {
    expected: want.size,
    received: 0,
    missing: 0,
    unexpected: 0,
    duplicates: 0,
    unsorted: 0,
    alteredRaw: 0,
    mismatched: 0,
    fields: noFieldMismatches(),
    ok: false,
    examples: [],
  };
  const example = (s: string) => {
    if (v.examples.length < 10) v.examples.push(s);
  };
  let prev: CanonicalOrder | undefined;
  for await (const o of result) {
    v.received++;
    const k = o.orderId;
    const label = `${o.market}:${o.orderId}`;
    if (seen.has(k)) {
      v.duplicates++;
      example(`duplicate ${label}`);
    }
    seen.add(k);
    const t = want.get(k);
    if (t === undefined) {
      v.unexpected++;
      example(`not in the truth ${label}`);
    } else {
      if (!isDeepStrictEqual(o.raw, t.raw)) {
        v.alteredRaw++;
        example(`raw fields differ ${label}`);
      }
      let differs = false;
      for (const f of VERIFIED_FIELDS) {
        const actual = (o as unknown as Record<string, unknown>)[f];
        if (isDeepStrictEqual(actual, t[f])) continue;
        differs = true;
        const m = v.fields[f];
        m.count++;
        m.example ??= { orderId: o.orderId, expected: t[f], actual };
      }
      if (differs) v.mismatched++;
    }
    if (prev) {
      const c = compareOrderKey(prev.cTime, prev.orderId, o.cTime, o.orderId);
      if (order === 'asc' ? c > 0 : c < 0) {
        v.unsorted++;
        example(`out of order at ${label}`);
      }
    }
    prev = o;
  }
  for (const [k, t] of want) {
    if (!seen.has(k)) {
      v.missing++;
      example(`missing ${t.market}:${k}`);
    }
  }
  v.ok =
    v.missing === 0 &&
    v.unexpected === 0 &&
    v.duplicates === 0 &&
    v.unsorted === 0 &&
    v.alteredRaw === 0 &&
    v.mismatched === 0;
  return v;
}

/** Every field with a count of 0: what a perfect result reports. */
export function noFieldMismatches(): Record<VerifiedField, FieldMismatch> {
  return Object.fromEntries(VERIFIED_FIELDS.map((f) => [f, { count: 0, example: null }])) as Record<
    VerifiedField,
    FieldMismatch
  >;
}

/**
 * The mismatch classes as report lines: `kind: 1776 orders (e.g. 1100… expected "plan", got "tpsl")`, one per
 * field that differed, or a single line saying every field matched.
 */
export function describeFieldMismatches(v: Pick<Verification, 'fields' | 'mismatched'>): string[] {
  const lines: string[] = [];
  for (const f of VERIFIED_FIELDS) {
    const m = v.fields[f];
    if (m.example === null) continue;
    const { orderId, expected, actual } = m.example;
    lines.push(
      `${f}: ${m.count} orders (e.g. ${orderId} expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)})`,
    );
  }
  return lines.length > 0
    ? lines
    : [`every order matches the truth on ${VERIFIED_FIELDS.join(', ')} (0 mismatches)`];
}

/** The orders of a result file (`orders.jsonl`), streamed from the bucket. */
export async function* readResultOrders(store: RunStore, key: string): AsyncGenerator<CanonicalOrder> {
  for await (const line of store.readLines(key)) yield JSON.parse(line) as CanonicalOrder;
}
