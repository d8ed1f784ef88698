import type { RunStore } from '../storage/RunStore';
import type { FetchPage } from './cursor';
import { applyPage, clampToBoundary, nextQuery, RETENTION_SAFETY_MS, retentionBoundary } from './cursor';
import type { SplitPolicy } from './cursorSplit';
import { isStarved, splitAfterPage } from './cursorSplit';
import { ExtractionFatalError, classifyFailure } from './errors';
import { LaneCheckpointer } from './LaneCheckpointer';
import { RunRepository } from './RunRepository';
import type { DatasetName } from '../core/dataset';
import type { CursorState, LaneState } from './runState';
import { laneDataset } from './runState';
import { SpanTooWideError } from '../bitget/spanError';
import { newCursor } from './cursor';
import { isOrderSource, sourceKeeps } from './sources';

export interface LaneWorkerSettings extends SplitPolicy {
  /** Orders buffered before a part and the cursors are checkpointed to S3. */
  checkpointOrders: number;
  /** Consecutive failed attempts (each after the client's own retries) that open a cursor's circuit. */
  breakerThreshold: number;
  /** Pause before a failed cursor is tried again, doubled per failure. */
  failureBackoffMs: number;
}

export interface LaneProgress {
  laneId: string;
  /** The data set the lane fetches: its `orders` count is of that data set's records. */
  dataset: DatasetName;
  orders: number;
  requests: number;
  cursorsOpen: number;
  cursorsDone: number;
}

export interface LaneWorkerDeps {
  store: RunStore;
  fetchPage: FetchPage;
  settings: LaneWorkerSettings;
  now?: () => number;
  /**
   * The exchange's clock (epoch ms), which decides where each endpoint's retention begins: a cursor's query
   * never starts before that boundary (cursor.ts, clampToBoundary). Undefined (not known yet, or absent): no
   * query is moved beforehand (never by our own clock: the exchange's may be days away, as the simulator's is),
   * and a 40704 refusal moves it.
   */
  serverNow?: () => number | undefined;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Requests per second the endpoint allows this client. Cursors split only while the lane runs below it:
   * more cursors than latency needs cost requests and win no time.
   */
  targetRate?: number;
  /** Client counters of this lane's endpoint (requests, retries, 429s), to attribute them to the lane. */
  clientStats?: () => { requests: number; retries: number; http429: number };
  onProgress?: (p: LaneProgress) => void;
  /** True once the run is being interrupted: no new request starts, in-flight ones finish and are saved. */
  stopRequested?: () => boolean;
}

export interface LaneInvocation {
  runId: string;
  laneId: string;
  /** Absolute time (ms) after which no new request is started. */
  deadline: number;
  order: 'asc' | 'desc';
  executionName?: string;
}

const isOpen = (c: CursorState) => !c.done && !c.broken && !c.skipped;

/**
 * Works one lane until every cursor is finished or the deadline passes: several cursors paginate at once
 * under the client's limiter for this endpoint; their rows are checkpointed by a LaneCheckpointer, their
 * cursors split by the split policy (cursorSplit.ts). The lane's counters are updated in place, also when it
 * throws.
 */
export async function runLane(
  deps: LaneWorkerDeps,
  inv: LaneInvocation,
  /** The lane's saved state when the caller has just read or written it (saves reading it again). */
  loaded?: LaneState,
): Promise<LaneState> {
  const now = deps.now ?? Date.now;
  const run = new RunRepository(deps.store, inv.runId);
  const lane = loaded ?? (await run.loadLane(inv.laneId));
  const began = now();
  const statsBefore = deps.clientStats?.();
  if (inv.executionName) resumeForExecution(lane, inv.executionName);
  lane.invocations += 1;
  lane.startedAt ??= began;

  const checkpointer = new LaneCheckpointer(run, lane, inv.order, deps.settings.checkpointOrders);
  const pager = cursorPager(deps, lane, checkpointer, began);
  await schedule(deps, inv, lane, pager, () => checkpointer.error !== undefined);

  lane.done = !pager.fatal() && lane.cursors.every((c) => !isOpen(c));
  if (lane.done) lane.finishedAt ??= now();
  lane.busyMs += now() - began;
  const statsAfter = deps.clientStats?.();
  if (statsBefore && statsAfter) {
    lane.retries += statsAfter.retries - statsBefore.retries;
    lane.http429 += statsAfter.http429 - statsBefore.http429;
  }
  await checkpointer.checkpoint();
  pager.progress();
  const fatal = pager.fatal();
  if (fatal) throw fatal;
  if (checkpointer.error) throw checkpointer.error.error;
  return lane;
}

/** A new execution resumes this lane: cursors whose circuit opened last time get another chance. */
function resumeForExecution(lane: LaneState, executionName: string): void {
  if (lane.executionName === executionName) return;
  for (const c of lane.cursors) {
    if (c.broken) {
      delete c.broken;
      c.failures = 0;
      c.done = false;
    }
  }
  lane.executionName = executionName;
  lane.done = false;
}

/**
 * The exchange refused a cursor's first query as spanning too many days (the docs disagree on the tax records'
 * span, src/bitget/spanError.ts): the cursor keeps the older half of its range and a new cursor takes the newer
 * half, each asked again. Only a cursor that has not started can be halved (a started one's token belongs to its
 * range); true when it was.
 */
function halveRefusedWindow(lane: LaneState, cursor: CursorState, err: unknown): boolean {
  if (!(err instanceof SpanTooWideError) || cursor.next !== null || cursor.queryStart !== undefined)
    return false;
  if (cursor.end - cursor.start < 2) return false;
  const mid = cursor.start + Math.floor((cursor.end - cursor.start) / 2);
  lane.cursors.push(newCursor(lane, cursor.source, mid, cursor.end));
  cursor.end = mid;
  cursor.oldestCTime = null;
  return true;
}

type CursorPager = ReturnType<typeof cursorPager>;

/**
 * Fetches one page of a cursor and accounts for it: the rows the run asked for are kept, the cursor may be
 * split, a failure skips the symbol, backs the cursor off (opening its circuit at the threshold) or is fatal.
 */
function cursorPager(deps: LaneWorkerDeps, lane: LaneState, checkpointer: LaneCheckpointer, began: number) {
  const now = deps.now ?? Date.now;
  const { settings } = deps;
  let fatal: ExtractionFatalError | undefined;
  const notBefore = new Map<string, number>();
  // Per cursor, the extra margin its next query keeps after the exchange refused one as too old (doubled per
  // refusal: the cursor's range shrinks geometrically, so a refusing exchange ends it, named, in a few steps).
  const refusedMargin = new Map<string, number>();
  const clamp = (cursor: CursorState) => {
    const server = deps.serverNow?.();
    if (server === undefined) return false;
    const margin = refusedMargin.get(cursor.id) ?? RETENTION_SAFETY_MS;
    return clampToBoundary(cursor, retentionBoundary(cursor.source.endpoint, server, margin));
  };
  // Request starts of the last two seconds: the lane's own rate, against the rate the endpoint allows.
  const starts: number[] = [];
  const starved = () => {
    if (deps.targetRate === undefined) return true;
    const t = now();
    while (starts.length > 0 && starts[0]! <= t - 2000) starts.shift();
    return isStarved(starts.length, t - began, deps.targetRate);
  };
  const progress = () =>
    deps.onProgress?.({
      laneId: lane.laneId,
      dataset: laneDataset(lane),
      orders: lane.ordersFetched,
      requests: lane.requests,
      cursorsOpen: lane.cursors.filter(isOpen).length,
      cursorsDone: lane.cursors.length - lane.cursors.filter(isOpen).length,
    });
  const failed = (cursor: CursorState, err: unknown) => {
    if (halveRefusedWindow(lane, cursor, err)) return;
    const { kind, info } = classifyFailure(err);
    if (kind === 'retention_expired') {
      // Not fatal: the range's oldest part has expired by the server's clock. Move past it (named) and ask again.
      lane.errors['retention'] = (lane.errors['retention'] ?? 0) + 1;
      const asked = cursor.queryStart ?? cursor.start;
      const margin = 2 * (refusedMargin.get(cursor.id) ?? RETENTION_SAFETY_MS);
      refusedMargin.set(cursor.id, margin);
      // At least past what was refused, whatever our clock says.
      if (!clamp(cursor)) clampToBoundary(cursor, asked + margin);
      return;
    }
    lane.errors[info.category] = (lane.errors[info.category] ?? 0) + 1;
    if (kind === 'symbol_missing') {
      cursor.skipped = info;
    } else if (kind === 'retryable') {
      cursor.failures += 1;
      if (cursor.failures >= settings.breakerThreshold) cursor.broken = info;
      else notBefore.set(cursor.id, now() + settings.failureBackoffMs * 2 ** (cursor.failures - 1));
    } else {
      fatal ??= new ExtractionFatalError(`${cursor.id}: ${info.message}`, info, { cause: err });
    }
  };
  const fetchNext = async (cursor: CursorState) => {
    clamp(cursor);
    if (cursor.done) {
      progress();
      return;
    }
    lane.requests += 1;
    starts.push(now());
    // Counted when the exchange has answered (or failed): a page is queued behind the client's limiter before it
    // is sent, so the time it was asked for says nothing about the rate the exchange saw.
    const answered = () => {
      const second = String(Math.floor(now() / 1000));
      lane.requestsBySecond[second] = (lane.requestsBySecond[second] ?? 0) + 1;
    };
    try {
      const page = await deps.fetchPage(nextQuery(cursor)).finally(answered);
      // Every row moves the cursor; only the kinds the run asked for are kept.
      const owned = applyPage(cursor, page).filter((o) => sourceKeeps(cursor.source, o));
      for (const o of owned) {
        // The searcher takes its candidate symbols from the orders seen.
        if (isOrderSource(cursor.source) && 'kind' in o) {
          const key = `${o.market}:${o.symbol}`;
          lane.symbolsSeen[key] = (lane.symbolsSeen[key] ?? 0) + 1;
        }
        checkpointer.add(o);
      }
      lane.ordersFetched += owned.length;
      const open = lane.cursors.filter(isOpen);
      const older = splitAfterPage(lane, cursor, page, open.length, settings, starved, open);
      if (older) lane.cursors.push(older);
      checkpointer.checkpointIfFull();
    } catch (err) {
      failed(cursor, err);
    }
    progress();
  };
  return {
    fetchNext,
    progress,
    fatal: () => fatal,
    /** Until when a failed cursor waits before it is tried again (absent: not waiting). */
    notBefore: (cursor: CursorState) => notBefore.get(cursor.id),
  };
}

/**
 * The lane's scheduling loop: keeps up to `maxInFlight` open cursors paginating until none is open, the
 * deadline passes, the run is stopped, a page failed fatally or a checkpoint failed. Every invocation starts at
 * least one round of requests, so a loop of invocations always makes progress, however little time each one is
 * given. Cursors backing off after a failure are waited for while the deadline allows.
 */
async function schedule(
  deps: LaneWorkerDeps,
  inv: LaneInvocation,
  lane: LaneState,
  pager: CursorPager,
  checkpointFailed: () => boolean,
): Promise<void> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const { maxInFlight } = deps.settings;
  const inflight = new Map<string, Promise<void>>();
  let launched = 0;
  for (;;) {
    const stopping = deps.stopRequested?.() ?? false;
    if (!pager.fatal() && !checkpointFailed() && !stopping && (now() < inv.deadline || launched === 0)) {
      for (const c of lane.cursors) {
        if (inflight.size >= maxInFlight) break;
        if (!isOpen(c) || inflight.has(c.id) || (pager.notBefore(c) ?? 0) > now()) continue;
        launched += 1;
        inflight.set(
          c.id,
          pager.fetchNext(c).finally(() => inflight.delete(c.id)),
        );
      }
    }
    if (inflight.size === 0) {
      const waiting = lane.cursors.filter((c) => isOpen(c) && pager.notBefore(c) !== undefined);
      if (pager.fatal() || stopping || waiting.length === 0 || now() >= inv.deadline) break;
      const wake = Math.min(...waiting.map((c) => pager.notBefore(c) ?? 0));
      await sleep(Math.max(1, Math.min(wake, inv.deadline) - now()));
      continue;
    }
    await Promise.race(inflight.values());
  }
}
