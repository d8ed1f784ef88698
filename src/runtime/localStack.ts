import { hostname } from 'node:os';
import { join } from 'node:path';
import { BitgetClient } from '../bitget/BitgetClient';
import type { BitgetClientOptions } from '../bitget/BitgetClient';
import type { Credentials } from '../bitget/signing';
import { LocalEngine } from '../engines/LocalEngine';
import { bitgetExchange } from '../extraction/bitgetExchange';
import { askExchangeFacts } from '../extraction/exchangeFacts';
import type { ExchangeFacts } from '../extraction/runState';
import type { ExtractionRequest } from '../core/request';
import { createStageHandlers } from '../extraction/stageHandlers';
import type { LaneProgress } from '../extraction/laneWorker';
import type { ExtractionSettings } from '../extraction/stages';
import { DEFAULT_EXTRACTION_SETTINGS } from '../extraction/stages';
import {
  RunStore,
  createS3Client,
  localS3ProcessAvailable,
  startLocalS3,
  startLocalS3Process,
} from '../storage';
import type { LocalS3 } from '../storage';
import type { WriteFault } from '../storage/localFilesystemErrors';
import { localTelemetry } from '../observability/local';
import { buildExtractionStateMachine, TASK_STATES, validateLocalDefinition } from '../../statemachine';
import type { TaskLambdaName } from '../../statemachine';
import type { StageHandlers } from '../extraction/stageHandlers';
import { withRunLease } from './runLease';
import { processAlive } from './runLock';

export const LOCAL_BUCKET = 'bitget-orders-local';

export interface LocalStackOptions {
  /** Where the local S3 server keeps its objects (plans, cursors, parts, results): runs resume from here. */
  dataDir: string;
  baseUrl: string;
  credentials: Credentials;
  /** How long one processor invocation works before it checkpoints and lets the state machine loop it. */
  invocationBudgetMs?: number;
  settings?: Partial<ExtractionSettings>;
  client?: Omit<BitgetClientOptions, 'credentials' | 'baseUrl'>;
  /** Retry waits per state, ms (default: the definition's own backoff). */
  retryIntervalMs?: number;
  onProgress?: (p: LaneProgress) => void;
  /** Called when the run enters a stage (the first invocation of a stage's function). */
  onStage?: (stage: RunStage) => void;
  /** Tests only: the local S3 server's writes fail as on a full disk, a denied permission, a read-only mount. */
  s3WriteFault?: WriteFault;
  /**
   * Ask the exchange what planning a run of this request needs (askExchangeFacts) while the S3 server starts;
   * the stack's `exchangeFacts` holds the answer (null when a request failed: planning then asks itself).
   */
  exchangeFactsFor?: ExtractionRequest;
}

export type RunStage = 'planning' | 'lanes' | 'symbol search' | 'merge';

const STAGE_OF: Record<keyof StageHandlers, RunStage> = {
  'time-range-mapper': 'planning',
  'symbol-processor': 'lanes',
  'symbol-searcher': 'symbol search',
  'symbol-unifier': 'symbol search',
  'result-collector': 'merge',
};

export interface LocalStack {
  s3: LocalS3;
  store: RunStore;
  client: BitgetClient;
  engine: LocalEngine;
  /**
   * Stops the run gently: lanes start no new request, finish the ones in flight and checkpoint; no new
   * invocation starts. Resolves when nothing is running any more (then abort the execution).
   */
  interrupt(): Promise<void>;
  /** The JSON-lines log the stages write (`<dataDir>/logs/bitget-orders.log`). */
  logFile: string;
  /** The exchange facts asked while the stack started (`exchangeFactsFor`); absent when none were asked. */
  exchangeFacts?: Promise<ExchangeFacts | null>;
  close(): Promise<void>;
}

/** The local Lambda function ARNs the definition names (the handlers are bound by state name). */
export function localFunctionArns(): Record<TaskLambdaName, string> {
  const arn = (n: TaskLambdaName) => `arn:aws:lambda:us-east-1:000000000000:function:bitget-orders-${n}`;
  return {
    'time-range-mapper': arn('time-range-mapper'),
    'symbol-searcher': arn('symbol-searcher'),
    'symbol-unifier': arn('symbol-unifier'),
    'symbol-processor': arn('symbol-processor'),
    'result-collector': arn('result-collector'),
  };
}

/**
 * Everything the run needs on one machine: an S3 protocol server on loopback, the Bitget client, and the
 * deployed state machine definition run in process with the handlers bound.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  // The S3 server gets a process of its own whenever the project is built (CLI, serve, demo, bench); under
  // ts-jest, which has no compiled child entry, it runs in this process.
  const s3Options = {
    directory: join(options.dataDir, 's3'),
    bucket: LOCAL_BUCKET,
    writeFault: options.s3WriteFault,
  };
  const s3Starting = localS3ProcessAvailable() ? startLocalS3Process(s3Options) : startLocalS3(s3Options);
  const client = new BitgetClient({
    ...options.client,
    baseUrl: options.baseUrl,
    credentials: options.credentials,
  });
  // While the S3 server's process starts: the exchange's answers travel, and the definition is validated here
  // (CPU of this process; the server's is another's), instead of one after the other.
  const exchangeFacts = options.exchangeFactsFor
    ? askExchangeFacts(bitgetExchange(client), options.exchangeFactsFor).catch(() => null)
    : undefined;
  const definition = buildExtractionStateMachine({ functionArns: localFunctionArns() });
  try {
    validateLocalDefinition(definition);
  } catch (err) {
    await s3Starting.then((s) => s.close()).catch(() => undefined);
    throw err;
  }
  const s3 = await s3Starting;
  const store = new RunStore(createS3Client(s3), LOCAL_BUCKET);
  const settings = { ...DEFAULT_EXTRACTION_SETTINGS, ...options.settings };
  const budget = options.invocationBudgetMs ?? 10 * 60 * 1000;
  const { apiKey, secretKey, passphrase } = options.credentials;
  const telemetry = localTelemetry({ dataDir: options.dataDir, secrets: [apiKey, secretKey, passphrase] });
  const gate = invocationGate(options.onStage);
  const here = hostname();
  const handlers = gate.wrap(
    withRunLease(
      createStageHandlers(
        {
          store,
          exchange: bitgetExchange(client),
          settings,
          stopRequested: gate.stopping,
          log: telemetry.log,
          onProgress: options.onProgress,
        },
        () => Date.now() + budget,
      ),
      store,
      {
        ttlMs: budget + 5 * 60_000,
        pid: process.pid,
        host: here,
        // A lease left by a process of this machine that no longer exists (killed with -9) is taken over.
        canTakeOver: (l) =>
          l.host === here && l.pid !== null && l.pid !== process.pid && !processAlive(l.pid),
      },
    ),
  );
  const engine = new LocalEngine({
    definition,
    handlers,
    // An aborted execution's collector never ran: its lease is given back here, so the run id can be resumed.
    onAbort: (name) => gate.retire(name),
    onEnded: (runId, execution) => {
      gate.retire(execution.name);
      return store.releaseLease(runId, execution.name);
    },
    ...(options.retryIntervalMs !== undefined
      ? {
          retryIntervalOverrides: Object.fromEntries(
            Object.keys(TASK_STATES).map((s) => [s, options.retryIntervalMs!]),
          ),
        }
      : {}),
  });
  const close = async () => {
    telemetry.close();
    await s3.close();
  };
  return {
    s3,
    store,
    client,
    engine,
    interrupt: gate.stop,
    logFile: telemetry.path,
    ...(exchangeFacts ? { exchangeFacts } : {}),
    close,
  };
}

/** Local executions of this process that have ended or are being aborted (names are unique per execution). */
const RETIRED_EXECUTIONS = new Set<string>();

/**
 * Counts the invocations in flight; once stopped, new ones never start (the execution is aborted instead). An
 * execution that has ended (aborted: its Map branches may still schedule invocations) starts nothing either.
 */
function invocationGate(onStage?: (stage: RunStage) => void) {
  let stopped = false;
  const retired = RETIRED_EXECUTIONS;
  let inFlight = 0;
  const idle: (() => void)[] = [];
  const settle = () => {
    if (inFlight === 0) idle.splice(0).forEach((f) => f());
  };
  return {
    stopping: () => stopped,
    retire: (executionName: string) => void retired.add(executionName),
    stop: (): Promise<void> => {
      stopped = true;
      return new Promise<void>((resolve) => {
        idle.push(resolve);
        settle();
      });
    },
    wrap(handlers: StageHandlers): StageHandlers {
      const wrapped = {} as Record<keyof StageHandlers, (event: unknown) => Promise<unknown>>;
      for (const name of Object.keys(handlers) as (keyof StageHandlers)[]) {
        wrapped[name] = async (event: unknown) => {
          const execution = (event as { executionName?: unknown } | null)?.executionName;
          if (stopped || (typeof execution === 'string' && retired.has(execution)))
            return new Promise<never>(() => undefined);
          inFlight += 1;
          onStage?.(STAGE_OF[name]);
          try {
            return await handlers[name](event);
          } finally {
            inFlight -= 1;
            settle();
          }
        };
      }
      return wrapped as unknown as StageHandlers;
    },
  };
}
