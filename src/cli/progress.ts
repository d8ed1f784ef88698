import { MultiBar, Presets } from 'cli-progress';
import type { SingleBar } from 'cli-progress';
import type { LaneProgress } from '../extraction/laneWorker';

/**
 * Progress on stderr: one bar per lane (cursors finished of cursors known, orders, requests, request rate).
 * When stderr is not a terminal, a line every few seconds instead.
 */
export class ProgressReporter {
  private readonly bars = new Map<string, SingleBar>();
  private readonly lanes = new Map<string, LaneProgress & { firstAt: number; firstRequests: number }>();
  private readonly multibar: MultiBar | undefined;
  private lastLine = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 5000,
  ) {
    this.multibar = stream.isTTY
      ? new MultiBar(
          {
            stream,
            clearOnComplete: false,
            hideCursor: true,
            format:
              '{lane} |{bar}| {value}/{total} cursors | {orders} orders | {requests} req | {rate} req/s',
          },
          Presets.shades_classic,
        )
      : undefined;
  }

  update = (p: LaneProgress): void => {
    const now = Date.now();
    const prev = this.lanes.get(p.laneId);
    const state = { ...p, firstAt: prev?.firstAt ?? now, firstRequests: prev?.firstRequests ?? p.requests };
    this.lanes.set(p.laneId, state);
    const seconds = Math.max(0.001, (now - state.firstAt) / 1000);
    const rate = ((p.requests - state.firstRequests) / seconds).toFixed(1);
    const payload = { lane: p.laneId.padEnd(16), orders: p.orders, requests: p.requests, rate };
    const total = p.cursorsOpen + p.cursorsDone;
    if (this.multibar) {
      const bar = this.bars.get(p.laneId) ?? this.multibar.create(total, 0, payload);
      this.bars.set(p.laneId, bar);
      bar.setTotal(total);
      bar.update(p.cursorsDone, payload);
    } else if (now - this.lastLine >= this.intervalMs) {
      this.lastLine = now;
      const parts = [...this.lanes.values()].map((l) => `${l.laneId} ${l.orders} orders/${l.requests} req`);
      this.stream.write(`progress: ${parts.join(' | ')}\n`);
    }
  };

  /** A line above the bars (or a plain line when stderr is not a terminal). */
  log(line: string): void {
    if (this.multibar) this.multibar.log(`${line}\n`);
    else this.stream.write(`${line}\n`);
  }

  stop(): void {
    this.multibar?.stop();
  }
}
