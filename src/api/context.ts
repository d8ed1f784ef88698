import type { FastifyBaseLogger } from 'fastify';
import type { ApiDeps } from './deps';
import type { ResultImporter } from './ResultImporter';
import type { RunningExecutionsCap } from './RunningExecutionsCap';

/** What every route module gets: the dependencies with defaults applied, and the shared importer. */
export interface ApiContext {
  deps: ApiDeps;
  now: () => number;
  startedAt: number;
  engineKind: string;
  importer: ResultImporter;
  importWaitMs: number;
  maxResultFileBytes: number;
  presignSeconds: number;
  runningCap: RunningExecutionsCap;
  log: FastifyBaseLogger;
  /** Called when the app closes: open event streams end so that close does not wait for them. */
  closing: (() => void)[];
  /** True once the app began closing: late completions no longer write to the database. */
  isClosed: () => boolean;
}
