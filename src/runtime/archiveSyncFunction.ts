/**
 * The archive-sync Lambda (run by the schedule): one sync of the account's archive in the bucket, through the
 * deployed state machine (SfnEngine), the database brought up to date when DATABASE_URL is set. Credentials
 * come from the Bitget secret (read once per cold start). Returns the sync's report; throws when the sync did
 * not complete (the archive is then unchanged, and the next scheduled sync completes it).
 */
import { z } from 'zod';
import type { SyncReport } from '../archive';
import { runSync } from '../archive';
import { BitgetClient, DEFAULT_BASE_URL } from '../bitget/BitgetClient';
import { loadCredentials } from '../config/credentials';
import { DATASET_NAMES } from '../core/dataset';
import { KINDS, MARKETS } from '../core/order';
import { createDatabase } from '../db';
import { SfnEngine } from '../engines/SfnEngine';
import { EnvReader } from '../config/EnvReader';
import { createS3Client, RunStore } from '../storage';

const eventSchema = z
  .object({
    markets: z.array(z.enum(MARKETS)).min(1).optional(),
    kinds: z.array(z.enum(KINDS)).min(1).optional(),
    datasets: z.array(z.enum(DATASET_NAMES)).min(1).optional(),
    taxSpanDays: z.number().int().min(1).max(366).optional(),
  })
  .loose();

let deps: Promise<Omit<Parameters<typeof runSync>[0], 'log'>> | undefined;

/** Lambda entry point. */
export const handler = (event: unknown): Promise<SyncReport> => syncFromEnvironment(event, process.env);

export async function syncFromEnvironment(event: unknown, env: NodeJS.ProcessEnv): Promise<SyncReport> {
  const request = eventSchema.parse(event ?? {});
  deps ??= (async () => {
    const config = new EnvReader(env);
    const bucket = config.required('BUCKET_NAME');
    const store = new RunStore(createS3Client({ bucket, region: config.optional('AWS_REGION') }), bucket);
    const credentials = await loadCredentials(env);
    const baseUrl = config.optional('BITGET_BASE_URL') ?? DEFAULT_BASE_URL;
    const client = new BitgetClient({ baseUrl, credentials });
    const engine = new SfnEngine({ stateMachineArn: config.required('STATE_MACHINE_ARN') });
    const databaseUrl = config.optional('DATABASE_URL');
    const database = databaseUrl ? await createDatabase(databaseUrl) : undefined;
    return { store, client, engine, database };
  })().catch((error: unknown) => {
    deps = undefined; // a failed cold start is retried on the next invocation
    throw error;
  });
  // Only the options the event may set: the schema lets other fields through.
  return runSync(
    { ...(await deps), log: (line) => console.log(line) },
    {
      markets: request.markets,
      kinds: request.kinds,
      datasets: request.datasets,
      taxSpanDays: request.taxSpanDays,
    },
  );
}
