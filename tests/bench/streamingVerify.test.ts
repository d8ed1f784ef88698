import { verifyAgainstTruthStreaming } from '../../bench/lib/streamingVerify';
import type { CanonicalOrder } from '../../src/core/order';
import { startSimulator } from '../../src/sim';
import type { TruthRecord } from '../../src/sim';
import { verifyAgainstTruth } from '../../src/verify/verifyAgainstTruth';

async function* stream<T>(items: T[]): AsyncGenerator<T> {
  for (const x of items) yield x;
}

/** Both verifications of the same result; the figures must agree (the examples may list in another order). */
async function both(truth: TruthRecord[], result: CanonicalOrder[]) {
  const held = await verifyAgainstTruth(stream(result), stream(truth));
  const streamed = await verifyAgainstTruthStreaming(stream(result), stream(truth));
  const { examples: a, ...heldFigures } = held;
  const { examples: b, ...streamedFigures } = streamed;
  expect(streamedFigures).toEqual(heldFigures);
  expect([...b].sort()).toEqual([...a].sort());
  return streamed;
}

describe('bench: the streaming orders verification agrees with verifyAgainstTruth', () => {
  const truth: TruthRecord[] = [];
  beforeAll(async () => {
    const sim = await startSimulator({ seed: 7, orders: 400, symbols: 6, days: 30, mode: 'classic' });
    try {
      // As the bench reads it: from the simulator's NDJSON file.
      for await (const t of sim.truth()) truth.push(JSON.parse(JSON.stringify(t)) as TruthRecord);
    } finally {
      await sim.close();
    }
  });
  // The truth's records carry every field the check reads: as a result, they are a perfect one.
  const asResult = (ts: TruthRecord[]) => ts.map((t) => JSON.parse(JSON.stringify(t)) as CanonicalOrder);

  it('passes a perfect result', async () => {
    const v = await both(truth, asResult(truth));
    expect(v).toMatchObject({ ok: true, expected: 400, received: 400, missing: 0, mismatched: 0 });
  });

  it('finds missing, duplicated, invented, unsorted, altered and misplaced orders', async () => {
    const r = asResult(truth);
    r.splice(10, 1); // missing
    r.splice(20, 0, { ...r[20]! }); // duplicate
    r.push({ ...r[r.length - 1]!, orderId: '9999999999999999999' }); // invented
    [r[50], r[51]] = [r[51]!, r[50]!]; // unsorted
    r[60]!.kind = r[60]!.kind === 'plan' ? 'normal' : 'plan'; // field
    r[70] = { ...r[70]!, raw: { ...(r[70]!.raw as object), price: 'altered' } }; // raw
    r[100]!.cTime = r[100]!.cTime - 30 * 86_400_000; // cTime earlier than the truth's: its truth is still ahead
    r[200]!.cTime = r[200]!.cTime + 30 * 86_400_000; // later: its truth was read already
    const v = await both(truth, r);
    expect(v).toMatchObject({ ok: false, missing: 1, duplicates: 1, unexpected: 1, alteredRaw: 1 });
    expect(v.unsorted).toBeGreaterThanOrEqual(3);
    expect(v.fields.kind.count).toBe(1);
    expect(v.fields.cTime.count).toBe(2);
  });

  it('counts every order missing from an empty result', async () => {
    const v = await both(truth, []);
    expect(v).toMatchObject({ ok: false, missing: 400, received: 0 });
  });
});
