import { MultiBar } from 'cli-progress';
import type { SingleBar } from 'cli-progress';
import type { DatasetName } from '../core/dataset';
import { DATASET_NAMES, RECORDS_OF } from '../core/dataset';
import type { LaneProgress } from '../extraction/laneWorker';

export type Stage = 'planning' | 'lanes' | 'symbol search' | 'merge' | 'import';

interface LaneView extends LaneProgress {
  /** Share of the lane's estimated requests made, never lower than before. */
  shown: number;
}

/** What a data set's records are called (short) in a lane's line; the overall line says `RECORDS_OF`. */
const UNIT_OF: Record<DatasetName, string> = { orders: 'ord', fills: 'fills', ledger: 'entries' };

/** The minimum width the lines are laid out for; wider terminals get longer bars. */
const MIN_WIDTH = 40;
const LANE_NAME = 15;

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

function fit(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * What the progress display shows, independent of how it is drawn: the stage with its elapsed time; an overall
 * line (records per data set, requests per second against the budget of the lanes still working, an ETA); one line per lane
 * whose bar never moves backwards. The ETA comes from the plan: every open cursor needs at least one more
 * request, refined as pages arrive by the requests its lane's finished cursors took; lanes run side by side,
 * each at its own endpoint's rate, so the slowest one sets the ETA.
 */
export class ProgressModel {
  private stageName: Stage = 'planning';
  private stageSince: number;
  private readonly lanes = new Map<string, LaneView>();
  private readonly samples: { at: number; requests: number }[] = [];

  constructor(
    private readonly now: () => number = Date.now,
    /** Requests per second the client allows the lane's endpoint (undefined while unknown). */
    public rateOf: (laneId: string) => number | undefined = () => undefined,
  ) {
    this.stageSince = now();
  }

  get stage(): Stage {
    return this.stageName;
  }

  setStage(stage: Stage): void {
    if (stage === this.stageName) return;
    this.stageName = stage;
    this.stageSince = this.now();
  }

  lane(p: LaneProgress): void {
    const prev = this.lanes.get(p.laneId);
    const remaining = this.remainingRequests(p);
    const share = p.cursorsOpen === 0 ? 1 : p.requests / Math.max(1, p.requests + remaining);
    this.lanes.set(p.laneId, { ...p, shown: Math.max(prev?.shown ?? 0, Math.min(1, share)) });
    const t = this.now();
    this.samples.push({ at: t, requests: this.totalRequests() });
    while (this.samples.length > 2 && this.samples[0]!.at < t - 3000) this.samples.shift();
  }

  /** At least one request per open cursor; once cursors have finished, as many as they took on average. */
  private remainingRequests(p: LaneProgress): number {
    if (p.cursorsOpen === 0) return 0;
    const perCursor = p.cursorsDone > 0 ? p.requests / p.cursorsDone : 1;
    return Math.ceil(Math.max(1, perCursor) * p.cursorsOpen);
  }

  private totalRequests(): number {
    let n = 0;
    for (const l of this.lanes.values()) n += l.requests;
    return n;
  }

  /** Requests per second over the last few seconds. */
  requestRate(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < 250) return 0;
    return ((last.requests - first.requests) * 1000) / (last.at - first.at);
  }

  /** Requests per second the working lanes may use together; null while a rate is unknown. */
  budget(): number | null {
    let sum = 0;
    for (const l of this.lanes.values()) {
      if (l.cursorsOpen === 0) continue;
      const r = this.rateOf(l.laneId);
      if (r === undefined) return null;
      sum += r;
    }
    return sum;
  }

  etaMs(): number | null {
    let worst = 0;
    for (const l of this.lanes.values()) {
      const remaining = this.remainingRequests(l);
      if (remaining === 0) continue;
      const r = this.rateOf(l.laneId);
      if (r === undefined || r <= 0) return null;
      worst = Math.max(worst, (remaining / r) * 1000);
    }
    return worst;
  }

  stageLine(width: number): string {
    return fit(`${this.stageName} ${clock(this.now() - this.stageSince)}`, width);
  }

  overallLine(width: number): string {
    const counts = new Map<DatasetName, number>();
    for (const l of this.lanes.values()) counts.set(l.dataset, (counts.get(l.dataset) ?? 0) + l.orders);
    const records =
      DATASET_NAMES.filter((d) => counts.has(d))
        .map((d) => `${counts.get(d)} ${RECORDS_OF[d]}`)
        .join(', ') || '0 orders';
    const budget = this.budget();
    const rate = `${this.requestRate().toFixed(1)}${budget === null ? '' : `/${budget.toFixed(0)}`} req/s`;
    const eta = this.stageName === 'lanes' || this.stageName === 'symbol search' ? this.etaMs() : null;
    return fit(`${records}  ${rate}${eta === null ? '' : `  ETA ${clock(eta)}`}`, width);
  }

  laneLines(width: number): string[] {
    const w = Math.max(MIN_WIDTH, width);
    return [...this.lanes.values()].map((l) => {
      const name =
        l.laneId.length > LANE_NAME ? `${l.laneId.slice(0, LANE_NAME - 1)}…` : l.laneId.padEnd(LANE_NAME);
      const unit = UNIT_OF[l.dataset];
      const tail =
        l.cursorsOpen === 0 ? ` ${l.orders} ${unit} done` : ` ${l.orders} ${unit} ${l.requests} req`;
      const barWidth = Math.max(4, Math.min(30, w - name.length - tail.length - 3));
      const filled = Math.round(l.shown * barWidth);
      return fit(`${name} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${tail}`, width);
    });
  }

  lanesInOrder(): string[] {
    return [...this.lanes.keys()];
  }

  /** One plain line for a log (stderr not a terminal). */
  plainLine(): string {
    const lanes = [...this.lanes.values()].map((l) => `${l.laneId} ${l.orders}/${l.requests} req`).join(', ');
    return `progress: ${this.stageLine(1000)} | ${this.overallLine(1000)}${lanes ? ` | ${lanes}` : ''}`;
  }
}

/**
 * Progress on stderr. On a terminal: a stage line, an overall line and one line per lane (cli-progress's
 * multibar, lines laid out for the terminal's width and again when it is resized). Otherwise a plain line every
 * few seconds.
 */
export class ProgressReporter {
  readonly model: ProgressModel;
  private readonly multibar: MultiBar | undefined;
  private readonly bars = new Map<string, SingleBar>();
  private lastLine = 0;
  private stopped = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onResize = () => this.render();

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 5000,
    private readonly now: () => number = Date.now,
  ) {
    this.model = new ProgressModel(now);
    if (stream.isTTY) {
      this.multibar = new MultiBar({
        stream,
        clearOnComplete: false,
        hideCursor: true,
        linewrap: false,
        format: (_options, _params, payload: { line?: string }) => payload.line ?? '',
      });
      this.bars.set(':stage', this.multibar.create(1, 0, { line: '' }));
      this.bars.set(':overall', this.multibar.create(1, 0, { line: '' }));
      stream.on('resize', this.onResize);
      // The stage's elapsed time moves even while no page arrives.
      this.timer = setInterval(() => this.render(), 1000);
      this.timer.unref();
    }
  }

  /** Requests per second the client allows each lane's endpoint (for the budget and the ETA). */
  setRates(rateOf: (laneId: string) => number | undefined): void {
    this.model.rateOf = rateOf;
  }

  stage = (stage: Stage): void => {
    this.model.setStage(stage);
    this.render();
  };

  update = (p: LaneProgress): void => {
    this.model.lane(p);
    this.render();
  };

  private width(): number {
    return Math.max(20, this.stream.columns ?? 80);
  }

  private render(): void {
    if (this.stopped) return;
    if (!this.multibar) {
      const now = this.now();
      if (now - this.lastLine >= this.intervalMs) {
        this.lastLine = now;
        this.stream.write(`${this.model.plainLine()}\n`);
      }
      return;
    }
    const width = this.width() - 1;
    this.bars.get(':stage')!.update(0, { line: this.model.stageLine(width) });
    this.bars.get(':overall')!.update(0, { line: this.model.overallLine(width) });
    const lines = this.model.laneLines(width);
    this.model.lanesInOrder().forEach((laneId, i) => {
      const bar = this.bars.get(laneId) ?? this.multibar!.create(1, 0, { line: '' });
      this.bars.set(laneId, bar);
      bar.update(0, { line: lines[i] });
    });
  }

  /** A line above the bars (or a plain line when stderr is not a terminal). */
  log(line: string): void {
    if (this.multibar && !this.stopped) this.multibar.log(`${line}\n`);
    else this.stream.write(`${line}\n`);
  }

  /** Ends the display and shows the cursor again; safe to call more than once. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.stream.off('resize', this.onResize);
    this.multibar?.stop();
  }
}
