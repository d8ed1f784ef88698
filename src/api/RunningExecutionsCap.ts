import type { ExecutionDescription, ExecutionEngine } from '../core/engine';
import { factsFromDescription, listRunningExecutions, recordExecution } from '../db';
import type { Database } from '../db';
import { ExecutionNotFoundError } from '../core/errors';
import { TooManyRequestsError } from './errors';

export interface RunningCapOptions {
  engine: ExecutionEngine;
  db: Database;
  max: number;
  retryAfterSeconds: number;
  now: () => number;
}

/**
 * How many of the newest executions the engine is asked about beyond the cap (on Step Functions each costs a
 * DescribeExecution); the database covers older ones started through the API.
 */
const ENGINE_LIST_MARGIN = 2;
const MAX_LISTED = 20;

/**
 * A cap on executions RUNNING at once. Running executions are the ones the engine lists as RUNNING (runs
 * started elsewhere too, e.g. on a schedule) and the ones the database last saw RUNNING, each described again
 * (and the database brought up to date) so that a run that has ended no longer counts. Checks and starts in
 * one process are serialised, so two requests cannot both take the last place; across Lambda instances the
 * check is per instance.
 */
export class RunningExecutionsCap {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RunningCapOptions) {}

  /** Runs `start` if fewer than `max` executions are running, else throws a 429 with Retry-After. */
  admit<T>(start: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      const running = await this.countRunning();
      if (running >= this.options.max) {
        throw new TooManyRequestsError(
          `${running} executions are running and at most ${this.options.max} may run at once: retry when one has finished`,
          this.options.retryAfterSeconds,
        );
      }
      return start();
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  async countRunning(): Promise<number> {
    const { engine, db } = this.options;
    const listSize = Math.min(this.options.max + ENGINE_LIST_MARGIN, MAX_LISTED);
    const listed = await engine.list(listSize).catch(() => [] as ExecutionDescription[]);
    const running = new Set(listed.filter((d) => d.status === 'RUNNING').map((d) => d.executionArn));
    const recorded = await listRunningExecutions(db, {
      limit: Math.min(this.options.max + MAX_LISTED, 1000),
    });
    await Promise.all(
      recorded
        .filter((r) => !running.has(r.executionArn))
        .map(async (r) => {
          let description: ExecutionDescription;
          try {
            description = await engine.describe(r.executionArn);
          } catch (error) {
            // Unknown to the engine (a local run of an earlier process): it is not running any more. Any other
            // failure: counted as running, the cautious side.
            if (!(error instanceof ExecutionNotFoundError)) running.add(r.executionArn);
            return;
          }
          if (description.status === 'RUNNING') running.add(r.executionArn);
          else await recordExecution(db, factsFromDescription(description), this.options.now());
        }),
    );
    return running.size;
  }
}
