/**
 * The error answers the simulator gives, with Bitget's codes and messages. Sources: Bitget's error-code
 * table (40001..40037, 40019/40020, 40404, 40704/40705/40707), responses in shared/reference/recorded
 * (429, 40085), public clients quoting 40084. HTTP status: 400 for every refused request (a real unsigned
 * private read answers HTTP 400 40006), 429 for rate limits, 404 for unknown paths.
 */
import type { RefusalReason } from './types';

export interface SimError {
  http: number;
  code: string;
  msg: string;
  reason: RefusalReason;
}

const e = (http: number, code: string, msg: string, reason: RefusalReason): SimError => ({
  http,
  code,
  msg,
  reason,
});

export const ERRORS = {
  keyEmpty: e(400, '40001', 'ACCESS_KEY cannot be empty', 'auth'),
  signEmpty: e(400, '40002', 'ACCESS_SIGN cannot be empty', 'auth'),
  timestampInvalid: e(400, '40005', 'Invalid ACCESS_TIMESTAMP', 'auth'),
  keyInvalid: e(400, '40006', 'Invalid ACCESS_KEY', 'auth'),
  timestampExpired: e(400, '40008', 'Request timestamp expired', 'auth'),
  signInvalid: e(400, '40009', 'sign signature error', 'auth'),
  passphraseEmpty: e(400, '40011', 'ACCESS_PASSPHRASE cannot be empty', 'auth'),
  passphraseWrong: e(400, '40012', 'apikey/password is incorrect', 'auth'),
  retention: e(400, '40704', 'Can only check the data of the last three months', 'retention'),
  span90: e(400, '40705', 'The start and end time cannot exceed 90 days', 'param'),
  /** Assumption: the v3 code for a span above 30 days was not found in Bitget's documentation. */
  span30: e(400, '40705', 'The start and end time cannot exceed 30 days', 'param'),
  startAfterEnd: e(400, '40707', 'Start time is greater than end time', 'param'),
  classicOnV3: e(
    400,
    '40084',
    'You are in Classic Account mode, and the Unified Account API is not supported at this time',
    'mode',
  ),
  utaOnV2: e(
    400,
    '40085',
    'You are in Unified Account mode, and the Classic Account API is not supported at this time',
    'mode',
  ),
  notFound: e(404, '40404', 'Request URL NOT FOUND', 'not_found'),
  tooManyRequests: e(429, '429', 'Too Many Requests', 'rate_limit'),
} as const;

export const paramEmpty = (name: string): SimError =>
  e(400, '40019', `Parameter ${name} cannot be empty`, 'param');
export const paramError = (name: string): SimError => e(400, '40020', `Parameter ${name} error`, 'param');

/** Bitget's error envelope (requestTime as a number, data null), as in recorded/rate-limited.json. */
export function errorBody(err: SimError, now: number): string {
  return JSON.stringify({ code: err.code, msg: err.msg, requestTime: now, data: null });
}

/** 40705 for an endpoint whose span is `days` (the 90- and 30-day texts above; others follow their pattern). */
export const spanExceeded = (days: number): SimError =>
  e(400, '40705', `The start and end time cannot exceed ${days} days`, 'param');
