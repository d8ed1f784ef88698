import type { CanonicalOrder } from '../core/order';
import { FakeExchange } from '../../tests/helpers/fakeExchange';
import { verifyAgainstTruth } from './verifyAgainstTruth';

async function* iter<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

const o = (i: number, t: number): CanonicalOrder => FakeExchange.order(i, t);
const truthOf = (orders: CanonicalOrder[]) => orders.map((x) => ({ ...x, raw: x.raw }));

describe('verifyAgainstTruth', () => {
  it('accepts a result that has every order once, sorted, with raw fields intact', async () => {
    const orders = [o(1, 10), o(2, 20), o(3, 30)];
    const v = await verifyAgainstTruth(iter(orders), iter(truthOf(orders)));
    expect(v).toMatchObject({ ok: true, expected: 3, received: 3, missing: 0 });
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
});
