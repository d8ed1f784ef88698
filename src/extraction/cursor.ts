import type { CanonicalOrder } from '../core/order';
import { compareDecimalIds } from '../core/order';
import type { SourceSpec } from './sources';
import { isIdPaginated } from './sources';
import type { CursorState } from './state';

export const PAGE_LIMIT = 100;

export interface PageQuery {
  source: SourceSpec;
  startTime: number;
  endTime: number;
  /** idLessThan for v2 endpoints, cursor for v3; null for the first page. */
  next: string | null;
  limit: number;
}

export interface FetchedPage {
  /** Every row of the page, normalised (the normaliser throws on a malformed row: none is dropped). */
  orders: CanonicalOrder[];
  /** null only when the exchange said there is nothing more. */
  next: string | null;
}

/** Fetches one page of one source: the port between the extraction and the Bitget client. */
export type FetchPage = (query: PageQuery) => Promise<FetchedPage>;

export class PaginationStalledError extends Error {
  override readonly name = 'PaginationStalledError';
}

/**
 * The query for a cursor's next page. The range is widened by one millisecond below (startTime) and the
 * window's end is sent as endTime, so the cursor's [start, end) is covered whether Bitget treats each bound as
 * inclusive or exclusive; rows outside are left to the neighbouring cursor. Id-paginated sources also narrow
 * endTime to the oldest row seen (+1 ms), so that progress holds even if idLessThan were ignored alongside a
 * time range ("orderId > startTime+endTime > idLessThan" in Bitget's precedence notes).
 *
 * A cursor made by a split asks from its `queryStart` (the start of the range it was split from), below its
 * own start: the page that reaches past its start proves it has every row of its range (rows come newest
 * first), so it ends on that page instead of asking once more for the exchange's empty "nothing more".
 */
export function nextQuery(cursor: CursorState): PageQuery {
  const narrowed =
    isIdPaginated(cursor.source.endpoint) && cursor.lastCTime !== null
      ? Math.min(cursor.end, cursor.lastCTime + 1)
      : cursor.end;
  return {
    source: cursor.source,
    startTime: Math.max(0, (cursor.queryStart ?? cursor.start) - 1),
    endTime: narrowed,
    next: cursor.next,
    limit: PAGE_LIMIT,
  };
}

/**
 * Advances a cursor past a page and returns the rows it owns. Pure apart from mutating `cursor`.
 * The cursor is done only when the exchange says so (next === null); a page that does not move the token is
 * an error, never a silent stop.
 */
export function applyPage(cursor: CursorState, page: FetchedPage): CanonicalOrder[] {
  const idBased = isIdPaginated(cursor.source.endpoint);
  const previous = cursor.next;
  const owned = page.orders.filter(
    (o) =>
      o.cTime >= cursor.start &&
      o.cTime < cursor.end &&
      (!idBased || previous === null || compareDecimalIds(o.orderId, previous) < 0),
  );
  if (page.next !== null && page.next === previous) {
    throw new PaginationStalledError(
      `pagination of ${cursor.id} did not advance: the exchange returned the same cursor ${previous} again`,
    );
  }
  for (const o of page.orders) {
    if (cursor.lastCTime === null || o.cTime < cursor.lastCTime) cursor.lastCTime = o.cTime;
  }
  cursor.pages += 1;
  cursor.orders += owned.length;
  cursor.next = page.next;
  cursor.failures = 0;
  // Rows come newest first: once a page ends below the cursor's range, the cursor has every row of its range and
  // everything after belongs to the cursor that owns the older range (see nextQuery and splitRange). The page's
  // last row decides, not any row: an out-of-order row below the range inside a page ends nothing.
  const crossed = (page.orders.at(-1)?.cTime ?? Infinity) < cursor.start;
  if (page.next === null || (crossed && cursor.queryStart !== undefined)) cursor.done = true;
  else if (cursor.maxPages !== undefined && cursor.pages >= cursor.maxPages) cursor.done = true;
  return owned;
}

/**
 * When a lane has too few cursors to keep its budget busy, a cursor with more to fetch hands the older half of
 * its remaining range to a new cursor. The ranges stay disjoint, so no order is fetched twice or missed.
 * Returns the new cursor's range and the start its queries use, or null when the cursor cannot be split.
 *
 * Both cursors keep asking from the start of the range before the split (`queryStart`): the split cursor stops
 * on the page that crosses into its older neighbour's range, so a split costs its last, partly filled page and
 * no "nothing more" request. A started v3 cursor must keep that query anyway: its opaque token is only ever
 * sent back with the range it was issued for.
 */
export function splitRange(
  cursor: CursorState,
  minSpanMs: number,
  page?: { rows: number; spanMs: number; minPages: number },
): { start: number; end: number; queryStart: number } | null {
  if (cursor.done || cursor.next === null || cursor.lastCTime === null) return null;
  if (cursor.maxPages !== undefined) return null;
  const lo = cursor.start;
  const hi = Math.min(cursor.lastCTime, cursor.end);
  if (hi - lo < 2 * minSpanMs) return null;
  // A new cursor costs about one request beyond its share of pages (its last, partly filled page): split only
  // when the density of the page just read says enough pages remain to pay for that.
  if (page && page.rows > 0) {
    const expectedRows = (page.rows / Math.max(1, page.spanMs)) * (hi - lo);
    if (expectedRows < page.minPages * PAGE_LIMIT) return null;
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
