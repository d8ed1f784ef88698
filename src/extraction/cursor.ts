import { DAY_MS, retentionDaysOf } from '../bitget/endpoints';
import { compareDecimalIds } from '../core/order';
import type { RunRecord } from './records';
import { recordIdOf } from './records';
import type { RunSource } from './sources';
import { datasetOfEndpoint, describeSource, isIdPaginated, pageLimitOf } from './sources';
import { PaginationStalledError } from './errors';
import type { CursorState, LaneState } from './runState';

export { PAGE_LIMIT } from './sources';

export interface PageQuery {
  source: RunSource;
  startTime: number;
  endTime: number;
  /** idLessThan for v2 endpoints, cursor for v3; null for the first page. */
  next: string | null;
  limit: number;
}

export interface FetchedPage {
  /**
   * Every row of the page, normalised (the normaliser throws on a malformed row: none is dropped): orders,
   * fills or ledger entries, as the source's data set says.
   */
  records: RunRecord[];
  /** null only when the exchange said there is nothing more. */
  next: string | null;
}

/** Fetches one page of one source: the port between the extraction and the Bitget client. */
export type FetchPage = (query: PageQuery) => Promise<FetchedPage>;

/**
 * The query for a cursor's next page. The range is widened by one millisecond below (startTime) and the
 * window's end is sent as endTime, so the cursor's [start, end) is covered whether Bitget treats each bound as
 * inclusive or exclusive; rows outside are left to the neighbouring cursor. Id-paginated sources also narrow
 * endTime to the oldest row seen (+1 ms), so that progress holds even if idLessThan were ignored alongside a
 * time range ("orderId > startTime+endTime > idLessThan" in Bitget's precedence notes).
 * A cursor made by a split asks from its `queryStart` instead of its start (why: cursorSplit.ts, splitRange).
 */
export function nextQuery(cursor: CursorState): PageQuery {
  const narrowed =
    isIdPaginated(cursor.source.endpoint) && cursor.oldestCTime !== null
      ? Math.min(cursor.end, cursor.oldestCTime + 1)
      : cursor.end;
  return {
    source: cursor.source,
    startTime: Math.max(0, (cursor.queryStart ?? cursor.start) - 1),
    endTime: narrowed,
    next: cursor.next,
    limit: pageLimitOf(cursor.source.endpoint),
  };
}

/**
 * Advances a cursor past a page and returns the rows it owns. Pure apart from mutating `cursor`.
 * The cursor is done only when the exchange says so (next === null); a page that does not move the token is
 * an error, never a silent stop.
 */
export function applyPage(cursor: CursorState, page: FetchedPage): RunRecord[] {
  const idBased = isIdPaginated(cursor.source.endpoint);
  const dataset = datasetOfEndpoint(cursor.source.endpoint);
  const previous = cursor.next;
  const owned = page.records.filter(
    (o) =>
      o.cTime >= cursor.start &&
      o.cTime < cursor.end &&
      (!idBased || previous === null || compareDecimalIds(recordIdOf(dataset, o), previous) < 0),
  );
  if (page.next !== null && page.next === previous) {
    throw new PaginationStalledError(
      `pagination of ${cursor.id} did not advance: the exchange returned the same cursor ${previous} again`,
    );
  }
  for (const o of page.records) {
    if (cursor.oldestCTime === null || o.cTime < cursor.oldestCTime) cursor.oldestCTime = o.cTime;
  }
  cursor.pages += 1;
  cursor.orders += owned.length;
  cursor.next = page.next;
  cursor.failures = 0;
  // A split cursor ends on the page that crosses below its range (cursorSplit.ts, splitRange). The page's last
  // row decides, not any row: an out-of-order row below the range inside a page ends nothing.
  const crossed = (page.records.at(-1)?.cTime ?? Infinity) < cursor.start;
  if (page.next === null || (crossed && cursor.queryStart !== undefined)) cursor.done = true;
  else if (cursor.maxPages !== undefined && cursor.pages >= cursor.maxPages) cursor.done = true;
  return owned;
}

/**
 * How far inside an endpoint's retention a cursor's query starts, by the server's clock: the retention boundary
 * moves on while a page is under way, and the two clocks may disagree by a little.
 */
export const RETENTION_SAFETY_MS = 60 * 1000;

/** The oldest time a query of `endpoint` may start at, by the server's clock `serverNow`, with `marginMs`. */
export function retentionBoundary(
  endpoint: RunSource['endpoint'],
  serverNow: number,
  marginMs = RETENTION_SAFETY_MS,
): number {
  return serverNow - retentionDaysOf(endpoint) * DAY_MS + marginMs;
}

/**
 * Moves the cursor's range up to `boundary` when it starts before it: the oldest part has fallen out of what
 * the endpoint serves (the plan started the run inside the retention, but a long run or a late resume outlives
 * that margin) and asking for it would be refused (40704) or silently cut. The part given up, [old start,
 * boundary), is added to `cursor.expired` so the summary names it; a cursor whose whole range expired is done.
 * A split cursor's `queryStart` (below its start) is raised too. Pure apart from mutating `cursor`; true when
 * it moved.
 */
export function clampToBoundary(cursor: CursorState, boundary: number): boolean {
  const asked = cursor.queryStart ?? cursor.start;
  if (cursor.done || asked >= boundary) return false;
  if (cursor.queryStart !== undefined) cursor.queryStart = Math.min(boundary, cursor.end);
  if (cursor.start < boundary) {
    const to = Math.min(boundary, cursor.end);
    cursor.expired = { from: cursor.expired?.from ?? cursor.start, to };
    cursor.start = to;
    if (to >= cursor.end) cursor.done = true;
  }
  return true;
}

/** A new cursor of `lane` over [start, end) of `source`, numbered in the lane's sequence. */
export function newCursor(
  lane: LaneState,
  source: RunSource,
  start: number,
  end: number,
  extra: Partial<CursorState> = {},
): CursorState {
  const id = `c${lane.nextCursorSeq++}:${describeSource(source)}`;
  return {
    id,
    source,
    start,
    end,
    next: null,
    oldestCTime: null,
    done: false,
    pages: 0,
    orders: 0,
    failures: 0,
    ...extra,
  };
}
