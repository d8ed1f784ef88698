/**
 * The two Lambdas of the sync state machine (statemachine/sync.ts): `sync-prepare` and `sync-commit`, each one
 * stage of src/archive/sync.ts, the extraction run between them as a nested execution. Built once per cold start
 * from the environment:
 *
 * - BUCKET_NAME (required): the run bucket, which holds the archive (archive/) and the run (runs/, results/)
 * - BITGET_SECRET_ARN (or BITGET_API_KEY…): the Bitget credentials, read once per cold start
 * - BITGET_BASE_URL (optional): the exchange address
 * - DATABASE_URL or DATABASE_SECRET_ARN (sync-commit, optional): the database brought up to the archive
 * - S3_ENDPOINT (optional): an S3-compatible endpoint (path-style), for tests and local stacks
 *
 * Events are checked with zod: prepare takes the sync's options (the state machine's input), commit the run id
 * and the nested execution's outcome. Prepare answers `{ runId, request }` only (its context stays in the bucket).
 */
import { z } from 'zod';
import type { SyncReport, SyncStageDeps } from '../archive';
import { commitSync, prepareSync } from '../archive';
import { BitgetClient, DEFAULT_BASE_URL } from '../bitget/BitgetClient';
import { EnvReader } from '../config/EnvReader';
import { loadCredentials } from '../config/credentials';
import { readDatabaseUrl } from '../config/databaseUrl';
import { DATASET_NAMES } from '../core/dataset';
import type { ExtractionRequest } from '../core/request';
import { KINDS, MARKETS } from '../core/order';
import { createDatabase } from '../db';
import { instrumented, lambdaTelemetry } from '../observability/lambda';
import type { LambdaContextFields } from '../observability/lambda';
import { RUN_ID_PATTERN } from '../storage/keys';
import { createS3Client, RunStore } from '../storage';

/** The sync machine's input: the sync's options (other fields, e.g. a console comment, are ignored). */
const prepareEventSchema = z
  .object({
    markets: z.array(z.enum(MARKETS)).min(1).optional(),
    kinds: z.array(z.enum(KINDS)).min(1).optional(),
    datasets: z.array(z.enum(DATASET_NAMES)).min(1).optional(),
    taxSpanDays: z.number().int().min(1).max(366).optional(),
  })
  .loose();

const commitEventSchema = z.object({
  runId: z.string().regex(RUN_ID_PATTERN),
  extraction: z.object({ status: z.string().min(1), complete: z.boolean().optional() }),
});

export type SyncStageName = 'sync-prepare' | 'sync-commit';

interface StageResults {
  'sync-prepare': { runId: string; request: ExtractionRequest };
  'sync-commit': SyncReport;
}

/** Per stage: in one process (tests) the two stages keep their own dependencies, as in two Lambdas. */
const deps: Partial<Record<SyncStageName, Promise<SyncStageDeps>>> = {};

/** The stages' dependencies, from the environment (the database only for the commit, and only when configured). */
export async function syncStageDepsFromEnv(
  name: SyncStageName,
  env: NodeJS.ProcessEnv,
): Promise<SyncStageDeps> {
  const config = new EnvReader(env, name);
  const bucket = config.required('BUCKET_NAME');
  const store = new RunStore(
    createS3Client({
      bucket,
      region: config.optional('AWS_REGION'),
      endpoint: config.optional('S3_ENDPOINT'),
    }),
    bucket,
  );
  const credentials = await loadCredentials(env);
  const telemetry = lambdaTelemetry(env);
  telemetry.redactor.add(credentials.apiKey, credentials.secretKey, credentials.passphrase);
  const baseUrl = config.optional('BITGET_BASE_URL') ?? DEFAULT_BASE_URL;
  const client = new BitgetClient({ baseUrl, credentials });
  const wantsDatabase =
    name === 'sync-commit' && (config.optional('DATABASE_URL') || config.optional('DATABASE_SECRET_ARN'));
  let database: SyncStageDeps['database'];
  if (wantsDatabase) {
    const url = await readDatabaseUrl(config);
    telemetry.redactor.add(url);
    database = await createDatabase(url, { poolSize: 2 });
  }
  return { store, client, ...(database ? { database } : {}), log: (line) => telemetry.logger.info(line) };
}

async function runStage<K extends SyncStageName>(name: K, event: unknown): Promise<StageResults[K]> {
  const built = (deps[name] ??= syncStageDepsFromEnv(name, process.env).catch((error: unknown) => {
    delete deps[name]; // a failed cold start is retried on the next invocation
    throw error;
  }));
  const ready = await built;
  if (name === 'sync-prepare') {
    const options = prepareEventSchema.parse(event ?? {});
    const { runId, request } = await prepareSync(ready, {
      markets: options.markets,
      kinds: options.kinds,
      datasets: options.datasets,
      taxSpanDays: options.taxSpanDays,
    });
    return { runId, request } as StageResults[K];
  }
  const { runId, extraction } = commitEventSchema.parse(event);
  return (await commitSync(ready, runId, extraction)) as StageResults[K];
}

/** The Lambda handler of one sync stage, which `functions/<name>/index.ts` exports. */
export function syncStageHandler<K extends SyncStageName>(name: K) {
  return instrumented(
    name,
    (event: unknown, _context: LambdaContextFields | undefined): Promise<StageResults[K]> =>
      runStage(name, event),
  );
}

/** For tests: forget the cold-start state. */
export async function resetSyncStageRuntime(): Promise<void> {
  for (const name of Object.keys(deps) as SyncStageName[]) {
    const held = deps[name];
    delete deps[name];
    const ready = await held?.catch(() => undefined);
    await ready?.database?.close();
  }
}
