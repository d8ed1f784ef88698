import type { Writable } from 'node:stream';
import type { RunOutput } from '../core/engine';
import type { RunStore } from '../storage/runStore';
import { LATEST_RESULT_KEY, resultKeys, runKeys } from '../storage/keys';
import type { MergeItem } from './merge';
import { mergeSorted, parseMergeItem } from './merge';
import type { LaneState, RunPlan } from './state';
import { laneStateSchema, runPlanSchema } from './state';

export interface CollectInput {
  runId: string;
  order?: 'asc' | 'desc';
  /** Set when an earlier step failed: the summary records it and no result files are written. */
  failure?: { Error?: string; Cause?: string } | undefined;
}

export interface CollectDeps {
  store: RunStore;
  now?: () => number;
  /** Parts merged at once (default MERGE_FAN_IN). */
  mergeFanIn?: number;
}

/** The run could not fetch everything (a circuit breaker opened, a lane is unfinished): never reported done. */
export class ExtractionIncompleteError extends Error {
  override readonly name = 'ExtractionIncompleteError';
}

/**
 * Merges every part of a run into the result files and writes the summary. With a failure, or when any lane
 * is unfinished, it writes only the summary (marked incomplete, with what is missing) and the run stays
 * resumable from its saved cursors.
 */
export async function collectRun(deps: CollectDeps, input: CollectInput): Promise<RunOutput> {
  const now = deps.now ?? Date.now;
  const { store } = deps;
  const collectStartedAt = now();
  const keys = runKeys(input.runId);
  const out = resultKeys(input.runId);
  const plan = await store.getJson(keys.plan, runPlanSchema);
  const lanes = await loadLanes(store, input.runId);
  const order = plan?.request.order ?? input.order ?? 'asc';

  const symbolsPlanned = plan?.needsSymbolSearch ? await store.exists(keys.symbolPlan) : true;
  const missing = incompleteness(plan, lanes, symbolsPlanned);
  const failure = input.failure
    ? { error: input.failure.Error ?? 'UnknownError', cause: truncate(input.failure.Cause ?? '') }
    : undefined;
  const base = {
    bucket: store.bucket,
    runId: input.runId,
    ordersJsonlKey: out.ordersJsonl,
    ordersJsonKey: out.ordersJson,
    summaryKey: out.summary,
  };

  if (failure || missing.length > 0) {
    const summary = buildSummary({
      plan,
      lanes,
      order,
      collectStartedAt,
      now: now(),
      merged: null,
      failure,
      missing,
    });
    await store.putJson(out.summary, summary);
    if (!failure) {
      throw new ExtractionIncompleteError(
        `run ${input.runId} is incomplete: ${missing.join('; ')}. Its cursors are saved: rerun with the same run id to resume.`,
      );
    }
    return { ...base, complete: false, orders: 0, failure };
  }

  const merged = await mergeParts(store, input.runId, order, deps.mergeFanIn);
  // No download URL is stored: a presigned URL embeds the signer's (session) credentials and would outlive
  // them in a file kept for years. The API signs one when a result is read.
  const summary = buildSummary({
    plan,
    lanes,
    order,
    collectStartedAt,
    now: now(),
    merged,
    failure: undefined,
    missing,
  });
  await store.putJson(out.summary, summary);
  await store.putJson(LATEST_RESULT_KEY, { runId: input.runId, ...out, orders: merged.orders, at: now() });
  return { ...base, complete: true, orders: merged.orders };
}

async function loadLanes(store: RunStore, runId: string): Promise<LaneState[]> {
  const keys = await store.list(runKeys(runId).lanesPrefix);
  const lanes: LaneState[] = [];
  for (const key of keys) {
    const lane = await store.getJson(key, laneStateSchema);
    if (lane) lanes.push(lane);
  }
  return lanes;
}

/** What keeps a run from being complete; empty when every order Bitget serves for the plan was fetched. */
function incompleteness(plan: RunPlan | null, lanes: LaneState[], symbolsPlanned: boolean): string[] {
  if (!plan) return ['the run was never planned'];
  const missing: string[] = [];
  const byId = new Map(lanes.map((l) => [l.laneId, l]));
  for (const id of plan.laneIds) if (!byId.get(id)?.done) missing.push(`lane ${id} is unfinished`);
  for (const w of plan.searchWindows) {
    if (!byId.get(`search-${w.windowId}`)?.done)
      missing.push(`symbol search of window ${w.windowId} is unfinished`);
  }
  if (!symbolsPlanned) missing.push('the symbols found by the search were never unified');
  for (const lane of lanes) {
    if (!plan.laneIds.includes(lane.laneId) && !lane.done) missing.push(`lane ${lane.laneId} is unfinished`);
    for (const c of lane.cursors) {
      if (c.broken) missing.push(`${c.id} stopped after repeated failures (${c.broken.message})`);
    }
  }
  return missing;
}

interface MergeResult {
  orders: number;
  duplicates: number;
  parts: number;
  first: number | null;
  last: number | null;
  byMarket: Record<string, number>;
  byKind: Record<string, number>;
  bySymbol: Record<string, number>;
}

/**
 * Parts merged at once. Every open part holds an HTTP connection until it is read to its end, so a merge of
 * more parts than the client has sockets would wait forever; beyond this, parts are first merged in groups
 * into intermediate sorted files (runs/<runId>/merged/), and those are merged in turn.
 */
export const MERGE_FAN_IN = 32;

async function mergeParts(
  store: RunStore,
  runId: string,
  order: 'asc' | 'desc',
  fanIn = MERGE_FAN_IN,
): Promise<MergeResult> {
  let keys = await store.list(runKeys(runId).partsPrefix);
  const parts = keys.length;
  const stats = { duplicates: 0 };
  for (let level = 0; keys.length > fanIn; level++) {
    const next: string[] = [];
    for (let g = 0; g * fanIn < keys.length; g++) {
      const key = `${runKeys(runId).root}/merged/${level}/${String(g).padStart(5, '0')}.ndjson`;
      const group = keys.slice(g * fanIn, (g + 1) * fanIn);
      const upload = store.createUpload(key, 'application/x-ndjson');
      await streamLines(
        mergeSorted(
          group.map((k) => ({ name: k, items: itemsOf(store, k) })),
          order,
          stats,
        ),
        [upload],
        (item) => [item.line + '\n'],
      );
      next.push(key);
    }
    keys = next;
  }
  const out = resultKeys(runId);
  const jsonl = store.createUpload(out.ordersJsonl, 'application/x-ndjson');
  const json = store.createUpload(out.ordersJson, 'application/json');
  const result: MergeResult = {
    orders: 0,
    duplicates: 0,
    parts,
    first: null,
    last: null,
    byMarket: {},
    byKind: {},
    bySymbol: {},
  };
  const sources = keys.map((key) => ({ name: key, items: itemsOf(store, key) }));
  await streamLines(
    mergeSorted(sources, order, stats),
    [jsonl, json],
    (item) => {
      count(result, item);
      return [item.line + '\n', (result.orders > 1 ? ',\n' : '') + item.line];
    },
    ['', '{"orders":[\n'],
    ['', '\n]}\n'],
  );
  result.duplicates = stats.duplicates;
  return result;
}

/**
 * Streams merged items into uploads (one text per upload per item), batching writes into chunks of about
 * 1 MiB: one write, and one await, per chunk rather than per order. Aborts every upload on failure.
 */
async function streamLines(
  items: AsyncIterable<MergeItem>,
  uploads: { stream: Writable; done: () => Promise<void> }[],
  render: (item: MergeItem) => string[],
  head: string[] = [],
  tail: string[] = [],
): Promise<void> {
  const chunks = uploads.map((_, i) => head[i] ?? '');
  const flush = async () => {
    await Promise.all(uploads.map((u, i) => write(u.stream, chunks[i]!)));
    chunks.fill('');
  };
  try {
    for await (const item of items) {
      const texts = render(item);
      for (let i = 0; i < chunks.length; i++) chunks[i] += texts[i] ?? '';
      if (chunks[0]!.length >= 1 << 20) await flush();
    }
    for (let i = 0; i < chunks.length; i++) chunks[i] += tail[i] ?? '';
    await flush();
    for (const u of uploads) u.stream.end();
  } catch (err) {
    for (const u of uploads) u.stream.destroy(err as Error);
    await Promise.allSettled(uploads.map((u) => u.done()));
    throw err;
  }
  await Promise.all(uploads.map((u) => u.done()));
}

async function* itemsOf(store: RunStore, key: string): AsyncGenerator<MergeItem> {
  for await (const line of store.readLines(key)) yield parseMergeItem(line, key);
}

function count(r: MergeResult, item: MergeItem): void {
  r.orders += 1;
  r.first ??= item.cTime;
  r.last = item.cTime;
  r.byMarket[item.market] = (r.byMarket[item.market] ?? 0) + 1;
  r.byKind[item.kind] = (r.byKind[item.kind] ?? 0) + 1;
  const sym = `${item.market}:${item.symbol}`;
  r.bySymbol[sym] = (r.bySymbol[sym] ?? 0) + 1;
}

function write(stream: Writable, chunk: string): Promise<void> {
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      stream.off('drain', onDrain);
      reject(err);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

function truncate(s: string): string {
  return s.length > 4000 ? `${s.slice(0, 4000)}…` : s;
}

export interface RunSummary {
  runId: string;
  complete: boolean;
  order: 'asc' | 'desc';
  mode: 'classic' | 'uta' | null;
  requested: { since: number | null; until: number | null } | null;
  served: { since: number; until: number } | null;
  notes: string[];
  missing: string[];
  failure: { error: string; cause: string } | null;
  orders: number;
  duplicatesDropped: number;
  parts: number;
  firstOrderTime: number | null;
  lastOrderTime: number | null;
  byMarket: Record<string, number>;
  byKind: Record<string, number>;
  bySymbol: Record<string, number>;
  requests: number;
  retries: number;
  http429: number;
  errors: Record<string, number>;
  lanes: {
    laneId: string;
    endpoint: string;
    done: boolean;
    orders: number;
    requests: number;
    cursors: number;
    invocations: number;
    busyMs: number;
    skippedSymbols: string[];
  }[];
  timing: Record<string, number | null>;
  generatedAt: number;
}

function buildSummary(a: {
  plan: RunPlan | null;
  lanes: LaneState[];
  order: 'asc' | 'desc';
  collectStartedAt: number;
  now: number;
  merged: MergeResult | null;
  failure: { error: string; cause: string } | undefined;
  missing: string[];
}): RunSummary {
  const { plan, lanes, merged } = a;
  const sum = (f: (l: LaneState) => number) => lanes.reduce((n, l) => n + f(l), 0);
  const errors: Record<string, number> = {};
  for (const l of lanes) for (const [k, v] of Object.entries(l.errors)) errors[k] = (errors[k] ?? 0) + v;
  const laneEnds = lanes.map((l) => l.finishedAt ?? null);
  const started = lanes.map((l) => l.startedAt ?? Infinity);
  return {
    runId: plan?.runId ?? '',
    complete: !a.failure && a.missing.length === 0 && merged !== null,
    order: a.order,
    mode: plan?.mode ?? null,
    requested: plan?.requested ?? null,
    served: plan?.served ?? null,
    notes: plan?.notes ?? [],
    missing: a.missing,
    failure: a.failure ?? null,
    orders: merged?.orders ?? 0,
    duplicatesDropped: merged?.duplicates ?? 0,
    parts: merged?.parts ?? 0,
    firstOrderTime: merged?.first ?? null,
    lastOrderTime: merged?.last ?? null,
    byMarket: merged?.byMarket ?? {},
    byKind: merged?.byKind ?? {},
    bySymbol: merged?.bySymbol ?? {},
    requests: sum((l) => l.requests),
    retries: sum((l) => l.retries),
    http429: sum((l) => l.http429),
    errors,
    lanes: lanes.map((l) => ({
      laneId: l.laneId,
      endpoint: l.endpoint,
      done: l.done,
      orders: l.ordersFetched,
      requests: l.requests,
      cursors: l.cursors.length,
      invocations: l.invocations,
      busyMs: l.busyMs,
      skippedSymbols: l.cursors.flatMap((c) => (c.skipped && c.source.symbol ? [c.source.symbol] : [])),
    })),
    timing: {
      plannedAt: plan?.stages['plan']?.startedAt ?? null,
      planMs: stageMs(plan, 'plan'),
      lanesStartedAt: started.length ? Math.min(...started) : null,
      lanesFinishedAt:
        laneEnds.every((e) => e !== null) && laneEnds.length ? Math.max(...(laneEnds as number[])) : null,
      laneBusyMsTotal: sum((l) => l.busyMs),
      collectMs: a.now - a.collectStartedAt,
      totalMs: plan?.stages['plan']?.startedAt ? a.now - plan.stages['plan'].startedAt : null,
    },
    generatedAt: a.now,
  };
}

function stageMs(plan: RunPlan | null, stage: string): number | null {
  const s = plan?.stages[stage];
  return s?.finishedAt !== undefined ? s.finishedAt - s.startedAt : null;
}
