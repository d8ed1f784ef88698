/**
 * The archive-sync Lambda (run by the schedule): one sync of the account's archive in the bucket, through the
 * deployed state machine (SfnEngine), the database brought up to date when DATABASE_URL is set. Credentials
 * come from the Bitget secret (read once per cold start). Returns the sync's report; throws when the sync did
 * not complete (the archive is then unchanged, and the next scheduled sync completes it).
 */
import { z } from 'zod';
import type { SyncReport } from '../archive';
import { runSync } from '../archive';
import { BitgetClient, DEFAULT_BASE_URL } from '../bitget/client';
import { loadCredentials } from '../config/credentials';
import { KINDS, MARKETS } from '../core/order';
import { createDatabase } from '../db';
import { SfnEngine } from '../engines/sfn';
import { MissingEnvironmentError } from '../runtime/lambdaRuntime';
import { createS3Client, RunStore } from '../storage';

const eventSchema = z
  .object({
    markets: z.array(z.enum(MARKETS)).min(1).optional(),
    kinds: z.array(z.enum(KINDS)).min(1).optional(),
  })
  .loose();

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value?.trim()) throw new MissingEnvironmentError(`environment variable ${name} is required`);
  return value;
}

let deps: Promise<Omit<Parameters<typeof runSync>[0], 'log'>> | undefined;

/** Lambda entry point. */
export const handler = (event: unknown): Promise<SyncReport> => syncFromEnvironment(event, process.env);

export async function syncFromEnvironment(event: unknown, env: NodeJS.ProcessEnv): Promise<SyncReport> {
  const request = eventSchema.parse(event ?? {});
  deps ??= (async () => {
    const bucket = required(env, 'BUCKET_NAME');
    const store = new RunStore(
      createS3Client({ bucket, ...(env['AWS_REGION'] ? { region: env['AWS_REGION'] } : {}) }),
      bucket,
    );
    const credentials = await loadCredentials(env);
    const client = new BitgetClient({ baseUrl: env['BITGET_BASE_URL'] ?? DEFAULT_BASE_URL, credentials });
    const engine = new SfnEngine({ stateMachineArn: required(env, 'STATE_MACHINE_ARN') });
    const database = env['DATABASE_URL']?.trim() ? await createDatabase(env['DATABASE_URL']) : undefined;
    return { store, client, engine, ...(database ? { database } : {}) };
  })().catch((error: unknown) => {
    deps = undefined; // a failed cold start is retried on the next invocation
    throw error;
  });
  return runSync(
    { ...(await deps), log: (line) => console.log(line) },
    {
      ...(request.markets ? { markets: request.markets } : {}),
      ...(request.kinds ? { kinds: request.kinds } : {}),
    },
  );
}
