import { isDeepStrictEqual } from 'node:util';
import type { CanonicalFill } from '../core/fill';
import { compareFills, FILL_FIELDS, fillKey } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import { compareLedgerEntries, LEDGER_FIELDS, ledgerKey } from '../core/ledgerEntry';

/**
 * How one data set's records are checked against the truth: their identity, their order, the fields compared.
 * The truth's records (T) hold at least the compared fields, the identity and `raw`; the result's (R) are whole.
 */
export interface RecordCheck<R extends T, F extends keyof T & string, T extends { raw: unknown } = R> {
  /** The data set's name, in messages: "fills". */
  dataset: string;
  /** The record's identity (unique per data set). */
  key(r: T): string;
  /** How a record is named in the examples (default: its key). */
  label?(r: T): string;
  /** The data set's sort order, ascending. */
  compare(a: R, b: R): number;
  /** The canonical fields compared with the truth's, in the order they are reported. */
  fields: readonly F[];
}

/** One class of mismatch (a field): how many records differ in it, and the first one seen (null: none). */
export interface RecordFieldMismatch {
  count: number;
  example: { key: string; expected: unknown; actual: unknown } | null;
}

/** A data set's result checked record by record against the truth (the orders' Verification, generalised). */
export interface RecordVerification<F extends string> {
  dataset: string;
  expected: number;
  received: number;
  missing: number;
  unexpected: number;
  duplicates: number;
  unsorted: number;
  /** Records whose raw exchange fields differ from the truth's. */
  alteredRaw: number;
  /** Records with at least one canonical field unlike the truth's. */
  mismatched: number;
  fields: Record<F, RecordFieldMismatch>;
  ok: boolean;
  /** A few examples of each problem, for the report. */
  examples: string[];
}

/**
 * Checks a result against the truth: every record present once, none invented, sorted, raw fields intact, and
 * every compared field as the truth says. Streams the result; holds the truth in memory (one entry per record).
 */
export async function verifyRecords<R extends T, F extends keyof T & string, T extends { raw: unknown } = R>(
  check: RecordCheck<R, F, T>,
  result: AsyncIterable<R>,
  truth: AsyncIterable<T>,
  order: 'asc' | 'desc' = 'asc',
): Promise<RecordVerification<F>> {
  const label = check.label ?? check.key;
  const want = new Map<string, T>();
  for await (const t of truth) {
    const k = check.key(t);
    if (want.has(k))
      throw new Error(`the ${check.dataset} truth lists ${k} twice: records are matched by key`);
    want.set(k, t);
  }
  const v: RecordVerification<F> = {
    dataset: check.dataset,
    expected: want.size,
    received: 0,
    missing: 0,
    unexpected: 0,
    duplicates: 0,
    unsorted: 0,
    alteredRaw: 0,
    mismatched: 0,
    fields: Object.fromEntries(check.fields.map((f) => [f, { count: 0, example: null }])) as Record<
      F,
      RecordFieldMismatch
    >,
    ok: false,
    examples: [],
  };
  const example = (s: string) => {
    if (v.examples.length < 10) v.examples.push(s);
  };
  const seen = new Set<string>();
  let prev: R | undefined;
  for await (const r of result) {
    v.received++;
    const k = check.key(r);
    const name = label(r);
    if (seen.has(k)) {
      v.duplicates++;
      example(`duplicate ${name}`);
    }
    seen.add(k);
    const t = want.get(k);
    if (t === undefined) {
      v.unexpected++;
      example(`not in the truth ${name}`);
    } else {
      if (!isDeepStrictEqual(r.raw, t.raw)) {
        v.alteredRaw++;
        example(`raw fields differ ${name}`);
      }
      let differs = false;
      for (const f of check.fields) {
        if (isDeepStrictEqual(r[f], t[f])) continue;
        differs = true;
        const m = v.fields[f];
        m.count++;
        m.example ??= { key: k, expected: t[f], actual: r[f] };
      }
      if (differs) v.mismatched++;
    }
    if (prev) {
      const c = check.compare(prev, r);
      if (order === 'asc' ? c > 0 : c < 0) {
        v.unsorted++;
        example(`out of order at ${name}`);
      }
    }
    prev = r;
  }
  for (const [k, t] of want) {
    if (!seen.has(k)) {
      v.missing++;
      example(`missing ${label(t)}`);
    }
  }
  v.ok = nothingWrong(v);
  return v;
}

/** A verification's counts say every record is there once, sorted, as the truth says. */
export function nothingWrong(v: {
  missing: number;
  unexpected: number;
  duplicates: number;
  unsorted: number;
  alteredRaw: number;
  mismatched: number;
}): boolean {
  return (
    v.missing === 0 &&
    v.unexpected === 0 &&
    v.duplicates === 0 &&
    v.unsorted === 0 &&
    v.alteredRaw === 0 &&
    v.mismatched === 0
  );
}

/** The mismatch classes as report lines, one per field that differed, or one line saying every field matched. */
export function describeRecordMismatches<F extends string>(v: RecordVerification<F>): string[] {
  const lines: string[] = [];
  for (const [f, m] of Object.entries(v.fields) as [F, RecordFieldMismatch][]) {
    if (m.example === null) continue;
    const { key, expected, actual } = m.example;
    lines.push(
      `${f}: ${m.count} ${v.dataset} (e.g. ${key} expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)})`,
    );
  }
  return lines.length > 0
    ? lines
    : [
        `every record of ${v.dataset} matches the truth on ${Object.keys(v.fields).join(', ')} (0 mismatches)`,
      ];
}

/** Fills: matched per (market, tradeId), sorted by (cTime, tradeId); every canonical field compared. */
export const FILL_CHECK: RecordCheck<CanonicalFill, Exclude<keyof CanonicalFill, 'raw'>> = {
  dataset: 'fills',
  key: fillKey,
  compare: compareFills,
  fields: FILL_FIELDS,
};

/** Ledger entries: matched per (source, account, billId), sorted by (cTime, billId); every field compared. */
export const LEDGER_CHECK: RecordCheck<CanonicalLedgerEntry, Exclude<keyof CanonicalLedgerEntry, 'raw'>> = {
  dataset: 'ledger entries',
  key: ledgerKey,
  compare: compareLedgerEntries,
  fields: LEDGER_FIELDS,
};
