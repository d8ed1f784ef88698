import { BitgetClient } from '../bitget/BitgetClient';
import { BitgetApiError, BitgetResponseError } from '../bitget/errors';
import { ExchangeUnreachableError, InvalidBaseUrlError } from './errors';

/** The address as a URL, or InvalidBaseUrlError naming what is wrong with it. */
export function parseBaseUrl(value: string, source = '--base-url'): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidBaseUrlError(
      `${source} ${JSON.stringify(value)} is not a URL: expected e.g. https://api.bitget.com or http://127.0.0.1:8080`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidBaseUrlError(`${source} ${JSON.stringify(value)} must start with http:// or https://`);
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    throw new InvalidBaseUrlError(
      `${source} ${JSON.stringify(value)} must be the exchange's address only (no path or query), e.g. ${url.origin}`,
    );
  return url;
}

const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|EPROTO$|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/**
 * Asks the exchange's public clock once (one retry), so that an address that cannot be reached at all is
 * reported in seconds, before a run is created, instead of after every layer of retries. Transient failures
 * in the middle of a run are the client's and the lanes' to ride out; this only decides "can we start".
 * Worst case: 2 attempts × `timeoutMs` plus a short backoff.
 */
export async function checkExchangeReachable(baseUrl: string, timeoutMs = 10_000): Promise<void> {
  const url = parseBaseUrl(baseUrl);
  const client = new BitgetClient({ baseUrl, timeoutMs, retries: 1, baseDelayMs: 500, maxDelayMs: 1000 });
  try {
    await client.getServerTime();
  } catch (err) {
    // It answered: a busy or briefly failing exchange is the run's to ride out, not a configuration error.
    if (err instanceof BitgetApiError && (err.category === 'server' || err.category === 'rate_limit')) return;
    throw new ExchangeUnreachableError(describeUnreachable(url, err, timeoutMs), { cause: err });
  }
}

export function describeUnreachable(url: URL, err: unknown, timeoutMs: number): string {
  const host = url.hostname;
  const where = url.port ? `${host}:${url.port}` : host;
  if (err instanceof BitgetResponseError)
    return `${url.origin} answered, but not as Bitget does (${err.field} ${err.issue}): check --base-url`;
  if (!(err instanceof BitgetApiError)) return `cannot reach ${url.origin}: ${String(err)}`;
  const code = err.transportCode ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return `cannot resolve ${host}: check the network or --base-url`;
  if (code === 'ECONNREFUSED')
    return `${where} refused the connection: nothing listens there; check --base-url (is the simulator running?)`;
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'EADDRNOTAVAIL')
    return `no route to ${where} (${code}): check the network or --base-url`;
  if (TLS_CODE.test(code))
    return `TLS with ${where} failed (${code}): check --base-url (https:// or http://?) or the network's proxy`;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || err.category === 'timeout')
    return `${where} did not answer within ${Math.round(timeoutMs / 1000)} s: check the network or --base-url`;
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return `${where} closed the connection (${code}): check --base-url (https:// or http://?) or the network`;
  if (err.httpStatus !== null && err.exchangeCode === null)
    return `${url.origin} answered HTTP ${err.httpStatus} to ${err.path}: is this a Bitget address? check --base-url`;
  return `cannot reach ${url.origin}: ${err.message}`;
}
