import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { MergeItem } from '../../src/extraction/merge';
import { mergeSorted, parseMergeItem } from '../../src/extraction/merge';

jest.setTimeout(120_000);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A sorted part generated on the fly: nothing of it is held in memory. */
async function* part(source: number, parts: number, perPart: number): AsyncGenerator<MergeItem> {
  for (let i = 0; i < perPart; i++) {
    const n = i * parts + source;
    const line = JSON.stringify({
      orderId: String(1_000_000_000_000_000_000n + BigInt(n)),
      market: 'spot',
      kind: 'normal',
      symbol: `SYM${source % 60}USDT`,
      cTime: 1_700_000_000_000 + n,
      uTime: 1_700_000_000_000 + n,
      raw: { pad: 'x'.repeat(300) },
    });
    yield parseMergeItem(line, `part-${source}`);
  }
}

/** Retained heap (after a full GC), sampled while the merge streams `total` orders out of 100 parts. */
async function peakRetainedHeap(total: number): Promise<{ peak: number; merged: number }> {
  const parts = 100;
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  let merged = 0;
  const sources = Array.from({ length: parts }, (_, s) => ({
    name: `p${s}`,
    items: part(s, parts, total / parts),
  }));
  for await (const item of mergeSorted(sources, 'asc')) {
    merged++;
    if (item.line.length === 0) throw new Error('empty line');
    if (merged % 20_000 === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
  }
  return { peak, merged };
}

describe('the collector merge', () => {
  it('holds memory flat as the number of orders grows fourfold', async () => {
    const small = await peakRetainedHeap(100_000);
    const large = await peakRetainedHeap(400_000);
    expect(small.merged).toBe(100_000);
    expect(large.merged).toBe(400_000);
    // Flat: the larger merge retains no more than 20 % (plus 2 MB of noise) over the smaller one.
    expect(large.peak).toBeLessThan(small.peak * 1.2 + 2 * 1024 * 1024);
  });
});
