import type { S3Client } from '@aws-sdk/client-s3';
import type { FastifyBaseLogger } from 'fastify';
import type { RunOutput } from '../core/engine';
import { ImportFailedError, importRun } from '../db';
import type { Database } from '../db';

/**
 * Imports each succeeded execution's result once. Concurrent polls in this process share one import; across
 * processes the database claim in importRun lets one importer win. A failed import is retried (resuming) on a
 * later poll.
 */
export class ResultImporter {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly database: Database,
    private readonly s3: S3Client,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number,
  ) {}

  /** Resolves when the import finished (successfully or not: the outcome is in the database) or after waitMs. */
  async ensureImported(executionArn: string, name: string, output: RunOutput, waitMs: number): Promise<void> {
    let running = this.inFlight.get(executionArn);
    if (!running) {
      running = importRun(this.database, this.s3, { ...output, executionArn, name }, { now: this.now })
        .then(
          (outcome) =>
            this.log.info(
              { executionArn, outcome: outcome.status, orders: outcome.importedOrders },
              'import',
            ),
          (error: unknown) => {
            if (error instanceof ImportFailedError)
              this.log.warn({ executionArn, reason: error.message }, 'import failed');
            else this.log.error({ executionArn, err: error }, 'import error');
          },
        )
        .finally(() => this.inFlight.delete(executionArn));
      this.inFlight.set(executionArn, running);
    }
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
      timer.unref();
    });
    await Promise.race([running, waited]);
    clearTimeout(timer);
  }

  /** Waits for every import in flight (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight.values()]);
  }
}
