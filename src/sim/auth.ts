/**
 * Verifies a signed request as Bitget does: ACCESS-KEY, ACCESS-SIGN, ACCESS-TIMESTAMP, ACCESS-PASSPHRASE;
 * sign = base64(HMAC-SHA256(secret, timestamp + METHOD + path + ('?' + raw query, if any) + body)).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ERRORS, type SimError } from './errors';
import type { SimCredentials } from './types';

/** Largest accepted distance between ACCESS-TIMESTAMP and the server clock. */
export const TIMESTAMP_TOLERANCE_MS = 30_000;

export interface SignedRequest {
  method: string;
  path: string;
  /** The query string exactly as received, without '?' ('' when none). */
  rawQuery: string;
  body: string;
  headers: IncomingHttpHeaders;
}

export function sign(
  secretKey: string,
  timestamp: string,
  method: string,
  path: string,
  rawQuery: string,
  body: string,
): string {
  const prehash = timestamp + method.toUpperCase() + path + (rawQuery ? `?${rawQuery}` : '') + body;
  return createHmac('sha256', secretKey).update(prehash).digest('base64');
}

const header = (headers: IncomingHttpHeaders, name: string): string => {
  const v = headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

/** Returns the refusal, or null when the request is authentic. Checks run in Bitget's order of codes. */
export function verify(req: SignedRequest, creds: SimCredentials, now: number): SimError | null {
  const key = header(req.headers, 'access-key');
  const signature = header(req.headers, 'access-sign');
  const timestamp = header(req.headers, 'access-timestamp');
  const passphrase = header(req.headers, 'access-passphrase');
  if (!key) return ERRORS.keyEmpty;
  if (!signature) return ERRORS.signEmpty;
  if (!/^\d{1,16}$/.test(timestamp)) return ERRORS.timestampInvalid;
  if (!passphrase) return ERRORS.passphraseEmpty;
  if (Math.abs(now - Number(timestamp)) > TIMESTAMP_TOLERANCE_MS) return ERRORS.timestampExpired;
  if (key !== creds.apiKey) return ERRORS.keyInvalid;
  if (passphrase !== creds.passphrase) return ERRORS.passphraseWrong;
  const expected = Buffer.from(
    sign(creds.secretKey, timestamp, req.method, req.path, req.rawQuery, req.body),
  );
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return ERRORS.signInvalid;
  return null;
}
