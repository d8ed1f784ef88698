import { DEFAULT_TAIL_PAGES_TO_SPLIT } from './cursor';
import { ENDPOINTS } from '../bitget/endpoints';
import type { EndpointId } from '../bitget/endpoints';
import type { ExtractionRequest } from '../core/request';
import type { RunStore } from '../storage/runStore';
import { RUN_ID_PATTERN, runKeys } from '../storage/keys';
import type { ExchangePort } from './exchange';
import { ExtractionFatalError } from './errors';
import type { LaneProgress, LaneWorkerSettings } from './laneWorker';
import { loadLane, runLane, saveLane } from './laneWorker';
import { newCursor, newLane, planRun, wantsSpotPlanDiscovery } from './plan';
import type { PlanSettings } from './plan';
import type { LaneState, RunPlan, SymbolPlan } from './state';
import { laneStateSchema, runPlanSchema, symbolPlanSchema } from './state';
import { laneCounters, laneReport } from './laneReport';
import type { LaneStop, LogPort, MetricsPort } from './telemetry';
import { NO_METRICS, SILENT_LOG } from './telemetry';

export interface ExtractionSettings {
  /** Seconds of request latency each lane keeps in flight: in-flight = ceil(rate × this). */
  inFlightSeconds: number;
  checkpointOrders: number;
  minSplitMs: number;
  minPagesToSplit: number;
  /** In a lane's tail (src/extraction/cursor.ts, pagesToSplit). */
  tailPagesToSplit: number;
  breakerThreshold: number;
  failureBackoffMs: number;
  plan?: PlanSettings;
}

export const DEFAULT_EXTRACTION_SETTINGS: ExtractionSettings = {
  inFlightSeconds: 0.6,
  checkpointOrders: 20_000,
  minSplitMs: 60_000,
  minPagesToSplit: 4,
  tailPagesToSplit: DEFAULT_TAIL_PAGES_TO_SPLIT,
  breakerThreshold: 4,
  failureBackoffMs: 2_000,
};

export interface ExtractionDeps {
  store: RunStore;
  exchange: ExchangePort;
  settings: ExtractionSettings;
  now?: () => number;
  onProgress?: (p: LaneProgress) => void;
  /** True once the run is being interrupted (Ctrl-C): lanes start no new request and checkpoint. */
  stopRequested?: () => boolean;
  /** What each stage did (lane, pages, orders, time, why it stopped); silent when omitted. */
  log?: LogPort;
  /** Orders, requests, retries and 429s per endpoint, and lane time; none when omitted. */
  metrics?: MetricsPort;
}

/** The stage's logger, with the run's keys on every line. */
function runLog(deps: ExtractionDeps, keys: { runId: string; laneId?: string; executionName?: string }) {
  return (deps.log ?? SILENT_LOG).child({
    runId: keys.runId,
    ...(keys.laneId ? { laneId: keys.laneId } : {}),
    ...(keys.executionName ? { executionName: keys.executionName } : {}),
  });
}

/** The lane that continues the symbols the searcher found with more than one page. */
export const FOUND_SYMBOLS_LANE = 'spot-plan-found';

export interface PlanOutput {
  runId: string;
  laneIds: string[];
  windowIds: string[];
  needsSymbolSearch: boolean;
}

/**
 * time-range-mapper: plans the run and saves the plan and lanes. A run id that already has a plan is being
 * resumed: its plan and cursors are kept as they are.
 */
export async function planStage(
  deps: ExtractionDeps,
  input: { runId: string; request: ExtractionRequest },
): Promise<PlanOutput> {
  const now = deps.now ?? Date.now;
  if (!RUN_ID_PATTERN.test(input.runId)) {
    throw new ExtractionFatalError(`run id ${JSON.stringify(input.runId)} is not valid`, {
      category: 'param',
      message: 'run id must be 1-80 letters, digits, _ or -',
    });
  }
  const log = runLog(deps, input);
  const keys = runKeys(input.runId);
  const existing = await deps.store.getJson(keys.plan, runPlanSchema);
  if (existing) {
    log.info('run plan found: resuming', { lanes: existing.laneIds.length, mode: existing.mode });
    return planOutput(existing);
  }

  const startedAt = now();
  const spotPlanWanted = wantsSpotPlanDiscovery(input.request);
  // The symbol list is only needed on classic accounts, but asking for it alongside the mode costs no time.
  const [serverNow, mode, listed] = await Promise.all([
    deps.exchange.serverTime(),
    deps.exchange.accountMode(),
    spotPlanWanted ? deps.exchange.spotSymbols() : Promise.resolve([]),
  ]);
  const { plan, lanes } = planRun({
    runId: input.runId,
    request: input.request,
    serverNow,
    mode,
    listedSpotSymbols: listed,
    ...(deps.settings.plan ? { settings: deps.settings.plan } : {}),
  });
  await Promise.all(lanes.map((lane) => saveLane(deps.store, lane)));
  plan.stages['plan'] = { startedAt, finishedAt: now() };
  // The plan is written last: its presence means planning finished.
  await deps.store.putJson(keys.plan, plan);
  log.info('run planned', {
    mode,
    laneIds: plan.laneIds,
    windows: plan.searchWindows.length,
    needsSymbolSearch: plan.needsSymbolSearch,
    served: plan.served,
    notes: plan.notes,
    ms: now() - startedAt,
  });
  return planOutput(plan);
}

function planOutput(plan: RunPlan): PlanOutput {
  return {
    runId: plan.runId,
    laneIds: plan.laneIds,
    windowIds: plan.searchWindows.map((w) => w.windowId),
    needsSymbolSearch: plan.needsSymbolSearch,
  };
}

async function loadPlan(store: RunStore, runId: string): Promise<RunPlan> {
  const plan = await store.getJson(runKeys(runId).plan, runPlanSchema);
  if (!plan) {
    throw new ExtractionFatalError(`run ${runId} has no plan`, {
      category: 'unknown',
      message: 'missing plan',
    });
  }
  return plan;
}

export function laneSettings(settings: ExtractionSettings, endpoint: EndpointId): LaneWorkerSettings {
  return {
    maxInFlight: Math.max(2, Math.ceil(ENDPOINTS[endpoint].ratePerSecond * settings.inFlightSeconds)),
    checkpointOrders: settings.checkpointOrders,
    minSplitMs: settings.minSplitMs,
    minPagesToSplit: settings.minPagesToSplit,
    tailPagesToSplit: settings.tailPagesToSplit,
    breakerThreshold: settings.breakerThreshold,
    failureBackoffMs: settings.failureBackoffMs,
  };
}

async function workLane(
  deps: ExtractionDeps,
  runId: string,
  laneId: string,
  deadline: number,
  executionName: string | undefined,
  known?: { plan?: RunPlan; lane?: LaneState },
): Promise<LaneState> {
  const now = deps.now ?? Date.now;
  const plan = known?.plan ?? (await loadPlan(deps.store, runId));
  const lane = known?.lane ?? (await loadLane(deps.store, runId, laneId));
  const endpoint = lane.endpoint as EndpointId;
  // The worker updates `lane` in place, also when it throws: the invocation's figures are the difference.
  const before = laneCounters(lane, executionName);
  const began = now();
  const report = (stop: LaneStop, err?: unknown) => {
    const r = laneReport(
      lane,
      before,
      { runId, laneId, endpoint, stop, ms: now() - began },
      executionName,
      err,
    );
    const log = runLog(deps, { runId, laneId, ...(executionName ? { executionName } : {}) });
    const { runId: _r, laneId: _l, executionName: _e, ...fields } = r;
    const level = stop === 'fatal' || stop === 'error' ? 'error' : stop === 'circuit_open' ? 'warn' : 'info';
    log[level]('lane invocation ended', fields);
    (deps.metrics ?? NO_METRICS).laneInvocation(r);
  };
  let worked: LaneState;
  try {
    worked = await runLane(
      {
        store: deps.store,
        fetchPage: deps.exchange.fetchPage,
        settings: laneSettings(deps.settings, endpoint),
        clientStats: () => deps.exchange.endpointStats(endpoint),
        targetRate: deps.exchange.rateLimit(endpoint),
        ...(deps.now ? { now: deps.now } : {}),
        ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
        ...(deps.stopRequested ? { stopRequested: deps.stopRequested } : {}),
      },
      { runId, laneId, deadline, order: plan.request.order, ...(executionName ? { executionName } : {}) },
      lane,
    );
  } catch (err) {
    report(err instanceof ExtractionFatalError ? 'fatal' : 'error', err);
    throw err;
  }
  const broken = worked.cursors.some((c) => c.broken);
  report(worked.done ? (broken ? 'circuit_open' : 'done') : 'deadline');
  return worked;
}

/** symbol-processor: works one lane until done or the deadline; the state machine loops it until done. */
export async function processLaneStage(
  deps: ExtractionDeps,
  input: { runId: string; laneId: string; deadline: number; executionName?: string },
): Promise<{ runId: string; laneId: string; done: boolean }> {
  const lane = await workLane(deps, input.runId, input.laneId, input.deadline, input.executionName);
  return { runId: input.runId, laneId: input.laneId, done: lane.done };
}

/**
 * symbol-searcher: for one window, asks spot plan history once for every candidate symbol the list could not
 * name: spot symbols seen in the orders already fetched but absent from Bitget's symbol list (delisted ones).
 * Listed symbols (online, offline, halted) are already in the `spot-plan` lane. The first page of each is
 * kept as data; symbols with more pages go to the unifier. No cap on the number of candidates.
 */
export async function searchWindowStage(
  deps: ExtractionDeps,
  input: { runId: string; windowId: string; deadline: number; executionName?: string },
): Promise<{ runId: string; windowId: string; done: boolean }> {
  const plan = await loadPlan(deps.store, input.runId);
  const window = plan.searchWindows.find((w) => w.windowId === input.windowId);
  if (!window) {
    throw new ExtractionFatalError(`run ${input.runId} has no search window ${input.windowId}`, {
      category: 'unknown',
      message: 'unknown window',
    });
  }
  const laneId = `search-${input.windowId}`;
  const keys = runKeys(input.runId);
  let created: LaneState | undefined;
  if (!(await deps.store.exists(keys.lane(laneId)))) {
    const candidates = await unlistedSpotSymbols(deps, plan);
    runLog(deps, { ...input, laneId }).info('search window planned', {
      windowId: input.windowId,
      candidates: candidates.length,
    });
    created = newLane(input.runId, laneId, 'spotPlanHistory');
    for (const symbol of candidates) {
      created.cursors.push(
        newCursor(created, { endpoint: 'spotPlanHistory', symbol }, window.start, window.end, {
          maxPages: 1,
        }),
      );
    }
    await saveLane(deps.store, created);
  }
  const lane = await workLane(deps, input.runId, laneId, input.deadline, input.executionName, {
    plan,
    ...(created ? { lane: created } : {}),
  });
  return { runId: input.runId, windowId: input.windowId, done: lane.done };
}

/** Spot symbols seen in this run's orders that Bitget's list did not name, most active first. */
async function unlistedSpotSymbols(deps: ExtractionDeps, plan: RunPlan): Promise<string[]> {
  const listed = new Set(plan.listedSpotSymbols);
  const seen = new Map<string, number>();
  for (const laneId of plan.laneIds) {
    const lane = await deps.store.getJson(runKeys(plan.runId).lane(laneId), laneStateSchema);
    for (const [key, n] of Object.entries(lane?.symbolsSeen ?? {})) {
      if (!key.startsWith('spot:')) continue;
      const symbol = key.slice('spot:'.length);
      if (!listed.has(symbol)) seen.set(symbol, (seen.get(symbol) ?? 0) + n);
    }
  }
  return [...seen.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([s]) => s);
}

/**
 * symbol-unifier: merges the searchers' findings, dedupes symbols, orders them most active first and adds a
 * lane that continues every symbol with more pages. Idempotent: a rerun returns the saved symbol plan.
 */
export async function unifySymbolsStage(
  deps: ExtractionDeps,
  input: { runId: string },
): Promise<{ laneIds: string[] }> {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const keys = runKeys(input.runId);
  const log = runLog(deps, input);
  const saved = await deps.store.getJson(keys.symbolPlan, symbolPlanSchema);
  if (saved) {
    log.info('symbol plan found: resuming', { laneIds: saved.laneIds });
    return { laneIds: saved.laneIds };
  }

  const plan = await loadPlan(deps.store, input.runId);
  const activity = new Map<string, { orders: number; more: boolean }>();
  const continuations: LaneState['cursors'] = [];
  for (const w of plan.searchWindows) {
    const search = await loadLane(deps.store, input.runId, `search-${w.windowId}`);
    for (const c of search.cursors) {
      if (c.source.endpoint !== 'spotPlanHistory' || c.skipped) continue;
      const symbol = c.source.symbol;
      const a = activity.get(symbol) ?? { orders: 0, more: false };
      a.orders += c.orders;
      if (c.next !== null && !c.broken) {
        a.more = true;
        continuations.push(c);
      }
      activity.set(symbol, a);
    }
  }
  const symbols = [...activity.entries()]
    .map(([symbol, a]) => ({ symbol, orders: a.orders, more: a.more }))
    .sort((x, y) => y.orders - x.orders || (x.symbol < y.symbol ? -1 : 1));
  const rank = new Map(symbols.map((s, i) => [s.symbol, i]));

  const laneIds: string[] = [];
  if (continuations.length > 0) {
    const lane = newLane(input.runId, FOUND_SYMBOLS_LANE, 'spotPlanHistory');
    continuations.sort((a, b) => (rank.get(symbolOf(a)) ?? 0) - (rank.get(symbolOf(b)) ?? 0));
    for (const c of continuations) {
      lane.cursors.push(
        newCursor(lane, c.source, c.start, c.end, {
          next: c.next,
          lastCTime: c.lastCTime,
          pages: c.pages,
          orders: c.orders,
        }),
      );
    }
    await saveLane(deps.store, lane);
    laneIds.push(lane.laneId);
  }
  const symbolPlan: SymbolPlan = { laneIds, symbols, createdAt: now() };
  await deps.store.putJson(keys.symbolPlan, symbolPlan);
  log.info('symbols unified', {
    symbols: symbols.length,
    continued: continuations.length,
    laneIds,
    ms: now() - startedAt,
  });
  return { laneIds };
}

function symbolOf(c: LaneState['cursors'][number]): string {
  return c.source.symbol ?? '';
}
