import { z } from 'zod';
import { EnvReader } from './EnvReader';
import { CredentialsError } from './errors';
import { readSecretString } from './secrets';

/** Bitget API credentials (same shape as the secret the infrastructure stores). */
export interface Credentials {
  apiKey: string;
  secretKey: string;
  passphrase: string;
}

/** Where each field comes from in the environment: the first variable set wins. */
const ENV_SOURCES: Record<keyof Credentials, readonly string[]> = {
  apiKey: ['BITGET_API_KEY'],
  secretKey: ['BITGET_SECRET_KEY', 'BITGET_API_SECRET'],
  passphrase: ['BITGET_PASSPHRASE', 'BITGET_API_PASSPHRASE'],
};

const FIELDS = Object.keys(ENV_SOURCES) as (keyof Credentials)[];

const credentialsSchema = z.object({
  apiKey: z.string().min(1),
  secretKey: z.string().min(1),
  passphrase: z.string().min(1),
});

/** The cold-start cache: one Secrets Manager read per container, shared by concurrent callers. */
let cached: { secretArn: string; promise: Promise<Credentials> } | undefined;

/**
 * The Bitget credentials. With `BITGET_SECRET_ARN` set (in AWS) they are read from Secrets Manager once per cold
 * start, JSON `{apiKey, secretKey, passphrase}`; otherwise from `BITGET_API_KEY`, `BITGET_SECRET_KEY` (or
 * `BITGET_API_SECRET`) and `BITGET_PASSPHRASE` (or `BITGET_API_PASSPHRASE`). A failed read is not cached, so the
 * next invocation tries again.
 */
export function loadCredentials(env: NodeJS.ProcessEnv = process.env): Promise<Credentials> {
  const secretArn = new EnvReader(env).optional('BITGET_SECRET_ARN')?.trim();
  if (!secretArn) {
    try {
      return Promise.resolve(credentialsFromEnv(env));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  if (cached?.secretArn !== secretArn) {
    const promise = readSecret(secretArn);
    cached = { secretArn, promise };
    promise.catch(() => {
      if (cached?.promise === promise) cached = undefined;
    });
  }
  return cached.promise;
}

/** Forgets the cached secret (tests; a rotated secret is picked up by new containers). */
export function clearCredentialsCache(): void {
  cached = undefined;
}

function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials {
  const reader = new EnvReader(env);
  const values = Object.fromEntries(
    FIELDS.map((field) => [
      field,
      ENV_SOURCES[field].map((name) => reader.optional(name)).find((v) => v !== undefined),
    ]),
  );
  const missing = FIELDS.filter((field) => values[field] === undefined);
  if (missing.length > 0) {
    const names = missing.map((f) => ENV_SOURCES[f].join(' or ')).join(', ');
    throw new CredentialsError(
      `Bitget credentials missing: set ${names} (or BITGET_SECRET_ARN to read them from Secrets Manager)`,
    );
  }
  return credentialsSchema.parse(values);
}

async function readSecret(secretArn: string): Promise<Credentials> {
  let text: string | undefined;
  try {
    text = await readSecretString(secretArn);
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new CredentialsError(`Bitget credentials: cannot read secret ${secretArn} (${reason})`, {
      cause: err,
    });
  }
  if (text === undefined)
    throw new CredentialsError(`Bitget credentials: secret ${secretArn} has no string value`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message would quote the secret: say only what is wrong.
    throw new CredentialsError(
      `Bitget credentials: secret ${secretArn} is not JSON {apiKey, secretKey, passphrase}`,
    );
  }
  const parsed = credentialsSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '(value)')))];
    throw new CredentialsError(
      `Bitget credentials: secret ${secretArn} is missing or has an empty ${fields.map((f) => `"${f}"`).join(', ')}`,
    );
  }
  return parsed.data;
}
