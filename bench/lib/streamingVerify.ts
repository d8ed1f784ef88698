/**
 * The orders' check against the truth (src/verify/verifyAgainstTruth: every order once, none invented, sorted, raw
 * fields intact, every canonical field as the truth says), for accounts too large to hold the truth in memory:
 * the truth (ascending by (cTime, orderId), as the simulator writes it) and an ascending result are walked
 * together, so only the truth read ahead of the result and not yet matched is held, and the keys seen (for the
 * duplicates). Memory grows with the result's errors (orders missing, out of place), not with the account. A
 * result order whose truth is still ahead (a cTime earlier than the truth's) waits until its truth is read.
 * The figures are verifyAgainstTruth's, with one difference: a duplicate is counted, not compared again.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CanonicalOrder } from '../../src/core/order';
import { compareOrderKey } from '../../src/core/order';
import type { TruthOrder, VerifiedField, Verification } from '../../src/verify/verifyAgainstTruth';
import { VERIFIED_FIELDS } from '../../src/verify/verifyAgainstTruth';
import { nothingWrong } from '../../src/verify/verifyRecords';

const before = (a: { cTime: number; orderId: string }, b: { cTime: number; orderId: string }) =>
  compareOrderKey(a.cTime, a.orderId, b.cTime, b.orderId);

export async function verifyAgainstTruthStreaming(
  result: AsyncIterable<CanonicalOrder>,
  truth: AsyncIterable<TruthOrder>,
): Promise<Verification> {
  const v: Verification = {
    expected: 0,
    received: 0,
    missing: 0,
    unexpected: 0,
    duplicates: 0,
    unsorted: 0,
    alteredRaw: 0,
    mismatched: 0,
    fields: Object.fromEntries(
      VERIFIED_FIELDS.map((f) => [f, { count: 0, example: null }]),
    ) as Verification['fields'],
    ok: false,
    examples: [],
  };
  const example = (s: string) => {
    if (v.examples.length < 10) v.examples.push(s);
  };
  const name = (o: { market: string; orderId: string }) => `${o.market}:${o.orderId}`;
  const compare = (r: CanonicalOrder, t: TruthOrder) => {
    if (!isDeepStrictEqual(r.raw, t.raw)) {
      v.alteredRaw++;
      example(`raw fields differ ${name(r)}`);
    }
    let differs = false;
    for (const f of VERIFIED_FIELDS as readonly VerifiedField[]) {
      if (isDeepStrictEqual(r[f], t[f])) continue;
      differs = true;
      const m = v.fields[f];
      m.count++;
      m.example ??= { orderId: t.orderId, expected: t[f], actual: r[f] };
    }
    if (differs) v.mismatched++;
  };

  const it = truth[Symbol.asyncIterator]();
  const truthKeys = new Set<string>();
  /** Truth read, not yet matched. */
  const pending = new Map<string, TruthOrder>();
  /** Result orders whose truth was not read yet (or does not exist). */
  const waiting = new Map<string, CanonicalOrder>();
  const seen = new Set<string>();
  const take = (t: TruthOrder) => {
    if (truthKeys.has(t.orderId)) throw new Error(`the orders truth lists ${t.orderId} twice`);
    truthKeys.add(t.orderId);
    v.expected++;
    const r = waiting.get(t.orderId);
    if (r) {
      waiting.delete(t.orderId);
      compare(r, t);
    } else pending.set(t.orderId, t);
  };
  const readTruth = async (): Promise<TruthOrder | null> => {
    const n = await it.next();
    return n.done ? null : n.value;
  };
  let next = await readTruth();

  let prev: CanonicalOrder | undefined;
  for await (const r of result) {
    v.received++;
    // Read the truth up to this order's place.
    while (next && before(next, r) <= 0) {
      take(next);
      next = await readTruth();
    }
    if (seen.has(r.orderId)) {
      v.duplicates++;
      example(`duplicate ${name(r)}`);
    } else {
      seen.add(r.orderId);
      const t = pending.get(r.orderId);
      if (t) {
        pending.delete(r.orderId);
        compare(r, t);
      } else if (truthKeys.has(r.orderId)) {
        // Its truth was matched already: impossible without a duplicate, which `seen` caught.
      } else waiting.set(r.orderId, r);
    }
    if (prev && before(prev, r) > 0) {
      v.unsorted++;
      example(`out of order at ${name(r)}`);
    }
    prev = r;
  }
  while (next) {
    take(next);
    next = await readTruth();
  }
  for (const r of waiting.values()) {
    v.unexpected++;
    example(`not in the truth ${name(r)}`);
  }
  for (const t of pending.values()) {
    v.missing++;
    example(`missing ${name(t)}`);
  }
  v.ok = nothingWrong(v);
  return v;
}
