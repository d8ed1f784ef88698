import { randomBytes } from 'node:crypto';
import { newRunId, runOutputSchema } from '../core/engine';
import { ExecutionNotFoundError, InvalidExecutionNameError } from '../core/errors';
import type {
  ExecutionDescription,
  ExecutionEngine,
  ExecutionStatus,
  RunOutput,
  StartedExecution,
} from '../core/engine';
import type { ExtractionRequest } from '../core/request';
import { RUN_ID_PATTERN } from '../storage/keys';
import type { StateMachineDefinition } from '../../statemachine/asl';
import type { LocalTaskHandlers } from '../../statemachine/local';
import { localFailure, startLocalExecution } from '../../statemachine/local';

export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_STATE_MACHINE = 'bitget-orders-extraction';

interface Tracked extends ExecutionDescription {
  settled: Promise<ExecutionDescription>;
  abort: () => void;
}

/**
 * Runs the extraction state machine in process with aws-local-stepfunctions: the same ASL JSON that is
 * deployed, with the same handlers bound by state name. Executions live as long as the process; their data
 * (plans, cursors, parts, results) lives in the S3 bucket, so a run id can be resumed by a later process.
 */
export class LocalEngine implements ExecutionEngine {
  private readonly executions = new Map<string, Tracked>();

  constructor(
    private readonly options: {
      definition: StateMachineDefinition;
      handlers: LocalTaskHandlers;
      /** Milliseconds per retry, per state name (default: the definition's own backoff). */
      retryIntervalOverrides?: Record<string, number | number[]>;
      now?: () => Date;
      /**
       * Awaited when an execution ends, before `wait` resolves (the local stack gives back the run's lease of an
       * aborted execution, whose collector never ran).
       */
      onEnded?: (runId: string, execution: ExecutionDescription) => Promise<void>;
      /** Called as soon as an execution is asked to abort, before it has ended. */
      onAbort?: (executionName: string) => void;
    },
  ) {}

  arnOf(name: string): string {
    return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${LOCAL_STATE_MACHINE}:${name}`;
  }

  async start(request: ExtractionRequest, name?: string): Promise<StartedExecution> {
    const runName = name ?? newRunId(this.options.now?.() ?? new Date());
    if (!RUN_ID_PATTERN.test(runName)) {
      throw new InvalidExecutionNameError(
        `execution name ${JSON.stringify(runName)} must be 1-80 letters, digits, _ or -`,
      );
    }
    // Every execution gets a name of its own, as on AWS where names are unique per state machine: a run id
    // resumed by another process is a new execution (cursors whose circuit opened get another chance).
    const executionName = `${runName.slice(0, 72)}-${randomBytes(3).toString('hex')}`;
    const executionArn = this.arnOf(executionName);
    const startDate = this.options.now?.() ?? new Date();
    const run = startLocalExecution(
      this.options.definition,
      { runId: runName, request: request as unknown as Record<string, never> },
      this.options.handlers,
      {
        executionName,
        ...(this.options.retryIntervalOverrides
          ? { retryIntervalOverrides: this.options.retryIntervalOverrides }
          : {}),
      },
    );
    const tracked: Tracked = {
      executionArn,
      name: executionName,
      runId: runName,
      status: 'RUNNING',
      startDate,
      input: request,
      abort: run.abort,
      settled: Promise.resolve(undefined as unknown as ExecutionDescription),
    };
    const onEnded = this.options.onEnded;
    tracked.settled = run.result
      .then(
        (output) => this.finish(tracked, 'SUCCEEDED', { output }),
        (err: unknown) => {
          const failure = localFailure(err);
          const aborted = err instanceof Error && err.name === 'ExecutionAbortedError';
          return this.finish(tracked, aborted ? 'ABORTED' : 'FAILED', {
            error: failure?.error ?? (err instanceof Error ? err.name : 'Error'),
            cause: failure?.cause ?? (err instanceof Error ? err.message : String(err)),
          });
        },
      )
      .then(async (d) => {
        await onEnded?.(runName, d).catch(() => undefined);
        return d;
      });
    this.executions.set(executionArn, tracked);
    return { executionArn, name: executionName, startDate };
  }

  private finish(
    t: Tracked,
    status: ExecutionStatus,
    r: { output?: unknown; error?: string; cause?: string },
  ): ExecutionDescription {
    t.status = status;
    t.stopDate = this.options.now?.() ?? new Date();
    if (r.output !== undefined) {
      const parsed = runOutputSchema.safeParse(r.output);
      if (parsed.success) t.output = parsed.data as RunOutput;
      else {
        t.status = 'FAILED';
        t.error = 'InvalidRunOutput';
        t.cause = 'the state machine returned an output that is not a run result';
      }
    }
    if (r.error !== undefined) t.error = r.error;
    if (r.cause !== undefined) t.cause = r.cause;
    return describe(t);
  }

  async describe(executionArn: string): Promise<ExecutionDescription> {
    const t = this.executions.get(executionArn);
    if (!t) throw new ExecutionNotFoundError(executionArn);
    return describe(t);
  }

  async list(maxResults = 100): Promise<ExecutionDescription[]> {
    return [...this.executions.values()]
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
      .slice(0, maxResults)
      .map(describe);
  }

  /** Resolves when the execution ends (succeeded, failed or aborted). */
  async wait(executionArn: string): Promise<ExecutionDescription> {
    const t = this.executions.get(executionArn);
    if (!t) throw new ExecutionNotFoundError(executionArn);
    return t.settled;
  }

  abort(executionArn: string): void {
    const t = this.executions.get(executionArn);
    if (!t) return;
    this.options.onAbort?.(t.name);
    t.abort();
  }

  /** Aborts a running execution and waits until it has ended (ABORTED); its run id stays resumable. */
  async stop(executionArn: string): Promise<void> {
    const t = this.executions.get(executionArn);
    if (!t) throw new ExecutionNotFoundError(executionArn);
    if (t.status !== 'RUNNING') return;
    t.abort();
    await t.settled;
  }

  whenSettled(executionArn: string): Promise<ExecutionDescription> {
    return this.wait(executionArn);
  }
}

function describe(t: Tracked): ExecutionDescription {
  const { settled: _s, abort: _a, ...d } = t;
  return { ...d };
}
