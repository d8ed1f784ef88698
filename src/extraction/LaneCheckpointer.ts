import type { RunRecord } from './records';
import { recordComparator } from './records';
import type { RunRepository } from './RunRepository';
import type { LaneState } from './runState';
import { laneDataset } from './runState';

/**
 * Rows written as text between two turns of the event loop. A part of 20,000 rows takes 100 ms to a second to
 * write in one go, and every lane of the process shares the loop: for as long, no limiter timer fires and no
 * request leaves, which the rate budget never gets back.
 */
const ROWS_PER_TURN = 1000;

/** The rows as NDJSON, written a share at a time, yielding to the event loop in between. */
async function ndjson(rows: readonly RunRecord[]): Promise<string> {
  const chunks: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_TURN) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    chunks.push(
      rows
        .slice(i, i + ROWS_PER_TURN)
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
  }
  return chunks.join('');
}

/**
 * Buffers a lane's rows (of its data set) and checkpoints them: a sorted NDJSON part, then the lane's cursors as they were when
 * exactly those rows were buffered. Checkpoints are written one after another, in order. A crash between the
 * two re-fetches pages that are already in a part: the collector drops those duplicates, nothing is lost.
 */
export class LaneCheckpointer {
  private buffer: RunRecord[] = [];
  private chain: Promise<void> = Promise.resolve();
  /** Once a checkpoint fails, no later one may be written: its cursors would claim rows that are in no part. */
  private failure: { error: unknown } | undefined;
  private readonly compare: (a: RunRecord, b: RunRecord) => number;

  constructor(
    private readonly run: RunRepository,
    private readonly lane: LaneState,
    order: 'asc' | 'desc',
    /** Rows buffered before a checkpoint starts on its own. */
    private readonly checkpointOrders: number,
  ) {
    const ascending = recordComparator(laneDataset(lane));
    this.compare = order === 'asc' ? ascending : (a, b) => -ascending(a, b);
  }

  /** The first checkpoint failure, if any (later checkpoints were not written). */
  get error(): { error: unknown } | undefined {
    return this.failure;
  }

  /** Buffers one row the lane fetched. */
  add(row: RunRecord): void {
    this.buffer.push(row);
  }

  /** Starts a checkpoint once the buffer holds `checkpointOrders` rows (after the page's cursors moved). */
  checkpointIfFull(): void {
    if (this.buffer.length >= this.checkpointOrders) void this.checkpoint();
  }

  /** Snapshots the lane with the rows buffered so far and queues their write; resolves when it is written. */
  checkpoint(): Promise<void> {
    const rows = this.buffer;
    this.buffer = [];
    const snapshot = structuredClone(this.lane);
    const seq = this.lane.partsWritten;
    if (rows.length > 0) this.lane.partsWritten += 1;
    snapshot.partsWritten = this.lane.partsWritten;
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        if (rows.length > 0) {
          rows.sort(this.compare);
          await this.run.putPart(this.lane.laneId, seq, await ndjson(rows));
        }
        await this.run.saveLane(snapshot);
      } catch (error) {
        this.failure = { error };
      }
    });
    return this.chain;
  }
}
