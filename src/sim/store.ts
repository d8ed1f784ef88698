/**
 * Queries over the account's columnar arrays. Global indices are sorted by cTime and by orderId at once,
 * so both the time window and `idLessThan` become index bounds found by binary search.
 */
import type { Account } from './generator';
import { ID_BASE } from './generator';

export interface OrderQuery {
  /** Stream ids to merge (newest first across all of them). */
  streams: readonly number[];
  /** Inclusive cTime bounds. */
  startTime: number;
  endTime: number;
  /** Only orderIds strictly below this decimal id (idLessThan / cursor). */
  idLessThan?: string;
  /** Only this instrument (undefined: every instrument). */
  instrument?: number;
  /** Extra row filter (scanned, not indexed). */
  where?: (g: number) => boolean;
  limit: number;
}

export interface OrderPage {
  /** Global indices, newest first. */
  rows: number[];
  /** True when at least one more matching order exists beyond this page. */
  more: boolean;
}

/** First index i in [0, n) with value(i) >= x (n when none). */
function lowerBound(n: number, value: (i: number) => number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value(mid) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Global index bound: orders with global index < result have orderId < idLessThan. */
export function globalIdBound(account: Account, idLessThan: string): number {
  const id = BigInt(idLessThan);
  const offset = id - ID_BASE;
  if (offset <= 0n) return 0;
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) return account.count;
  const x = Number(offset);
  return lowerBound(account.count, (i) => account.idOffset[i] as number, x);
}

/** Global index range [lo, hi) of the orders with startTime <= cTime <= endTime. */
export function globalTimeRange(account: Account, startTime: number, endTime: number): [number, number] {
  const value = (i: number): number => account.cTime[i] as number;
  const lo = lowerBound(account.count, value, startTime);
  const hi = lowerBound(account.count, value, endTime + 1);
  return [lo, Math.max(lo, hi)];
}

/** Finds the global index of an order id (or -1). */
export function findOrder(account: Account, orderId: string): number {
  if (!/^\d{1,25}$/.test(orderId)) return -1;
  const g = globalIdBound(account, orderId);
  return g < account.count && (ID_BASE + BigInt(account.idOffset[g] as number)).toString() === orderId
    ? g
    : -1;
}

export function queryOrders(account: Account, q: OrderQuery): OrderPage {
  const [lo, timeHi] = globalTimeRange(account, q.startTime, q.endTime);
  const hi = q.idLessThan === undefined ? timeHi : Math.min(timeHi, globalIdBound(account, q.idLessThan));
  const cursors: Array<{ list: Uint32Array; pos: number; floor: number }> = [];
  for (const s of q.streams) {
    const index = account.streams[s];
    if (!index) continue;
    const list = q.instrument === undefined ? index.all : index.byInstrument.get(q.instrument);
    if (!list || list.length === 0) continue;
    const value = (i: number): number => list[i] as number;
    const floor = lowerBound(list.length, value, lo);
    const top = lowerBound(list.length, value, hi) - 1;
    if (top >= floor) cursors.push({ list, pos: top, floor });
  }
  const rows: number[] = [];
  const nextMatch = (): number => {
    for (;;) {
      let best = -1;
      let bestG = -1;
      cursors.forEach((c, k) => {
        if (c.pos >= c.floor && (c.list[c.pos] as number) > bestG) {
          bestG = c.list[c.pos] as number;
          best = k;
        }
      });
      if (best < 0) return -1;
      cursors[best]!.pos -= 1;
      if (!q.where || q.where(bestG)) return bestG;
    }
  };
  while (rows.length < q.limit) {
    const g = nextMatch();
    if (g < 0) return { rows, more: false };
    rows.push(g);
  }
  return { rows, more: nextMatch() >= 0 };
}
