import type { ExecutionDescription, ExecutionEngine, StartedExecution } from '../../../src/core/engine';
import { ExecutionNotFoundError } from '../../../src/core/errors';
import type { CanonicalOrder } from '../../../src/core/order';
import type { ExtractionRequest } from '../../../src/core/request';
import { localArn, writeRun } from '../../db/support/orders';
import type { TestS3 } from '../../db/support/s3';

/**
 * An in-test engine whose runs "succeed" by writing a small result (orders.jsonl, orders.json, summary.json)
 * to a real S3 server. Each run takes 2m 3s of fake time.
 */
export class FakeEngine implements ExecutionEngine {
  readonly kind = 'fake';
  readonly started: ExtractionRequest[] = [];
  private readonly runs = new Map<string, ExecutionDescription>();
  private readonly pending: Promise<void>[] = [];
  private counter = 0;
  private clock = Date.UTC(2024, 0, 1);

  constructor(
    private readonly s3: TestS3,
    private readonly ordersFor: (request: ExtractionRequest) => CanonicalOrder[],
    private readonly prefix = 'run',
  ) {}

  async start(request: ExtractionRequest, name?: string): Promise<StartedExecution> {
    this.counter += 1;
    this.clock += 60_000;
    const runName = name ?? `${this.prefix}-${this.counter}`;
    const arn = localArn(runName);
    const startDate = new Date(this.clock);
    const description: ExecutionDescription = {
      executionArn: arn,
      name: runName,
      status: 'RUNNING',
      startDate,
      input: request,
    };
    this.runs.set(arn, description);
    this.started.push(request);
    const run = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      const output = await writeRun(
        (k, b) => this.s3.put(k, b),
        this.s3.bucket,
        runName,
        this.ordersFor(request),
      );
      description.output = output;
      description.stopDate = new Date(startDate.getTime() + 123_000);
      description.status = 'SUCCEEDED';
    })();
    this.pending.push(run);
    this.s3.hold(run);
    return { executionArn: arn, name: runName, startDate };
  }

  async describe(executionArn: string): Promise<ExecutionDescription> {
    const run = this.runs.get(executionArn);
    if (!run) throw new ExecutionNotFoundError(executionArn);
    return { ...run };
  }

  async list(maxResults = 20): Promise<ExecutionDescription[]> {
    return [...this.runs.values()]
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
      .slice(0, maxResults)
      .map((r) => ({ ...r }));
  }

  /** Waits until every started run has written its result. */
  async settle(): Promise<void> {
    await Promise.all(this.pending);
  }
}
