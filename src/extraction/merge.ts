import type { DatasetName } from '../core/dataset';
import { compareOrderKey } from '../core/order';
import { UnsortedPartError } from './errors';
import { RECORD_SHAPES } from './records';

/** The fields of a part line the merge needs; the line itself is passed through untouched. */
export interface MergeItem {
  line: string;
  cTime: number;
  /** The record's id within its stream (orderId, tradeId or billId): the sort's tie-break. */
  id: string;
  /** What tells apart records sharing (cTime, id) (RECORD_SHAPES): copies agree in it. */
  discriminator: string;
  /** Orders' and fills' market; '' on ledger entries. */
  market: string;
  kind: string;
  symbol: string;
  uTime: number | null;
}

/** Reads the merge's fields of one canonical line of `dataset` (orders when not said). */
export function parseMergeItem(line: string, where: string, dataset: DatasetName = 'orders'): MergeItem {
  let o: unknown;
  try {
    o = JSON.parse(headerOf(line));
  } catch {
    throw new UnsortedPartError(`${where}: a line is not valid JSON`);
  }
  const shape = RECORD_SHAPES[dataset];
  const r = (o !== null && typeof o === 'object' ? o : {}) as Record<string, unknown>;
  const id = r[shape.idField];
  const discriminator = shape.discriminator(r);
  if (typeof r['cTime'] !== 'number' || typeof id !== 'string' || discriminator === null) {
    throw new UnsortedPartError(
      dataset === 'orders'
        ? `${where}: a line lacks cTime, orderId or market`
        : `${where}: a ${dataset} line lacks cTime, ${shape.idField} or ${dataset === 'fills' ? 'market' : 'source and account'}`,
    );
  }
  return {
    line,
    cTime: r['cTime'],
    id,
    discriminator,
    market: typeof r['market'] === 'string' ? r['market'] : '',
    kind: typeof r['kind'] === 'string' ? r['kind'] : '',
    symbol: typeof r['symbol'] === 'string' ? r['symbol'] : '',
    uTime: typeof r['uTime'] === 'number' ? r['uTime'] : null,
  };
}

/**
 * The part of a canonical line before its `raw` field. `raw` is written last and holds most of the
 * bytes; the keys before it have string, number, boolean or null values, in which an unescaped `,"raw":` cannot
 * occur, so the first one is the top-level key. Parsing the header alone makes the merge several times faster.
 * A line without it is parsed whole.
 */
function headerOf(line: string): string {
  const at = line.indexOf(',"raw":');
  return at > 0 && line.endsWith('}') ? `${line.slice(0, at)}}` : line;
}

interface Head {
  item: MergeItem;
  source: number;
}

/**
 * Streaming k-way merge of sorted sources by (cTime, id), ascending or descending. Holds one item per
 * source, so memory does not grow with the number of records. Copies of the same record (same id and
 * discriminator: a page fetched twice after a restart) are adjacent under the key; the most recently updated
 * copy is kept (records without uTime: the first). A source that is not itself sorted is an error, never silently reordered.
 */
export async function* mergeSorted(
  sources: { name: string; items: AsyncIterable<MergeItem> }[],
  order: 'asc' | 'desc',
  stats: { duplicates: number } = { duplicates: 0 },
): AsyncGenerator<MergeItem> {
  const sign = order === 'asc' ? 1 : -1;
  const cmp = (a: MergeItem, b: MergeItem) => sign * compareOrderKey(a.cTime, a.id, b.cTime, b.id);
  const iterators = sources.map((s) => s.items[Symbol.asyncIterator]());
  const heap: Head[] = [];
  const less = (a: Head, b: Head) => {
    const c = cmp(a.item, b.item);
    return c < 0 || (c === 0 && a.source < b.source);
  };
  const push = (h: Head) => {
    heap.push(h);
    for (let i = heap.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!less(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): Head => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  const advance = async (source: number, previous?: MergeItem) => {
    const next = await iterators[source]!.next();
    if (next.done) return;
    if (previous && cmp(next.value, previous) < 0) {
      throw new UnsortedPartError(
        `${sources[source]!.name} is not sorted ${order === 'asc' ? 'ascending' : 'descending'} by (cTime, id) near record ${next.value.id}`,
      );
    }
    push({ item: next.value, source });
  };

  await Promise.all(iterators.map((_, i) => advance(i)));
  // The group of items sharing one (cTime, id): kept per discriminator, newest update wins.
  let group: MergeItem[] = [];
  const flushGroup = function* () {
    group.sort((a, b) =>
      a.discriminator < b.discriminator ? -1 : a.discriminator > b.discriminator ? 1 : 0,
    );
    yield* group;
    group = [];
  };
  while (heap.length > 0) {
    const { item, source } = pop();
    await advance(source, item);
    const head = group[0];
    if (head && (head.cTime !== item.cTime || head.id !== item.id)) yield* flushGroup();
    const same = group.findIndex((g) => g.discriminator === item.discriminator);
    if (same === -1) group.push(item);
    else {
      stats.duplicates += 1;
      if ((item.uTime ?? 0) > (group[same]!.uTime ?? 0)) group[same] = item;
    }
  }
  yield* flushGroup();
}
