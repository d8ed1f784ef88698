import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import { aFill, aLedgerEntry } from '../../tests/helpers/canonicalRecords';
import { describeRecordMismatches, FILL_CHECK, LEDGER_CHECK, verifyRecords } from './verifyRecords';

const fill = (tradeId: string, cTime: number, over: Partial<CanonicalFill> = {}): CanonicalFill =>
  aFill({ tradeId, orderId: `9${tradeId}`, cTime, raw: { tradeId }, ...over });

const entry = (
  billId: string,
  cTime: number,
  over: Partial<CanonicalLedgerEntry> = {},
): CanonicalLedgerEntry => aLedgerEntry({ billId, account: 'usdt-futures', cTime, raw: { billId }, ...over });

async function* stream<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

describe('verifyRecords', () => {
  it('passes a result equal to the truth, and says every field matched', async () => {
    const truth = [fill('1', 10), fill('2', 10), fill('3', 20)];
    const v = await verifyRecords(FILL_CHECK, stream(truth), stream(truth));
    expect(v).toMatchObject({ ok: true, expected: 3, received: 3, missing: 0, unexpected: 0, mismatched: 0 });
    expect(describeRecordMismatches(v)).toEqual([expect.stringContaining('every record of fills matches')]);
  });

  it('names a missing, an invented, a duplicated and an out-of-order fill', async () => {
    const truth = [fill('1', 10), fill('2', 20), fill('3', 30)];
    const result = [fill('3', 30), fill('1', 10), fill('1', 10), fill('4', 40)];
    const v = await verifyRecords(FILL_CHECK, stream(result), stream(truth));
    expect(v).toMatchObject({ ok: false, missing: 1, unexpected: 1, duplicates: 1, unsorted: 1 });
    expect(v.examples).toEqual(
      expect.arrayContaining(['missing spot:2', 'not in the truth spot:4', 'duplicate spot:1']),
    );
  });

  it('counts each differing field with one example, and raw fields altered', async () => {
    const truth = [fill('1', 10), fill('2', 20)];
    const result = [
      fill('1', 10, { side: 'sell', raw: { tradeId: '1', extra: true } }),
      fill('2', 20, { fee: null }),
    ];
    const v = await verifyRecords(FILL_CHECK, stream(result), stream(truth));
    expect(v.mismatched).toBe(2);
    expect(v.alteredRaw).toBe(1);
    expect(v.fields.side).toEqual({ count: 1, example: { key: 'spot:1', expected: 'buy', actual: 'sell' } });
    expect(v.fields.fee.count).toBe(1);
    expect(describeRecordMismatches(v)).toEqual([
      'side: 1 fills (e.g. spot:1 expected "buy", got "sell")',
      'fee: 1 fills (e.g. spot:2 expected "0.00001", got null)',
    ]);
  });

  it('tells ledger entries of the two sources apart by key', async () => {
    const truth = [entry('5', 10), entry('5', 10, { source: 'tax', account: 'usdt-futures' })];
    const v = await verifyRecords(LEDGER_CHECK, stream([truth[0]!]), stream(truth));
    expect(v).toMatchObject({ ok: false, expected: 2, missing: 1 });
    expect(v.examples).toEqual(['missing tax:usdt-futures:5']);
  });

  it('refuses a truth that lists one key twice', async () => {
    await expect(
      verifyRecords(LEDGER_CHECK, stream([]), stream([entry('5', 1), entry('5', 2)])),
    ).rejects.toThrow('the ledger entries truth lists bills:usdt-futures:5 twice');
  });
});
