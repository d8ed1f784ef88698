/**
 * Test-only HTTP client for the simulator's protocol tests: plain node:http and a signer of its own, so the
 * tests do not depend on the product's Bitget client.
 */
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import type { SimCredentials } from './types';

export interface RawResponse {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface SignOptions {
  credentials: SimCredentials;
  timestamp?: number;
  /** Override or drop (null) single headers. */
  headers?: Record<string, string | null>;
  /** Sign this query string instead of the one sent. */
  signedQuery?: string;
}

export function signature(secret: string, prehash: string): string {
  return createHmac('sha256', secret).update(prehash).digest('base64');
}

/** Sends GET base+path?query exactly as given (no re-encoding). */
export function get(baseUrl: string, path: string, query = '', sign?: SignOptions): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const target = query ? `${path}?${query}` : path;
  const headers: Record<string, string> = { 'content-type': 'application/json', locale: 'en-US' };
  if (sign) {
    const ts = String(sign.timestamp ?? Date.now());
    const signedQuery = sign.signedQuery ?? query;
    const prehash = ts + 'GET' + path + (signedQuery ? `?${signedQuery}` : '');
    Object.assign(headers, {
      'ACCESS-KEY': sign.credentials.apiKey,
      'ACCESS-SIGN': signature(sign.credentials.secretKey, prehash),
      'ACCESS-TIMESTAMP': ts,
      'ACCESS-PASSPHRASE': sign.credentials.passphrase,
    });
    for (const [name, value] of Object.entries(sign.headers ?? {})) {
      if (value === null) delete headers[name];
      else headers[name] = value;
    }
  }
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: target, method: 'GET', headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export interface Envelope<T = unknown> {
  code: string;
  msg: string;
  requestTime: number | string;
  data: T;
}

export async function getJson<T = unknown>(
  baseUrl: string,
  path: string,
  query = '',
  sign?: SignOptions,
): Promise<{ status: number; body: Envelope<T> }> {
  const res = await get(baseUrl, path, query, sign);
  return { status: res.status, body: JSON.parse(res.text) as Envelope<T> };
}

/** A manual clock for deterministic rate-limit and retention tests. */
export function manualClock(start: number): {
  now: () => number;
  advance: (ms: number) => void;
  set: (t: number) => void;
} {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms), set: (x) => (t = x) };
}

export const qs = (params: Record<string, string | number | undefined>): string =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
