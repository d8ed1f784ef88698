import { newCursor } from './cursor';
import { PAGE_LIMIT, pageLimitOf } from './sources';
import type { FetchedPage } from './cursor';
import type { CursorState, LaneState } from './runState';

/**
 * When a cursor is split, and how.
 *
 * A lane whose cursors cannot keep its endpoint's rate busy (latency, one page per round trip per cursor) hands
 * the older half of a cursor's remaining range to a new cursor. The ranges stay disjoint, so no order is fetched
 * twice or missed.
 *
 * The split-cursor rule, said once here: both cursors keep asking from the start of the range before the split
 * (`queryStart`, below the newer cursor's own start). Rows come newest first, so the page that reaches below a
 * cursor's start proves it has every row of its range: it ends on that page (applyPage), and the rest belongs to
 * its older neighbour. A split therefore costs its last, partly filled page and never the exchange's empty
 * "nothing more" request. A started v3 cursor must keep that query anyway: its opaque token is only ever sent
 * back with the range it was issued for. A cursor split off a split cursor inherits the first `queryStart`, so
 * it too ends by crossing.
 */

/** The figures a lane's split decision uses. */
export interface SplitPolicy {
  /** Requests kept in flight per lane: no split beyond as many open cursors. */
  maxInFlight: number;
  /** A cursor is not split below this span. */
  minSplitMs: number;
  /** A cursor is split only when its remaining range is expected to hold at least this many pages. */
  minPagesToSplit: number;
  /** The same in the lane's tail (at most half the in-flight slots with a cursor); default 2. */
  tailPagesToSplit?: number;
}

/**
 * After a page of `cursor`: the new cursor that takes the older half of its range, or null. Only a full page
 * splits (a short one is the range's end), only while the lane has free in-flight slots and runs below its
 * endpoint's rate (`starved`): more cursors than latency needs cost requests and win no time. Of the lane's
 * open cursors (`open`), only one whose remaining range is expected to hold at least half the rows of the
 * largest is split: every split costs a request (its last, partly filled page), and halves of a small range
 * soon end and call for another split, where halves of the largest keep their in-flight slots longest.
 */
export function splitAfterPage(
  lane: LaneState,
  cursor: CursorState,
  page: FetchedPage,
  openCursors: number,
  policy: SplitPolicy,
  starved: () => boolean,
  open: readonly CursorState[] = [],
): CursorState | null {
  const pageLimit = pageLimitOf(cursor.source.endpoint);
  if (page.records.length < pageLimit || openCursors >= policy.maxInFlight || !starved()) return null;
  const times = page.records.map((o) => o.cTime);
  const spanMs = Math.max(...times) - Math.min(...times) + 1;
  const mine = remainingRows(cursor, page.records.length / spanMs);
  let largest = 0;
  for (const c of open) if (c !== cursor) largest = Math.max(largest, remainingRows(c) ?? 0);
  if (mine !== null && mine * 2 < largest) return null;
  const older = splitRange(cursor, policy.minSplitMs, {
    rows: page.records.length,
    pageLimit,
    spanMs,
    minPages: pagesToSplit(openCursors, policy.maxInFlight, policy.minPagesToSplit, policy.tailPagesToSplit),
  });
  if (!older) return null;
  const { start, end, queryStart } = older;
  return newCursor(lane, cursor.source, start, end, { queryStart });
}

/**
 * Rows a cursor's remaining range (below the oldest row it has read) is expected to hold: at `density` (rows per
 * ms) when given, else at the density of what it has read of its range so far. Null before its first page.
 */
export function remainingRows(cursor: CursorState, density?: number): number | null {
  if (cursor.done || cursor.oldestCTime === null) return null;
  const hi = Math.min(cursor.oldestCTime, cursor.end);
  const read = cursor.end - hi;
  const rate = density ?? (read > 0 ? cursor.orders / read : 0);
  return rate * Math.max(0, hi - cursor.start);
}

/**
 * Splits off the older half of a cursor's remaining range (the rule: above). Returns the new cursor's range and
 * the start its queries use, or null when the cursor cannot be split.
 */
export function splitRange(
  cursor: CursorState,
  minSpanMs: number,
  page?: { rows: number; spanMs: number; minPages: number; pageLimit?: number },
): { start: number; end: number; queryStart: number } | null {
  if (cursor.done || cursor.next === null || cursor.oldestCTime === null) return null;
  if (cursor.maxPages !== undefined) return null;
  const lo = cursor.start;
  const hi = Math.min(cursor.oldestCTime, cursor.end);
  if (hi - lo < 2 * minSpanMs) return null;
  // A new cursor costs about one request beyond its share of pages (its last, partly filled page): split only
  // when the density of the page just read says enough pages remain to pay for that.
  if (page && page.rows > 0) {
    const expectedRows = (page.rows / Math.max(1, page.spanMs)) * (hi - lo);
    if (expectedRows < page.minPages * (page.pageLimit ?? PAGE_LIMIT)) return null;
  }
  const mid = lo + Math.floor((hi - lo) / 2);
  const queryStart = cursor.queryStart ?? lo;
  cursor.queryStart = queryStart;
  cursor.start = mid;
  return { start: lo, end: mid, queryStart };
}

/**
 * Pages a cursor's remaining range must be expected to hold before it is split. Each split costs about one
 * request, so a busy lane asks for `minPagesToSplit`; in the tail, when at most half of the in-flight slots have
 * a cursor, `tailPagesToSplit` (2 by default) is enough: a lone cursor paginating one page per round trip leaves
 * the budget idle for a latency per page, which costs more than the request.
 */
export function pagesToSplit(
  openCursors: number,
  maxInFlight: number,
  minPagesToSplit: number,
  tailPagesToSplit: number = DEFAULT_TAIL_PAGES_TO_SPLIT,
): number {
  return openCursors * 2 <= maxInFlight ? tailPagesToSplit : minPagesToSplit;
}

export const DEFAULT_TAIL_PAGES_TO_SPLIT = 2;

/**
 * Whether a lane runs below its endpoint's rate, from the request starts of the last two seconds. The rate is
 * counted over at least one second: in the lane's first second the few starts so far read as a low rate, so
 * full pages split their cursors from the first round trip on (enough cursors from the first second) instead
 * of waiting for a second of history to show the budget idle.
 */
export function isStarved(startsInWindow: number, elapsedMs: number, targetRate: number): boolean {
  const seconds = Math.max(1, Math.min(2000, elapsedMs) / 1000);
  return startsInWindow / seconds < 0.85 * targetRate;
}
