import { join } from 'node:path';
import { BitgetClient } from '../bitget/client';
import type { BitgetClientOptions } from '../bitget/client';
import type { Credentials } from '../bitget/signing';
import { LocalEngine } from '../engines/local';
import { bitgetExchange } from '../extraction/bitgetExchange';
import { createStageHandlers } from '../extraction/handlers';
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
import { localTelemetry } from '../observability/local';
import { buildExtractionStateMachine, TASK_STATES } from '../../statemachine';
import type { TaskLambdaName } from '../../statemachine';

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
}

export interface LocalStack {
  s3: LocalS3;
  store: RunStore;
  client: BitgetClient;
  engine: LocalEngine;
  /** The JSON-lines log the stages write (`<dataDir>/logs/bitget-orders.log`). */
  logFile: string;
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
  const s3Options = { directory: join(options.dataDir, 's3'), bucket: LOCAL_BUCKET };
  const s3 = localS3ProcessAvailable() ? await startLocalS3Process(s3Options) : await startLocalS3(s3Options);
  const store = new RunStore(createS3Client(s3), LOCAL_BUCKET);
  const client = new BitgetClient({
    ...options.client,
    baseUrl: options.baseUrl,
    credentials: options.credentials,
  });
  const settings = { ...DEFAULT_EXTRACTION_SETTINGS, ...options.settings };
  const budget = options.invocationBudgetMs ?? 10 * 60 * 1000;
  const { apiKey, secretKey, passphrase } = options.credentials;
  const telemetry = localTelemetry({ dataDir: options.dataDir, secrets: [apiKey, secretKey, passphrase] });
  const handlers = createStageHandlers(
    {
      store,
      exchange: bitgetExchange(client),
      settings,
      log: telemetry.log,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
    () => Date.now() + budget,
  );
  const engine = new LocalEngine({
    definition: buildExtractionStateMachine({ functionArns: localFunctionArns() }),
    handlers,
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
  return { s3, store, client, engine, logFile: telemetry.path, close };
}
