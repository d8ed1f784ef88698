import { DEFAULT_BASE_URL } from './client';
import type { Credentials } from './signing';

export interface BitgetEnvConfig {
  baseUrl: string;
  credentials: Credentials | undefined;
}

/**
 * Credentials and address from the environment: BITGET_API_KEY, BITGET_SECRET_KEY (or BITGET_API_SECRET),
 * BITGET_PASSPHRASE (or BITGET_API_PASSPHRASE), BITGET_BASE_URL. Credentials are undefined unless all three
 * are set.
 */
export function bitgetConfigFromEnv(env: NodeJS.ProcessEnv = process.env): BitgetEnvConfig {
  const apiKey = env.BITGET_API_KEY;
  const secretKey = env.BITGET_SECRET_KEY ?? env.BITGET_API_SECRET;
  const passphrase = env.BITGET_PASSPHRASE ?? env.BITGET_API_PASSPHRASE;
  return {
    baseUrl: env.BITGET_BASE_URL || DEFAULT_BASE_URL,
    credentials: apiKey && secretKey && passphrase ? { apiKey, secretKey, passphrase } : undefined,
  };
}
