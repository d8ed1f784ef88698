import type { EndpointId } from '../bitget/endpoints';
import type { ExtractionRequest } from '../core/request';
import type { RunStore } from '../storage/RunStore';
import { RUN_ID_PATTERN } from '../storage/keys';
import { newCursor } from './cursor';
import { DEFAULT_TAIL_PAGES_TO_SPLIT } from './cursorSplit';
import type { ExchangePort } from './exchange';
import { sourceSymbol } from './sources';
import type { OrderEndpointId } from './sources';
import { ExtractionFatalError } from './errors';
import type { LaneProgress, LaneWorkerSettings } from './laneWorker';
import { runLane } from './laneWorker';
import { LANE_BY_ENDPOINT, newLane, planRun, wantsSpotPlanDiscovery } from './plan';
import type { PlanSettings } from './plan';
import { RunRepository } from './RunRepository';
import type { LaneState, RunPlan, SymbolPlan } from './runState';
import { laneDataset } from './runState';
import { laneCounters, laneReport } from './laneReport';
import type { LaneStop, LogPort, MetricsPort } from './telemetry';
import { NO_METRICS, SILENT_LOG } from './telemetry';

export interface ExtractionSettings {
  /** Seconds of request latency each lane keeps in flight: in-flight = ceil(rate × this). */
  inFlightSeconds: number;
  checkpointOrders: number;
  minSplitMs: number;
  minPagesToSplit: number;
  /** In a lane's tail (src/extraction/cursorSplit.ts, pagesToSplit). */
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
  // An absent key is left out of the line rather than written as undefined.
  return (deps.log ?? SILENT_LOG).child({
    runId: keys.runId,
    ...(keys.laneId ? { laneId: keys.laneId } : {}),
    ...(keys.executionName ? { executionName: keys.executionName } : {}),
  });
}

/** How old the facts a caller saved for planning (`runs/<runId>/exchange.json`) may be to be used. */
export const EXCHANGE_FACTS_FRESH_MS = 5 * 60_000;

/** The lane that continues the symbols the searcher found with more than one page. */
export const FOUND_SYMBOLS_LANE = 'spot-plan-found';

/**
 * The plan's lanes as the state machine runs them: each data set's lanes in a branch of their own, so that a data
 * set is merged as soon as its lanes end; the orders' lanes the symbol search reads (`searchInputs`) apart from
 * the other order lanes, so that the search starts as soon as they end.
 */
export interface LaneGroups {
  searchInputs: string[];
  orders: string[];
  fills: string[];
  ledger: string[];
}

export interface PlanOutput {
  runId: string;
  laneIds: string[];
  windowIds: string[];
  needsSymbolSearch: boolean;
  lanes: LaneGroups;
}

/**
 * Order endpoints whose rows can name a spot symbol Bitget no longer lists: the searcher's candidates come from
 * their lanes (`unlistedSpotSymbols`). The spot-plan lane asks listed symbols only; futures rows name no spot
 * symbol.
 */
const SEARCH_INPUT_ENDPOINTS: ReadonlySet<string> = new Set<EndpointId>([
  'spotHistoryOrders',
  'utaHistoryOrders',
]);

function isSearchInput(lane: LaneState): boolean {
  return laneDataset(lane) === 'orders' && SEARCH_INPUT_ENDPOINTS.has(lane.endpoint);
}

/** The plan's lanes by group (LaneGroups), in plan order. */
export function laneGroups(plan: RunPlan, lanes: readonly LaneState[]): LaneGroups {
  const byId = new Map(lanes.map((l) => [l.laneId, l]));
  const groups: LaneGroups = { searchInputs: [], orders: [], fills: [], ledger: [] };
  for (const id of plan.laneIds) {
    const lane = byId.get(id);
    if (!lane) {
      throw new ExtractionFatalError(`lane ${id} of run ${plan.runId} has no saved state`, {
        category: 'unknown',
        message: 'missing lane state',
      });
    }
    if (isSearchInput(lane)) groups.searchInputs.push(id);
    else groups[laneDataset(lane)].push(id);
  }
  return groups;
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
  const run = new RunRepository(deps.store, input.runId);
  const existing = await run.getPlan();
  if (existing) {
    log.info('run plan found: resuming', { lanes: existing.laneIds.length, mode: existing.mode });
    const saved = await Promise.all(existing.laneIds.map((id) => run.loadLane(id)));
    return planOutput(existing, saved);
  }

  const startedAt = now();
  const spotPlanWanted = wantsSpotPlanDiscovery(input.request);
  // A sync has just asked the server time, the mode and the symbols: recent enough, they are not asked again
  // (the server time moved on by the local clock since).
  const facts = await run.getExchangeFacts();
  const known = facts && startedAt - facts.askedAt <= EXCHANGE_FACTS_FRESH_MS ? facts : null;
  // The symbol list is only needed on classic accounts, but asking for it alongside the mode costs no time.
  const [serverNow, mode, listed] = await Promise.all([
    known ? known.serverTime + (startedAt - known.askedAt) : deps.exchange.serverTime(),
    known?.mode ?? deps.exchange.accountMode(),
    spotPlanWanted ? (known?.listedSpotSymbols ?? deps.exchange.spotSymbols()) : Promise.resolve([]),
  ]);
  const { plan, lanes } = planRun({
    runId: input.runId,
    request: input.request,
    serverNow,
    mode,
    listedSpotSymbols: listed,
    settings: deps.settings.plan,
  });
  await Promise.all(lanes.map((lane) => run.saveLane(lane)));
  plan.stages['plan'] = { startedAt, finishedAt: now() };
  // The plan is written last: its presence means planning finished.
  await run.savePlan(plan);
  log.info('run planned', {
    mode,
    laneIds: plan.laneIds,
    windows: plan.searchWindows.length,
    needsSymbolSearch: plan.needsSymbolSearch,
    exchangeFactsReused: known !== null,
    served: plan.served,
    notes: plan.notes,
    ms: now() - startedAt,
  });
  return planOutput(plan, lanes);
}

function planOutput(plan: RunPlan, lanes: readonly LaneState[]): PlanOutput {
  return {
    runId: plan.runId,
    laneIds: plan.laneIds,
    windowIds: plan.searchWindows.map((w) => w.windowId),
    needsSymbolSearch: plan.needsSymbolSearch,
    lanes: laneGroups(plan, lanes),
  };
}

/**
 * What a lone cursor loses per page against two on a slow endpoint: its next page is asked only once the last
 * one is answered and handled, so the round trip and the event loop's delays (three data sets' lanes and
 * merges share it) fall between its requests, where a second cursor's request waits at the limiter instead.
 * Measured at 1/s on the ledger's tax lane (`extract-datasets-classic-100k`): a page every 1.15 s with one
 * cursor, every 1.02 s with two, 130 ms; taken as 100 ms, so that a split must pay with some room to spare.
 */
export const LONE_CURSOR_LOSS_MS = 100;

/**
 * Pages a cursor's remaining range must hold before a split pays at `rate` requests per second: a split costs
 * one request (its last, partly filled page), 1/rate seconds of the budget, and a second cursor wins about
 * LONE_CURSOR_LOSS_MS per page. At 1/s that is 10 pages; at 10/s and above, 1 (the lane's own split settings
 * then decide).
 */
export function pagesWorthASplit(rate: number): number {
  return Math.ceil(1000 / rate / LONE_CURSOR_LOSS_MS);
}

/**
 * The lane worker's settings for an endpoint the client sends `rate` requests per second to at most. The same
 * rate (ExchangePort.rateLimit, the one source) sizes the in-flight requests and tells the lane whether it runs
 * below its budget.
 */
export function laneSettings(settings: ExtractionSettings, rate: number): LaneWorkerSettings {
  const worthASplit = pagesWorthASplit(rate);
  return {
    maxInFlight: Math.max(2, Math.ceil(rate * settings.inFlightSeconds)),
    checkpointOrders: settings.checkpointOrders,
    minSplitMs: settings.minSplitMs,
    minPagesToSplit: Math.max(settings.minPagesToSplit, worthASplit),
    tailPagesToSplit: Math.max(settings.tailPagesToSplit, worthASplit),
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
  const run = new RunRepository(deps.store, runId);
  const plan = known?.plan ?? (await run.loadPlan());
  const lane = known?.lane ?? (await run.loadLane(laneId));
  const endpoint = lane.endpoint as EndpointId;
  const rate = deps.exchange.rateLimit(endpoint);
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
    const log = runLog(deps, { runId, laneId, executionName });
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
        settings: laneSettings(deps.settings, rate),
        clientStats: () => deps.exchange.endpointStats(endpoint),
        targetRate: rate,
        now: deps.now,
        serverNow: () => deps.exchange.serverNow?.(),
        onProgress: deps.onProgress,
        stopRequested: deps.stopRequested,
      },
      { runId, laneId, deadline, order: plan.request.order, executionName },
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
  const run = new RunRepository(deps.store, input.runId);
  const plan = await run.loadPlan();
  const window = plan.searchWindows.find((w) => w.windowId === input.windowId);
  if (!window) {
    throw new ExtractionFatalError(`run ${input.runId} has no search window ${input.windowId}`, {
      category: 'unknown',
      message: 'unknown window',
    });
  }
  const laneId = `search-${input.windowId}`;
  let created: LaneState | undefined;
  if (!(await run.laneExists(laneId))) {
    const candidates = await unlistedSpotSymbols(run, plan);
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
    await run.saveLane(created);
  }
  const lane = await workLane(deps, input.runId, laneId, input.deadline, input.executionName, {
    plan,
    lane: created,
  });
  return { runId: input.runId, windowId: input.windowId, done: lane.done };
}

/**
 * Spot symbols seen in this run's orders that Bitget's list did not name, most active first. Read from the search
 * input lanes only (SEARCH_INPUT_ENDPOINTS): the state machine starts the search once those are done, while the
 * run's other lanes may still be running.
 */
async function unlistedSpotSymbols(run: RunRepository, plan: RunPlan): Promise<string[]> {
  const listed = new Set(plan.listedSpotSymbols);
  const seen = new Map<string, number>();
  // Other lanes may be running (and writing their state) while the search runs: only the inputs are read.
  const inputIds = new Set([...SEARCH_INPUT_ENDPOINTS].map((e) => LANE_BY_ENDPOINT[e as OrderEndpointId]));
  for (const laneId of plan.laneIds.filter((id) => inputIds.has(id))) {
    const lane = await run.getLane(laneId);
    if (!lane || !isSearchInput(lane)) continue;
    if (!lane.done) {
      // Candidates taken from an unfinished lane could miss a symbol: the state machine never does this.
      throw new ExtractionFatalError(
        `run ${run.runId}: symbol search started before lane ${laneId} finished`,
        {
          category: 'unknown',
          message: 'symbol search started too early',
        },
      );
    }
    for (const [key, n] of Object.entries(lane.symbolsSeen)) {
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
  const run = new RunRepository(deps.store, input.runId);
  const log = runLog(deps, input);
  const saved = await run.getSymbolPlan();
  if (saved) {
    log.info('symbol plan found: resuming', { laneIds: saved.laneIds });
    return { laneIds: saved.laneIds };
  }

  const plan = await run.loadPlan();
  const activity = new Map<string, { orders: number; more: boolean }>();
  const continuations: LaneState['cursors'] = [];
  for (const w of plan.searchWindows) {
    const search = await run.loadLane(`search-${w.windowId}`);
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
          oldestCTime: c.oldestCTime,
          pages: c.pages,
          orders: c.orders,
        }),
      );
    }
    await run.saveLane(lane);
    laneIds.push(lane.laneId);
  }
  const symbolPlan: SymbolPlan = { laneIds, symbols, createdAt: now() };
  await run.saveSymbolPlan(symbolPlan);
  log.info('symbols unified', {
    symbols: symbols.length,
    continued: continuations.length,
    laneIds,
    ms: now() - startedAt,
  });
  return { laneIds };
}

function symbolOf(c: LaneState['cursors'][number]): string {
  return sourceSymbol(c.source) ?? '';
}
