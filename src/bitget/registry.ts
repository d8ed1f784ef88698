import type { BitgetClientOptions } from './client';
import { BitgetClient, DEFAULT_BASE_URL, accountLabel } from './client';

const clients = new Map<string, BitgetClient>();

/**
 * The client of one account in this process (one axios instance, one clock, one set of stats), created on
 * first use: every function of a Lambda or of the local run shares it. Keyed by base URL and account; the
 * options of the first call win.
 */
export function getBitgetClient(options: BitgetClientOptions = {}): BitgetClient {
  const key = `${(options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '')}|${accountLabel(options.credentials)}`;
  let client = clients.get(key);
  if (client === undefined) {
    client = new BitgetClient(options);
    clients.set(key, client);
  }
  return client;
}

/** Forgets every registered client (tests). */
export function clearBitgetClients(): void {
  clients.clear();
}
