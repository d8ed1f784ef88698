import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { newRunId, runOutputSchema } from '../core/engine';
import { ExecutionNotFoundError, InvalidExecutionNameError } from '../core/errors';
import { RUN_ID_PATTERN } from '../storage/keys';
import type {
  ExecutionDescription,
  ExecutionEngine,
  ExecutionStatus,
  RunOutput,
  StartedExecution,
} from '../core/engine';
import { parseExtractionRequest } from '../core/request';
import type { ExtractionRequest } from '../core/request';
import { InvalidExecutionDataError } from './errors';

export interface SfnEngineOptions {
  stateMachineArn: string;
  /** Defaults to a client for the state machine's region with the default credential chain. */
  client?: SFNClient;
  /** How many DescribeExecution calls `list` makes at once (default 4; Step Functions throttles describes). */
  describeConcurrency?: number;
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/;
const EXECUTION_NAME = RUN_ID_PATTERN;
const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;

/** A run name that sorts by time and is unique: `run-20240101T120000Z-a1b2c3`. */
export const newRunName = (now: Date = new Date()): string => newRunId(now);

/** Runs the extraction state machine on AWS Step Functions. */
export class SfnEngine implements ExecutionEngine {
  readonly kind = 'aws-step-functions';
  private readonly client: SFNClient;
  private readonly stateMachineArn: string;
  private readonly describeConcurrency: number;

  constructor(options: SfnEngineOptions) {
    const match = STATE_MACHINE_ARN.exec(options.stateMachineArn);
    if (!match) throw new InvalidExecutionDataError(`not a state machine ARN: ${options.stateMachineArn}`);
    this.stateMachineArn = options.stateMachineArn;
    this.client = options.client ?? new SFNClient({ region: match[1]! });
    this.describeConcurrency = Math.max(1, options.describeConcurrency ?? 4);
  }

  /**
   * Starts a run; `name` is its run id. A run id that already has an execution is being resumed: the new
   * execution gets a fresh name (Step Functions names are unique) and the same run id, so it continues from the
   * run's saved cursors.
   */
  async start(request: ExtractionRequest, name: string = newRunName()): Promise<StartedExecution> {
    if (!EXECUTION_NAME.test(name)) {
      throw new InvalidExecutionNameError(`execution name must match ${EXECUTION_NAME.source}: ${name}`);
    }
    const input = JSON.stringify({ runId: name, request: parseExtractionRequest(request) });
    const startAs = (executionName: string) =>
      this.client.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: executionName, input }),
      );
    let executionName = name;
    let out;
    try {
      out = await startAs(executionName);
    } catch (error) {
      if (!isNamed(error, 'ExecutionAlreadyExists')) throw error;
      executionName = `${name.slice(0, 60)}-r${Date.now().toString(36)}`;
      out = await startAs(executionName);
    }
    if (!out.executionArn || !out.startDate) {
      throw new InvalidExecutionDataError('StartExecution answered without executionArn or startDate');
    }
    return { executionArn: out.executionArn, name: executionName, startDate: out.startDate };
  }

  async describe(executionArn: string): Promise<ExecutionDescription> {
    let out: DescribeExecutionCommandOutput;
    try {
      out = await this.client.send(new DescribeExecutionCommand({ executionArn }));
    } catch (error) {
      if (isNamed(error, 'ExecutionDoesNotExist'))
        throw new ExecutionNotFoundError(executionArn, { cause: error });
      throw error;
    }
    return parseDescription(out);
  }

  /** StopExecution: the run's cursors stay in the bucket, so starting its run id again resumes it. */
  async stop(executionArn: string, cause: string): Promise<void> {
    try {
      await this.client.send(
        new StopExecutionCommand({ executionArn, error: 'StoppedByUser', cause: cause.slice(0, 32_000) }),
      );
    } catch (error) {
      if (isNamed(error, 'ExecutionDoesNotExist'))
        throw new ExecutionNotFoundError(executionArn, { cause: error });
      throw error;
    }
  }

  async list(maxResults = 20): Promise<ExecutionDescription[]> {
    const out = await this.client.send(
      new ListExecutionsCommand({
        stateMachineArn: this.stateMachineArn,
        maxResults: Math.min(Math.max(1, maxResults), 1000),
      }),
    );
    const arns = (out.executions ?? []).map((e) => e.executionArn).filter((a): a is string => !!a);
    const described: ExecutionDescription[] = [];
    for (let i = 0; i < arns.length; i += this.describeConcurrency) {
      const slice = arns.slice(i, i + this.describeConcurrency);
      described.push(...(await Promise.all(slice.map((arn) => this.describe(arn)))));
    }
    return described.sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }
}

/** Parse, don't cast: a DescribeExecution answer to an ExecutionDescription, output validated as RunOutput. */
export function parseDescription(out: DescribeExecutionCommandOutput): ExecutionDescription {
  const { executionArn, name, status, startDate } = out;
  if (!executionArn || !name || !startDate) {
    throw new InvalidExecutionDataError('DescribeExecution answered without executionArn, name or startDate');
  }
  if (!(STATUSES as readonly string[]).includes(status ?? '')) {
    throw new InvalidExecutionDataError(`execution ${executionArn} has an unknown status ${String(status)}`);
  }
  return {
    executionArn,
    name,
    ...runIdOf(out.input),
    status: status as ExecutionStatus,
    startDate,
    ...(out.stopDate ? { stopDate: out.stopDate } : {}),
    input: parseInput(executionArn, out.input),
    ...(out.output !== undefined && out.status === 'SUCCEEDED'
      ? { output: parseOutput(executionArn, out.output) }
      : {}),
    ...(out.error !== undefined ? { error: out.error } : {}),
    ...(out.cause !== undefined ? { cause: out.cause } : {}),
  };
}

/** The run id the execution's input names (`{"runId": …, "request": …}`), when it names one. */
function runIdOf(input: string | undefined): { runId?: string } {
  try {
    const value = JSON.parse(input ?? '{}') as { runId?: unknown };
    return typeof value.runId === 'string' && RUN_ID_PATTERN.test(value.runId) ? { runId: value.runId } : {};
  } catch {
    return {};
  }
}

function parseInput(executionArn: string, input: string | undefined): ExtractionRequest {
  const value = parseJson(executionArn, 'input', input ?? '{}');
  const request =
    typeof value === 'object' && value !== null && 'request' in value
      ? (value as { request: unknown }).request
      : value;
  try {
    return parseExtractionRequest(request);
  } catch (error) {
    throw new InvalidExecutionDataError(`execution ${executionArn} input: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function parseOutput(executionArn: string, output: string): RunOutput {
  const parsed = runOutputSchema.safeParse(parseJson(executionArn, 'output', output));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidExecutionDataError(
      `execution ${executionArn} output is not a run result: ${issue.path.join('.') || '(output)'} ${issue.message}`,
    );
  }
  const { failure, ...rest } = parsed.data;
  return { ...rest, ...(failure ? { failure } : {}) };
}

function parseJson(executionArn: string, what: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidExecutionDataError(`execution ${executionArn} ${what} is not JSON`, { cause: error });
  }
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}
