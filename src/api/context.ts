import type { FastifyBaseLogger } from 'fastify';
import type { ApiDeps } from './deps';
import type { ResultImporter } from './resultImporter';
import type { RunningExecutionsCap } from './runningCap';

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
}
