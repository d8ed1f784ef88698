import { randomBytes } from 'node:crypto';
import type { CanonicalOrder } from '../core/order';
import { compareOrderKey } from '../core/order';
import type { RunStore } from '../storage/runStore';
import { runKeys } from '../storage/keys';
import type { FetchPage } from './cursor';
import { PAGE_LIMIT, applyPage, nextQuery, pagesToSplit, splitRange } from './cursor';
import { ExtractionFatalError, classifyFailure } from './errors';
import { newCursor } from './plan';
import type { CursorState, LaneState } from './state';
import { laneStateSchema } from './state';
import { sourceKeeps } from './sources';

export interface LaneWorkerSettings {
  /** Requests kept in flight per lane: enough that latency never leaves the rate budget idle. */
  maxInFlight: number;
  /** Orders buffered before a part and the cursors are checkpointed to S3. */
  checkpointOrders: number;
  /** A cursor is not split below this span. */
  minSplitMs: number;
  /** A cursor is split only when its remaining range is expected to hold at least this many pages. */
  minPagesToSplit: number;
  /** The same in the lane's tail (at most half the in-flight slots with a cursor); default 2. */
  tailPagesToSplit?: number;
  /** Consecutive failed attempts (each after the client's own retries) that open a cursor's circuit. */
  breakerThreshold: number;
  /** Pause before a failed cursor is tried again, doubled per failure. */
  failureBackoffMs: number;
}

export interface LaneProgress {
  laneId: string;
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

export async function loadLane(store: RunStore, runId: string, laneId: string): Promise<LaneState> {
  const lane = await store.getJson(runKeys(runId).lane(laneId), laneStateSchema);
  if (!lane)
    throw new ExtractionFatalError(`lane ${laneId} of run ${runId} has no saved state`, {
      category: 'unknown',
      message: 'missing lane state',
    });
  return lane;
}

export async function saveLane(store: RunStore, lane: LaneState): Promise<void> {
  await store.putJson(runKeys(lane.runId).lane(lane.laneId), lane);
}

/**
 * Works one lane until every cursor is finished or the deadline passes: several cursors paginate at once
 * under the client's limiter for this endpoint; pages are buffered and checkpointed as a sorted NDJSON part
 * followed by the cursors that produced exactly those rows. A crash between the two re-fetches pages that are
 * already in a part: the collector drops those duplicates, nothing is lost.
 */
export async function runLane(
  deps: LaneWorkerDeps,
  inv: LaneInvocation,
  /** The lane's saved state when the caller has just read or written it (saves reading it again). */
  loaded?: LaneState,
): Promise<LaneState> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const { settings, store } = deps;
  const lane = loaded ?? (await loadLane(store, inv.runId, inv.laneId));
  const began = now();
  const statsBefore = deps.clientStats?.();

  if (inv.executionName && lane.executionName !== inv.executionName) {
    // A new execution resumes this lane: cursors whose circuit opened last time get another chance.
    for (const c of lane.cursors) {
      if (c.broken) {
        delete c.broken;
        c.failures = 0;
        c.done = false;
      }
    }
    lane.executionName = inv.executionName;
    lane.done = false;
  }
  lane.invocations += 1;
  lane.startedAt ??= began;

  const cmp = inv.order === 'asc' ? ascending : descending;
  let buffer: CanonicalOrder[] = [];
  let flushChain: Promise<void> = Promise.resolve();
  // Once a checkpoint fails, no later one may be written: its cursors would claim rows that are in no part.
  let flushError: unknown;
  let fatal: ExtractionFatalError | undefined;
  const notBefore = new Map<string, number>();
  const inflight = new Map<string, Promise<void>>();

  const checkpoint = () => {
    const rows = buffer;
    buffer = [];
    const snapshot = structuredClone(lane);
    const seq = lane.partsWritten;
    if (rows.length > 0) lane.partsWritten += 1;
    snapshot.partsWritten = lane.partsWritten;
    flushChain = flushChain.then(async () => {
      if (flushError !== undefined) return;
      try {
        await writeCheckpoint(rows, seq, snapshot);
      } catch (err) {
        flushError = err;
      }
    });
    return flushChain;
  };
  const writeCheckpoint = async (rows: CanonicalOrder[], seq: number, snapshot: LaneState) => {
    if (rows.length > 0) {
      rows.sort(cmp);
      const body = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
      await store.putText(runKeys(inv.runId).part(inv.laneId, seq, randomBytes(4).toString('hex')), body);
    }
    await saveLane(store, snapshot);
  };

  const open = (c: CursorState) => !c.done && !c.broken && !c.skipped;
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
      orders: lane.ordersFetched,
      requests: lane.requests,
      cursorsOpen: lane.cursors.filter(open).length,
      cursorsDone: lane.cursors.length - lane.cursors.filter(open).length,
    });

  const work = async (cursor: CursorState) => {
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
      const owned = applyPage(cursor, page).filter((o) => sourceKeeps(cursor.source, o.kind));
      for (const o of owned) {
        const key = `${o.market}:${o.symbol}`;
        lane.symbolsSeen[key] = (lane.symbolsSeen[key] ?? 0) + 1;
        buffer.push(o);
      }
      lane.ordersFetched += owned.length;
      const openCursors = lane.cursors.filter(open).length;
      if (page.orders.length >= PAGE_LIMIT && openCursors < settings.maxInFlight && starved()) {
        const times = page.orders.map((o) => o.cTime);
        const older = splitRange(cursor, settings.minSplitMs, {
          rows: page.orders.length,
          spanMs: Math.max(...times) - Math.min(...times) + 1,
          minPages: pagesToSplit(
            openCursors,
            settings.maxInFlight,
            settings.minPagesToSplit,
            settings.tailPagesToSplit,
          ),
        });
        if (older) {
          const { start, end, queryStart } = older;
          lane.cursors.push(newCursor(lane, cursor.source, start, end, { queryStart }));
        }
      }
      if (buffer.length >= settings.checkpointOrders) void checkpoint();
    } catch (err) {
      const { kind, info } = classifyFailure(err);
      lane.errors[info.category] = (lane.errors[info.category] ?? 0) + 1;
      if (kind === 'symbol_missing') {
        cursor.skipped = info;
      } else if (kind === 'retryable') {
        cursor.failures += 1;
        if (cursor.failures >= settings.breakerThreshold) cursor.broken = info;
        else notBefore.set(cursor.id, now() + settings.failureBackoffMs * 2 ** (cursor.failures - 1));
      } else {
        fatal ??= new ExtractionFatalError(`${cursor.id}: ${info.message}`, info);
      }
    }
    progress();
  };

  // Every invocation starts at least one round of requests, so a loop of invocations always makes progress,
  // however little time each one is given.
  let launched = 0;
  for (;;) {
    const stopping = deps.stopRequested?.() ?? false;
    if (!fatal && flushError === undefined && !stopping && (now() < inv.deadline || launched === 0)) {
      for (const c of lane.cursors) {
        if (inflight.size >= settings.maxInFlight) break;
        if (!open(c) || inflight.has(c.id) || (notBefore.get(c.id) ?? 0) > now()) continue;
        launched += 1;
        inflight.set(
          c.id,
          work(c).finally(() => inflight.delete(c.id)),
        );
      }
    }
    if (inflight.size === 0) {
      const waiting = lane.cursors.filter((c) => open(c) && notBefore.has(c.id));
      if (fatal || stopping || waiting.length === 0 || now() >= inv.deadline) break;
      const wake = Math.min(...waiting.map((c) => notBefore.get(c.id) ?? 0));
      await sleep(Math.max(1, Math.min(wake, inv.deadline) - now()));
      continue;
    }
    await Promise.race(inflight.values());
  }

  lane.done = !fatal && lane.cursors.every((c) => !open(c));
  if (lane.done) lane.finishedAt ??= now();
  lane.busyMs += now() - began;
  const statsAfter = deps.clientStats?.();
  if (statsBefore && statsAfter) {
    lane.retries += statsAfter.retries - statsBefore.retries;
    lane.http429 += statsAfter.http429 - statsBefore.http429;
  }
  await checkpoint();
  progress();
  if (fatal) throw fatal;
  if (flushError !== undefined) throw flushError;
  return lane;
}

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

const ascending = (a: CanonicalOrder, b: CanonicalOrder) =>
  compareOrderKey(a.cTime, a.orderId, b.cTime, b.orderId);
const descending = (a: CanonicalOrder, b: CanonicalOrder) => -ascending(a, b);
