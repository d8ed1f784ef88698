import { randomBytes } from 'node:crypto';
import type { DatasetName } from '../core/dataset';
import type { RunStore } from '../storage/RunStore';
import { LATEST_RESULT_KEY, resultKeys, runKeys } from '../storage/keys';
import { ExtractionFatalError } from './errors';
import type { RunSummary } from './runSummary';
import { runSummarySchema } from './runSummary';
import type { ExchangeFacts, LaneState, RunPlan, SymbolPlan } from './runState';
import { exchangeFactsSchema, laneStateSchema, runPlanSchema, symbolPlanSchema } from './runState';
import type { StagedAccounting, StagedMerge } from './stagedMergeState';
import { stagedAccountingSchema, stagedMergeSchema } from './stagedMergeState';

/** What `results/latest.json` says: the last run whose result is complete. */
export interface LatestResult {
  runId: string;
  ordersJsonl: string;
  ordersJson: string;
  summary: string;
  report: string;
  orders: number;
  at: number;
}

/**
 * One run's saved state in the bucket: its plan, its lanes (their cursors), the parts the lanes wrote, the
 * symbol plan, and its results and summary. Every record of a run is read and written here, as Powertools
 * idempotency routes every record through its persistence layer: the stages, the lane worker and the
 * collector never build a key. Records are validated on the way in (a record of another shape is a
 * StorageCorruptError naming the object).
 */
export class RunRepository {
  private readonly keys: ReturnType<typeof runKeys>;
  /** Where the run's results are (returned to the caller of the state machine). */
  readonly results: ReturnType<typeof resultKeys>;

  constructor(
    readonly store: RunStore,
    readonly runId: string,
  ) {
    this.keys = runKeys(runId);
    this.results = resultKeys(runId);
  }

  get bucket(): string {
    return this.store.bucket;
  }

  /** The plan; null before planning finished (the plan is written last). */
  getPlan(): Promise<RunPlan | null> {
    return this.store.getJson(this.keys.plan, runPlanSchema);
  }

  /** The plan, which a stage after planning cannot do without. */
  async loadPlan(): Promise<RunPlan> {
    const plan = await this.getPlan();
    if (!plan) {
      throw new ExtractionFatalError(`run ${this.runId} has no plan`, {
        category: 'unknown',
        message: 'missing plan',
      });
    }
    return plan;
  }

  savePlan(plan: RunPlan): Promise<void> {
    return this.store.putJson(this.keys.plan, plan);
  }

  /** What the caller asked the exchange before starting the run (null: nothing, planning asks itself). */
  getExchangeFacts(): Promise<ExchangeFacts | null> {
    return this.store.getJson(this.keys.exchange, exchangeFactsSchema);
  }

  saveExchangeFacts(facts: ExchangeFacts): Promise<void> {
    return this.store.putJson(this.keys.exchange, facts);
  }

  getLane(laneId: string): Promise<LaneState | null> {
    return this.store.getJson(this.keys.lane(laneId), laneStateSchema);
  }

  /** A lane that must exist (it was saved when it was planned). */
  async loadLane(laneId: string): Promise<LaneState> {
    const lane = await this.getLane(laneId);
    if (!lane)
      throw new ExtractionFatalError(`lane ${laneId} of run ${this.runId} has no saved state`, {
        category: 'unknown',
        message: 'missing lane state',
      });
    return lane;
  }

  laneExists(laneId: string): Promise<boolean> {
    return this.store.exists(this.keys.lane(laneId));
  }

  saveLane(lane: LaneState): Promise<void> {
    return this.store.putJson(runKeys(lane.runId).lane(lane.laneId), lane);
  }

  /** Every lane saved for the run (planned ones, search windows, the found-symbols lane), in key order. */
  async listLanes(): Promise<LaneState[]> {
    const lanes: LaneState[] = [];
    for (const key of await this.store.list(this.keys.lanesPrefix)) {
      const lane = await this.store.getJson(key, laneStateSchema);
      if (lane) lanes.push(lane);
    }
    return lanes;
  }

  getSymbolPlan(): Promise<SymbolPlan | null> {
    return this.store.getJson(this.keys.symbolPlan, symbolPlanSchema);
  }

  symbolPlanExists(): Promise<boolean> {
    return this.store.exists(this.keys.symbolPlan);
  }

  saveSymbolPlan(symbolPlan: SymbolPlan): Promise<void> {
    return this.store.putJson(this.keys.symbolPlan, symbolPlan);
  }

  /**
   * Writes one part of a lane (sorted NDJSON). The random token keeps a part written by an invocation that
   * crashed before saving its cursors apart from the one its successor writes with the same number.
   */
  putPart(laneId: string, seq: number, ndjson: string): Promise<void> {
    return this.store.putText(this.keys.part(laneId, seq, randomBytes(4).toString('hex')), ndjson);
  }

  /** Every part of the run, in key order. */
  listParts(): Promise<string[]> {
    return this.store.list(this.keys.partsPrefix);
  }

  /** The lane a part key belongs to (`runs/<runId>/parts/<laneId>/<seq>-<token>.ndjson`). */
  laneOfPart(key: string): string {
    return key.slice(this.keys.partsPrefix.length).split('/')[0]!;
  }

  /**
   * Where group `group` of merge level `level` goes (parts merged in groups, see MERGE_FAN_IN); a data set other
   * than orders merges under its own name.
   */
  mergedKey(level: number, group: number, dataset: DatasetName = 'orders'): string {
    const under = dataset === 'orders' ? '' : `${dataset}/`;
    return `${this.keys.root}/merged/${under}${level}/${String(group).padStart(5, '0')}.ndjson`;
  }

  /** Where a data set merged ahead of the collector is written (runs/<runId>/staged/). */
  stagedKeys(dataset: DatasetName): { jsonl: string; json: string; figures: string } {
    return this.keys.staged(dataset);
  }

  /** The record of a data set merged ahead of the collector; null when none was (or it is not whole yet). */
  getStagedMerge(dataset: DatasetName): Promise<StagedMerge | null> {
    return this.store.getJson(this.keys.staged(dataset).figures, stagedMergeSchema);
  }

  /** Written after the staged files are: its presence means they are whole. */
  saveStagedMerge(staged: StagedMerge): Promise<void> {
    return this.store.putJson(this.keys.staged(staged.dataset).figures, staged);
  }

  /** The staged orders' and fills' accounting, ahead of the ledger; null when none was saved. */
  getStagedAccounting(): Promise<StagedAccounting | null> {
    return this.store.getJson(this.keys.stagedAccounting, stagedAccountingSchema);
  }

  saveStagedAccounting(staged: StagedAccounting): Promise<void> {
    return this.store.putJson(this.keys.stagedAccounting, staged);
  }

  getSummary(): Promise<RunSummary | null> {
    return this.store.getJson(this.results.summary, runSummarySchema);
  }

  saveSummary(summary: RunSummary): Promise<void> {
    return this.store.putJson(this.results.summary, summary);
  }

  /** Marks this run's result as the latest complete one. */
  saveLatest(orders: number, at: number): Promise<void> {
    const { ordersJsonl, ordersJson, summary, report } = this.results;
    const latest: LatestResult = { runId: this.runId, ordersJsonl, ordersJson, summary, report, orders, at };
    return this.store.putJson(LATEST_RESULT_KEY, latest);
  }
}
