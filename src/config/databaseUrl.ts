import type { EnvReader } from './EnvReader';
import { readSecretString } from './secrets';

/**
 * The database URL of a function that writes the database (the api, the run-importer): DATABASE_URL, or the
 * value of the Secrets Manager secret DATABASE_SECRET_ARN names (read once per cold start by the caller).
 */
export async function readDatabaseUrl(config: EnvReader): Promise<string> {
  const direct = config.optional('DATABASE_URL');
  if (direct) return direct;
  const secretArn = config.optional('DATABASE_SECRET_ARN');
  if (!secretArn) throw config.missing('DATABASE_URL or DATABASE_SECRET_ARN');
  const url = (await readSecretString(secretArn))?.trim();
  if (!url) throw config.missing('DATABASE_SECRET_ARN (the secret is empty)');
  return url;
}
