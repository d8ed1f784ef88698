import { createHmac } from 'node:crypto';

export type QueryValue = string | number | boolean | null | undefined;

/**
 * `a=1&b=2` with keys sorted, values percent-encoded, undefined/null left out; numbers are sent as strings.
 * The same string goes into the URL and into the signature, so what is signed is what is sent.
 */
export function buildQueryString(query: Readonly<Record<string, QueryValue>>): string {
  return Object.keys(query)
    .filter((key) => query[key] !== undefined && query[key] !== null)
    .sort()
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(String(query[key]))}`)
    .join('&');
}

/** `path?query` or `path` when the query is empty. */
export function requestTarget(path: string, queryString: string): string {
  return queryString === '' ? path : `${path}?${queryString}`;
}

/** Bitget's pre-hash string: timestamp + METHOD + requestPath (with `?query` if any) + body. */
export function preHashString(timestamp: string, method: string, target: string, body: string): string {
  return `${timestamp}${method.toUpperCase()}${target}${body}`;
}

/** base64(HMAC-SHA256(secret, preHash)). */
export function sign(secretKey: string, preHash: string): string {
  return createHmac('sha256', secretKey).update(preHash).digest('base64');
}

export interface Credentials {
  apiKey: string;
  secretKey: string;
  passphrase: string;
}

/** The headers of one signed request. */
export function signedHeaders(
  credentials: Credentials,
  timestamp: string,
  method: string,
  target: string,
  body = '',
): Record<string, string> {
  return {
    'ACCESS-KEY': credentials.apiKey,
    'ACCESS-SIGN': sign(credentials.secretKey, preHashString(timestamp, method, target, body)),
    'ACCESS-TIMESTAMP': timestamp,
    'ACCESS-PASSPHRASE': credentials.passphrase,
  };
}
