/**
 * The ten Lambdas: their names, how big each one is by default, the run bucket's key prefixes and the files a
 * bundle carries. What each one may touch is functionAccess.ts.
 */
import { LAMBDA_NAMES } from '../statemachine/extraction';
import type { LambdaName, TaskLambdaName } from '../statemachine/extraction';
import { SYNC_LAMBDA_NAMES } from '../statemachine/sync';
import type { SyncLambdaName } from '../statemachine/sync';
import type { BundleAsset } from './bundle';

/**
 * The ten functions (one folder each under functions/): the statemachine's seven; the run-importer, which the
 * machine's status-change events invoke (created with the api, when there is a database to import into); and the
 * two tasks of the archive's sync state machine (created with the archive, INFRA_ARCHIVE_SYNC_HOURS).
 */
export const FUNCTION_NAMES = [...LAMBDA_NAMES, 'run-importer', ...SYNC_LAMBDA_NAMES] as const;
export type FunctionName = LambdaName | 'run-importer' | SyncLambdaName;

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
  // An import streams orders.jsonl in batches: memory stays flat, time grows with the run (200k orders: minutes).
  'run-importer': { memoryMb: 512, timeoutSeconds: 900 },
  // Identity, time and the open-order endpoints (in parallel under the limiters): seconds to a few minutes.
  'sync-prepare': { memoryMb: 512, timeoutSeconds: 900 },
  // Reads, merges and writes every changed partition (NDJSON and Parquet) of three data sets.
  'sync-commit': { memoryMb: 2048, timeoutSeconds: 900 },
};

export const RUNS_PREFIX = 'runs/';
export const RESULTS_PREFIX = 'results/';
/** The archive's prefix: no lifecycle rule expires it (RunBucket expires `runs/` only). */
export const ARCHIVE_PREFIX = 'archive/';

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
