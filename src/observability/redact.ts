/** Field names whose values never reach a log line, whatever they hold (headers, credentials, URLs with keys). */
const SENSITIVE_KEY =
  /^(access-key|access-sign|access-passphrase|x-api-key|authorization|cookie|api[-_]?key|secret[-_]?key|secret|passphrase|password|credentials|database[-_]?url|signature)$/i;

export const REDACTED = '[redacted]';

/**
 * Keeps secrets out of log lines, as the JSON replacer of every logger: values under sensitive field names are
 * replaced, and any string holding a registered secret value (the Bitget keys once read, the database URL) has
 * that value cut out, wherever it appears (an error message, a URL, a nested object).
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /** Registers secret values; short values (under 6 characters) are ignored, they would redact ordinary words. */
  add(...values: (string | undefined)[]): void {
    for (const v of values) if (v !== undefined && v.trim().length >= 6) this.secrets.add(v.trim());
  }

  readonly replacer = (key: string, value: unknown): unknown => {
    if (key !== '' && SENSITIVE_KEY.test(key) && value !== undefined && value !== null) return REDACTED;
    if (typeof value === 'string') return this.scrub(value);
    return value;
  };

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }
}

/** The environment variables that hold secret values (read by src/config/credentials.ts and src/runtime/apiFunction.ts). */
export const SECRET_ENV_VARIABLES = [
  'BITGET_API_KEY',
  'BITGET_SECRET_KEY',
  'BITGET_API_SECRET',
  'BITGET_PASSPHRASE',
  'BITGET_API_PASSPHRASE',
  'API_KEY',
  'DATABASE_URL',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
] as const;

/** A redactor that already knows the secret values present in `env`. */
export function redactorFor(env: NodeJS.ProcessEnv): SecretRedactor {
  const r = new SecretRedactor();
  r.add(...SECRET_ENV_VARIABLES.map((name) => env[name]));
  return r;
}
