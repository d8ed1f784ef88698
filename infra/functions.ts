/**
 * The seven Lambdas: how big each one is by default and what each one may touch. One table, so that the IAM policy
 * of a function can be read (and reviewed) in one place; the stack turns these rows into policy statements.
 */
import { LAMBDA_NAMES } from '../statemachine/extraction';
import type { LambdaName, TaskLambdaName } from '../statemachine/extraction';
import type { BundleAsset } from './bundle';
import type { S3Access } from './iam';

/** The seven functions, in the statemachine's vocabulary (one folder each under functions/). */
export const FUNCTION_NAMES = LAMBDA_NAMES;
export type FunctionName = LambdaName;

/** The five functions the state machine invokes (the coordinator and the api start it instead). */
export const TASK_FUNCTION_NAMES = [
  'time-range-mapper',
  'symbol-searcher',
  'symbol-unifier',
  'symbol-processor',
  'result-collector',
] as const satisfies readonly TaskLambdaName[];
export type TaskFunctionName = TaskLambdaName;

export interface FunctionSettings {
  /** 128..10240 MB; CPU is allocated in proportion. */
  memoryMb: number;
  /** 1..900 s. */
  timeoutSeconds: number;
  /** Omitted: no reservation (the account's unreserved pool; Map MaxConcurrency bounds the fan-out instead). */
  reservedConcurrency?: number;
}

export const DEFAULT_FUNCTION_SETTINGS: Record<FunctionName, FunctionSettings> = {
  coordinator: { memoryMb: 256, timeoutSeconds: 30 },
  'time-range-mapper': { memoryMb: 256, timeoutSeconds: 60 },
  'symbol-searcher': { memoryMb: 1024, timeoutSeconds: 900 },
  'symbol-unifier': { memoryMb: 512, timeoutSeconds: 300 },
  'symbol-processor': { memoryMb: 2048, timeoutSeconds: 900 },
  'result-collector': { memoryMb: 2048, timeoutSeconds: 900 },
  api: { memoryMb: 512, timeoutSeconds: 30 },
};

export const RUNS_PREFIX = 'runs/';
export const RESULTS_PREFIX = 'results/';
/** The archive's prefix: no lifecycle rule expires it (RunBucket expires `runs/` only). */
export const ARCHIVE_PREFIX = 'archive/';

export type BucketAccess = S3Access;
export type StateMachineAccess = 'start' | 'describe' | 'list' | 'stop';

export interface FunctionAccess {
  /** One-line reason, repeated in the role's description. */
  purpose: string;
  /** Reads the Bitget credentials secret (only the functions that sign Bitget requests). */
  bitgetSecret: boolean;
  /** Reads the database URL secret (the api, which imports results into MySQL). */
  databaseSecret: boolean;
  /** Object access per key prefix of the run bucket. */
  bucket: { prefixes: string[]; access: BucketAccess[] }[];
  stateMachine: StateMachineAccess[];
}

export const FUNCTION_ACCESS: Record<FunctionName, FunctionAccess> = {
  coordinator: {
    purpose: 'validates a request and starts the extraction state machine',
    bitgetSecret: false,
    databaseSecret: false,
    bucket: [],
    stateMachine: ['start'],
  },
  'time-range-mapper': {
    purpose: 'detects the account mode on Bitget and writes the run plan',
    bitgetSecret: true,
    databaseSecret: false,
    bucket: [{ prefixes: [RUNS_PREFIX], access: ['read', 'write'] }],
    stateMachine: [],
  },
  'symbol-searcher': {
    purpose: 'discovers the symbols traded in one window on Bitget',
    bitgetSecret: true,
    databaseSecret: false,
    bucket: [{ prefixes: [RUNS_PREFIX], access: ['read', 'write'] }],
    stateMachine: [],
  },
  'symbol-unifier': {
    // Merges what the searchers wrote: S3 only, never Bitget, so no secret.
    purpose: 'merges, dedupes and orders the discovered symbols',
    bitgetSecret: false,
    databaseSecret: false,
    bucket: [{ prefixes: [RUNS_PREFIX], access: ['read', 'write'] }],
    stateMachine: [],
  },
  'symbol-processor': {
    purpose: 'paginates order history on Bitget for one lane and writes sorted parts and cursors',
    bitgetSecret: true,
    databaseSecret: false,
    bucket: [{ prefixes: [RUNS_PREFIX], access: ['read', 'write'] }],
    stateMachine: [],
  },
  'result-collector': {
    // Multipart uploads of the merged result: AbortMultipartUpload lets lib-storage clean up after a failure.
    // No DeleteObject: nothing in the run deletes an object (runs/ expires by lifecycle rule), so no role may.
    purpose: 'merges the parts of a run into the result files',
    bitgetSecret: false,
    databaseSecret: false,
    bucket: [{ prefixes: [RUNS_PREFIX, RESULTS_PREFIX], access: ['read', 'write', 'abortMultipart'] }],
    stateMachine: [],
  },
  api: {
    // stop: DELETE /orders/{arn} stops an execution (StopExecution), on this machine's executions only.
    purpose: 'HTTP API: starts, describes and stops extractions and serves their results',
    bitgetSecret: false,
    databaseSecret: true,
    // runs/: a running execution's progress (plan and lane states); results/: the result files, and the CSV and
    // Parquet it derives from orders.jsonl once; archive/: the archive's status, orders and report.
    bucket: [
      { prefixes: [RUNS_PREFIX, ARCHIVE_PREFIX], access: ['read'] },
      { prefixes: [RESULTS_PREFIX], access: ['read', 'write'] },
    ],
    stateMachine: ['start', 'describe', 'list', 'stop'],
  },
};

/**
 * Files a bundled function reads from disk at run time. Bundled, every module's `__dirname` is `/var/task`:
 * @fastify/swagger-ui reads `<__dirname>/static/logo.svg` when it registers, so its static folder goes along;
 * the web page's files (src/api/web) go to `web/`, where src/api/routes/web.ts looks beside a bundle.
 */
export const BUNDLE_ASSETS: Partial<Record<FunctionName, readonly BundleAsset[]>> = {
  api: [
    { from: 'node_modules/@fastify/swagger-ui/static', to: 'static' },
    { from: 'src/api/web', to: 'web' },
  ],
};
