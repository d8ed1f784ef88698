import type { CanonicalOrder } from '../core/order';
import type { RunStore } from '../storage/RunStore';
import { compareOrderKey } from '../core/order';
import type { RecordCheck } from './verifyRecords';
import { verifyRecords } from './verifyRecords';

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

/** Orders: matched by `orderId` (unique over a simulated account), sorted by (cTime, orderId). */
const ORDER_CHECK: RecordCheck<CanonicalOrder, VerifiedField, TruthOrder> = {
  dataset: 'orders',
  key: (o) => o.orderId,
  label: (o) => `${o.market}:${o.orderId}`,
  compare: (a, b) => compareOrderKey(a.cTime, a.orderId, b.cTime, b.orderId),
  fields: VERIFIED_FIELDS,
};

/**
 * Checks a result order by order against the ground truth: every order present once, none invented, sorted,
 * raw fields intact, and every canonical field (VERIFIED_FIELDS) as the truth says. Orders are matched by
 * `orderId`, so an order that comes out under the wrong market is a `market` mismatch rather than one missing
 * and one invented order. Streams the result; holds the truth in memory.
 */
export async function verifyAgainstTruth(
  result: AsyncIterable<CanonicalOrder>,
  truth: AsyncIterable<TruthOrder>,
  order: 'asc' | 'desc' = 'asc',
): Promise<Verification> {
  const v = await verifyRecords(ORDER_CHECK, result, truth, order);
  const fields = Object.fromEntries(
    VERIFIED_FIELDS.map((f) => {
      const { count, example } = v.fields[f];
      return [
        f,
        {
          count,
          example: example && { orderId: example.key, expected: example.expected, actual: example.actual },
        },
      ];
    }),
  ) as Record<VerifiedField, FieldMismatch>;
  const {
    expected,
    received,
    missing,
    unexpected,
    duplicates,
    unsorted,
    alteredRaw,
    mismatched,
    ok,
    examples,
  } = v;
  return {
    expected,
    received,
    missing,
    unexpected,
    duplicates,
    unsorted,
    alteredRaw,
    mismatched,
    fields,
    ok,
    examples,
  };
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
