import type { CanonicalOrder } from '../core/order';
import { FakeExchange } from '../../tests/helpers/fakeExchange';
import {
  describeFieldMismatches,
  noFieldMismatches,
  VERIFIED_FIELDS,
  verifyAgainstTruth,
} from './verifyAgainstTruth';

async function* iter<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

const o = (i: number, t: number): CanonicalOrder => FakeExchange.order(i, t);
const truthOf = (orders: CanonicalOrder[]) => orders.map((x) => ({ ...x, raw: x.raw }));

describe('verifyAgainstTruth', () => {
  it('accepts a result that has every order once, sorted, with raw and canonical fields intact', async () => {
    const orders = [o(1, 10), o(2, 20), o(3, 30)];
    const v = await verifyAgainstTruth(iter(orders), iter(truthOf(orders)));
    expect(v).toMatchObject({ ok: true, expected: 3, received: 3, missing: 0, mismatched: 0 });
    expect(v.fields).toEqual(noFieldMismatches());
    expect(describeFieldMismatches(v)).toEqual([expect.stringMatching(/every order matches.*0 mismatches/)]);
  });

  it('counts a missing, a duplicated, an invented, an unsorted and an altered order', async () => {
    const truth = truthOf([o(1, 10), o(2, 20), o(3, 30), o(4, 40)]);
    const altered = { ...o(4, 40), raw: { orderId: 'changed' } };
    const result = [o(1, 10), o(3, 30), o(2, 20), o(2, 20), o(9, 50), altered];
    const v = await verifyAgainstTruth(iter(result), iter(truth));
    expect(v).toMatchObject({
      ok: false,
      missing: 0,
      duplicates: 1,
      unexpected: 1,
      alteredRaw: 1,
      unsorted: 2,
    });
    const w = await verifyAgainstTruth(iter([o(1, 10)]), iter(truth));
    expect(w).toMatchObject({ ok: false, missing: 3 });
    expect(w.examples.join(' ')).toMatch(/missing spot:/);
  });

  it('fails on a mislabeled order and reports each field that differs with a count and one example', async () => {
    const truth = truthOf([o(1, 10), o(2, 20), o(3, 30)]);
    const result = [
      { ...o(1, 10), kind: 'tpsl' as const, orderType: 'tpsl', reduceOnly: true },
      { ...o(2, 20), kind: 'tpsl' as const },
      o(3, 30),
    ];
    const v = await verifyAgainstTruth(iter(result), iter(truth));
    expect(v).toMatchObject({ ok: false, mismatched: 2, alteredRaw: 0, missing: 0, unexpected: 0 });
    expect(v.fields).toEqual({
      ...noFieldMismatches(),
      kind: { count: 2, example: { orderId: o(1, 10).orderId, expected: 'normal', actual: 'tpsl' } },
      orderType: { count: 1, example: { orderId: o(1, 10).orderId, expected: 'limit', actual: 'tpsl' } },
      reduceOnly: { count: 1, example: { orderId: o(1, 10).orderId, expected: false, actual: true } },
    });
    expect(describeFieldMismatches(v)).toEqual([
      `kind: 2 orders (e.g. ${o(1, 10).orderId} expected "normal", got "tpsl")`,
      `orderType: 1 orders (e.g. ${o(1, 10).orderId} expected "limit", got "tpsl")`,
      `reduceOnly: 1 orders (e.g. ${o(1, 10).orderId} expected false, got true)`,
    ]);
  });

  it.each(VERIFIED_FIELDS)('fails when only %s differs', async (field) => {
    const truth = truthOf([o(1, 10)]);
    const wrong = field === 'cTime' || field === 'uTime' ? 11 : field === 'reduceOnly' ? null : 'other';
    const v = await verifyAgainstTruth(iter([{ ...o(1, 10), [field]: wrong }]), iter(truth));
    expect(v.ok).toBe(false);
    expect(VERIFIED_FIELDS.filter((f) => v.fields[f].count > 0)).toEqual([field]);
  });

  it('tells an unknown (null) side or reduceOnly from a guessed one', async () => {
    const truth = truthOf([{ ...o(1, 10), side: null, reduceOnly: null }]);
    const v = await verifyAgainstTruth(iter([{ ...o(1, 10), side: 'buy' as const }]), iter(truth));
    expect(v.fields).toEqual({
      ...noFieldMismatches(),
      side: { count: 1, example: { orderId: o(1, 10).orderId, expected: null, actual: 'buy' } },
      reduceOnly: { count: 1, example: { orderId: o(1, 10).orderId, expected: null, actual: false } },
    });
  });

  it('refuses a truth that lists an order id twice', async () => {
    await expect(verifyAgainstTruth(iter([]), iter(truthOf([o(1, 10), o(1, 10)])))).rejects.toThrow(/twice/);
  });
});
