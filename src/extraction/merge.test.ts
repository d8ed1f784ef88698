import type { MergeItem } from './merge';
import { UnsortedPartError } from './errors';
import { mergeSorted, parseMergeItem } from './merge';

const item = (cTime: number, orderId: string, market = 'spot', uTime: number | null = cTime): MergeItem =>
  parseMergeItem(JSON.stringify({ orderId, market, cTime, uTime }), 'test');

async function* from(items: MergeItem[]): AsyncGenerator<MergeItem> {
  yield* items;
}

async function collect(it: AsyncIterable<MergeItem>): Promise<string[]> {
  const out: string[] = [];
  for await (const i of it) out.push(`${i.cTime}/${i.id}/${i.market}`);
  return out;
}

describe('mergeSorted', () => {
  it('merges parts whose ranges interleave into one ascending sequence', async () => {
    const a = [item(1, '10'), item(5, '50'), item(9, '90')];
    const b = [item(2, '20'), item(3, '30'), item(10, '100')];
    const c: MergeItem[] = [];
    const out = await collect(
      mergeSorted(
        [
          { name: 'a', items: from(a) },
          { name: 'b', items: from(b) },
          { name: 'c', items: from(c) },
        ],
        'asc',
      ),
    );
    expect(out).toEqual(['1/10/spot', '2/20/spot', '3/30/spot', '5/50/spot', '9/90/spot', '10/100/spot']);
  });

  it('breaks cTime ties by orderId as a decimal integer', async () => {
    const out = await collect(
      mergeSorted(
        [
          { name: 'a', items: from([item(7, '999')]) },
          { name: 'b', items: from([item(7, '1000')]) },
        ],
        'asc',
      ),
    );
    expect(out).toEqual(['7/999/spot', '7/1000/spot']);
  });

  it('drops copies of the same order, keeping the most recently updated one, and counts them', async () => {
    const stats = { duplicates: 0 };
    const merged: MergeItem[] = [];
    for await (const i of mergeSorted(
      [
        { name: 'a', items: from([item(1, '1'), item(2, '2', 'spot', 2)]) },
        { name: 'b', items: from([item(2, '2', 'spot', 8), item(3, '3')]) },
        { name: 'c', items: from([item(2, '2', 'spot', 5), item(3, '3')]) },
      ],
      'asc',
      stats,
    ))
      merged.push(i);
    expect(merged.map((m) => m.id)).toEqual(['1', '2', '3']);
    expect(merged[1]!.uTime).toBe(8);
    expect(stats.duplicates).toBe(3);
  });

  it('keeps two different orders that share an id in different markets', async () => {
    const out = await collect(
      mergeSorted(
        [
          { name: 'a', items: from([item(4, '44', 'usdt-futures')]) },
          { name: 'b', items: from([item(4, '44', 'spot')]) },
        ],
        'asc',
      ),
    );
    expect(out).toEqual(['4/44/spot', '4/44/usdt-futures']);
  });

  it('merges descending parts into one descending sequence', async () => {
    const out = await collect(
      mergeSorted(
        [
          { name: 'a', items: from([item(9, '9'), item(1, '1')]) },
          { name: 'b', items: from([item(5, '5'), item(4, '4')]) },
        ],
        'desc',
      ),
    );
    expect(out).toEqual(['9/9/spot', '5/5/spot', '4/4/spot', '1/1/spot']);
  });

  it('refuses a part that is not sorted instead of reordering it silently', async () => {
    const run = collect(mergeSorted([{ name: 'part-7', items: from([item(5, '5'), item(1, '1')]) }], 'asc'));
    await expect(run).rejects.toThrow(UnsortedPartError);
    await expect(
      collect(mergeSorted([{ name: 'part-7', items: from([item(5, '5'), item(1, '1')]) }], 'asc')),
    ).rejects.toThrow(/part-7 is not sorted ascending/);
  });

  it('reads the key from the fields before raw, whatever raw holds', () => {
    const line = JSON.stringify({
      orderId: '7',
      market: 'spot',
      kind: 'plan',
      symbol: 'BTCUSDT',
      cTime: 5,
      uTime: 6,
      raw: { raw: { ',"raw":': '}' }, note: 'x,"raw":{"cTime":1}' },
    });
    expect(parseMergeItem(line, 'p')).toMatchObject({
      line: Buffer.from(line),
      id: '7',
      cTime: 5,
      uTime: 6,
      kind: 'plan',
    });
  });

  it('reads the key of a line given as bytes, multi-byte characters before raw included, and keeps every byte', () => {
    const line = Buffer.from(
      JSON.stringify({ orderId: '8', clientOid: 'ç€😀', market: 'spot', cTime: 9, raw: { n: 'é' } }),
    );
    const item = parseMergeItem(line, 'p');
    expect(item).toMatchObject({ id: '8', cTime: 9, market: 'spot' });
    expect(item.line).toBe(line);
  });

  it('refuses a line without the merge key', () => {
    expect(() => parseMergeItem('{"orderId":"1"}', 'part-1')).toThrow(/part-1: a line lacks cTime/);
    expect(() => parseMergeItem('{"orderId":', 'part-2')).toThrow(/part-2: a line is not valid JSON/);
  });

  it('merges fills by (cTime, tradeId) and keeps one copy per (market, tradeId)', async () => {
    const fill = (cTime: number, tradeId: string, market: string) =>
      parseMergeItem(JSON.stringify({ tradeId, orderId: '1', market, cTime, raw: {} }), 'fills', 'fills');
    const stats = { duplicates: 0 };
    const out = await collect(
      mergeSorted(
        [
          { name: 'a', items: from([fill(1, '10', 'spot'), fill(2, '9', 'spot')]) },
          {
            name: 'b',
            items: from([fill(1, '10', 'spot'), fill(1, '10', 'usdt-futures'), fill(2, '11', 'spot')]),
          },
        ],
        'asc',
        stats,
      ),
    );
    expect(out).toEqual(['1/10/spot', '1/10/usdt-futures', '2/9/spot', '2/11/spot']);
    expect(stats.duplicates).toBe(1);
  });

  it('merges ledger entries by (cTime, billId) and keeps one copy per (source, account, billId)', async () => {
    const entry = (cTime: number, billId: string, source: string, account: string) =>
      parseMergeItem(JSON.stringify({ billId, account, source, cTime, raw: {} }), 'ledger', 'ledger');
    const stats = { duplicates: 0 };
    const merged: string[] = [];
    for await (const i of mergeSorted(
      [
        { name: 'bills', items: from([entry(1, '5', 'bills', 'spot'), entry(3, '7', 'bills', 'spot')]) },
        { name: 'tax', items: from([entry(1, '5', 'tax', 'spot'), entry(3, '7', 'bills', 'spot')]) },
      ],
      'asc',
      stats,
    ))
      merged.push(`${i.cTime}/${i.id}/${i.discriminator}`);
    expect(merged).toEqual(['1/5/bills:spot', '1/5/tax:spot', '3/7/bills:spot']);
    expect(stats.duplicates).toBe(1);
  });

  it('names the missing field of a fill or ledger line', () => {
    expect(() => parseMergeItem('{"cTime":1,"market":"spot"}', 'f', 'fills')).toThrow(
      /f: a fills line lacks cTime, tradeId or market/,
    );
    expect(() => parseMergeItem('{"cTime":1,"billId":"2","source":"tax"}', 'l', 'ledger')).toThrow(
      /l: a ledger line lacks cTime, billId or source and account/,
    );
  });
});
