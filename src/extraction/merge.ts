import type { DatasetName } from '../core/dataset';
import { compareOrderKey } from '../core/order';
import { headerText } from '../core/recordHeader';
import { UnsortedPartError } from './errors';
import { RECORD_SHAPES } from './records';

/** The fields of a part line the merge needs; the line itself is passed through untouched, as bytes. */
export interface MergeItem {
  /** The line's bytes, without its newline: written out as they were read, never decoded whole. */
  line: Buffer;
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
  /** Orders: the amounts the report's figures sum (null elsewhere, and where the order has none). */
  fee: string | null;
  feeCoin: string | null;
  baseVolume: string | null;
  quoteVolume: string | null;
  /** Every field of the line before `raw`, as parsed (a canonical record without `raw`). */
  fields: Record<string, unknown>;
}

const stringOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Reads the merge's fields of one canonical line of `dataset` (orders when not said), given as text or bytes. */
export function parseMergeItem(
  text: string | Buffer,
  where: string,
  dataset: DatasetName = 'orders',
): MergeItem {
  const line = typeof text === 'string' ? Buffer.from(text) : text;
  let o: unknown;
  try {
    // Only the fields before raw (several times faster than the whole line).
    o = JSON.parse(headerText(line));
  } catch {
    throw new UnsortedPartError(`${where}: a line is not valid JSON`);
  }
  const shape = RECORD_SHAPES[dataset];
  const orders = dataset === 'orders';
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
    fee: orders ? stringOrNull(r['fee']) : null,
    feeCoin: orders ? stringOrNull(r['feeCoin']) : null,
    baseVolume: orders ? stringOrNull(r['baseVolume']) : null,
    quoteVolume: orders ? stringOrNull(r['quoteVolume']) : null,
    fields: r,
  };
}

interface Head {
  item: MergeItem;
  source: number;
}

/** A merge's input: one sorted source, as items or as batches of items (one await per batch). */
export interface MergeSource {
  name: string;
  items?: AsyncIterable<MergeItem>;
  batches?: AsyncIterable<MergeItem[]>;
}

async function* batchesOfItems(items: AsyncIterable<MergeItem>): AsyncGenerator<MergeItem[]> {
  for await (const item of items) yield [item];
}

async function* none(): AsyncGenerator<MergeItem> {}

/** Items yielded per batch by mergeSortedBatches. */
const OUT_BATCH = 1024;

/**
 * Streaming k-way merge of sorted sources by (cTime, id), ascending or descending. Holds one item per
 * source, so memory does not grow with the number of records. Copies of the same record (same id and
 * discriminator: a page fetched twice after a restart) are adjacent under the key; the most recently updated
 * copy is kept (records without uTime: the first). A source that is not itself sorted is an error, never silently reordered.
 */
export async function* mergeSorted(
  sources: MergeSource[],
  order: 'asc' | 'desc',
  stats: { duplicates: number } = { duplicates: 0 },
): AsyncGenerator<MergeItem> {
  for await (const batch of mergeSortedBatches(sources, order, stats)) yield* batch;
}

/**
 * mergeSorted, yielding the merged items in batches (up to OUT_BATCH) and reading batched sources a batch at a
 * time: between two batches of a source the merge runs without awaiting, which is most of its speed.
 */
export async function* mergeSortedBatches(
  sources: MergeSource[],
  order: 'asc' | 'desc',
  stats: { duplicates: number } = { duplicates: 0 },
): AsyncGenerator<MergeItem[]> {
  const sign = order === 'asc' ? 1 : -1;
  const cmp = (a: MergeItem, b: MergeItem) => sign * compareOrderKey(a.cTime, a.id, b.cTime, b.id);
  const iterators = sources.map((s) =>
    (s.batches ?? batchesOfItems(s.items ?? none()))[Symbol.asyncIterator](),
  );
  const current: MergeItem[][] = sources.map(() => []);
  const next: number[] = sources.map(() => 0);
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
  const accept = (source: number, item: MergeItem, previous?: MergeItem) => {
    if (previous && cmp(item, previous) < 0) {
      throw new UnsortedPartError(
        `${sources[source]!.name} is not sorted ${order === 'asc' ? 'ascending' : 'descending'} by (cTime, id) near record ${item.id}`,
      );
    }
    push({ item, source });
  };
  /** The source's next item, reading its next non-empty batch when the current one is used up; null at its end. */
  const refill = async (source: number): Promise<MergeItem | null> => {
    for (;;) {
      const r = await iterators[source]!.next();
      if (r.done) return null;
      if (r.value.length > 0) {
        current[source] = r.value;
        next[source] = 1;
        return r.value[0]!;
      }
    }
  };

  await Promise.all(
    iterators.map(async (_, i) => {
      const first = await refill(i);
      if (first) accept(i, first);
    }),
  );
  let out: MergeItem[] = [];
  // The group of items sharing one (cTime, id): kept per discriminator, newest update wins.
  let group: MergeItem[] = [];
  const flushGroup = () => {
    if (group.length > 1)
      group.sort((a, b) =>
        a.discriminator < b.discriminator ? -1 : a.discriminator > b.discriminator ? 1 : 0,
      );
    for (const g of group) out.push(g);
    group = [];
  };
  while (heap.length > 0) {
    const { item, source } = pop();
    const batch = current[source]!;
    const at = next[source]!;
    let following: MergeItem | null;
    if (at < batch.length) {
      following = batch[at]!;
      next[source] = at + 1;
    } else following = await refill(source);
    if (following) accept(source, following, item);
    const head = group[0];
    if (head && (head.cTime !== item.cTime || head.id !== item.id)) {
      flushGroup();
      if (out.length >= OUT_BATCH) {
        yield out;
        out = [];
      }
    }
    const same = group.findIndex((g) => g.discriminator === item.discriminator);
    if (same === -1) group.push(item);
    else {
      stats.duplicates += 1;
      if ((item.uTime ?? 0) > (group[same]!.uTime ?? 0)) group[same] = item;
    }
  }
  flushGroup();
  if (out.length > 0) yield out;
}
