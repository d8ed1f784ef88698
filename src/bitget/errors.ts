import type { ErrorCategory } from '../core/errors';
import { RETRYABLE_CATEGORIES } from '../core/errors';
import type { EndpointId } from './endpoints';

/** Exchange codes by category (shared/reference/bitget-api.md, Bitget's error tables). */
const AUTH_CODES = new Set([
  '40001', // ACCESS_KEY empty
  '40002', // ACCESS_SIGN empty
  '40003', // ACCESS_PASSPHRASE empty
  '40004', // ACCESS_TIMESTAMP empty
  '40005', // invalid ACCESS_TIMESTAMP
  '40006', // invalid ACCESS_KEY
  '40008', // request timestamp expired
  '40009', // sign signature error
  '40011', // ACCESS_PASSPHRASE empty
  '40012', // apikey/password incorrect
  '40036', // passphrase error
  '40037', // apikey does not exist
]);
const PERMISSION_CODES = new Set([
  '40013', // user has been frozen
  '40014', // incorrect permissions
  '40016', // user must bind phone or Google
  '40018', // invalid IP
  '40038', // IP not in the whitelist
]);
const UTA_MODE_CODES = new Set(['40084', '40085']);
const SYMBOL_NOT_FOUND_CODES = new Set([
  '40034', // parameter {0} does not exist (the symbol)
  '40309', // the contract has been removed
]);
/** Codes Bitget answers during release windows and internal hiccups: worth retrying. */
export const RETRYABLE_EXCHANGE_CODES: ReadonlySet<string> = new Set([
  '45001',
  '40725',
  '40808',
  '40015',
  '40200',
]);
const RATE_LIMIT_CODES = new Set(['429']);

/** What is known about one failed attempt; every field optional because failures happen at every layer. */
export interface FailureFacts {
  httpStatus?: number | null;
  exchangeCode?: string | null;
  exchangeMessage?: string | null;
  /** Node/axios error code: ECONNRESET, ECONNABORTED, ETIMEDOUT, ERR_BITGET_MALFORMED_JSON … */
  transportCode?: string | null;
}

const TIMEOUT_TRANSPORT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const SYMBOL_MESSAGE = /symbol|contract/i;

/** The error category of one failed attempt; the exchange code wins over the HTTP status when known. */
export function categoriseFailure(f: FailureFacts): ErrorCategory {
  const code = f.exchangeCode ?? null;
  if (f.httpStatus === 429 || (code !== null && RATE_LIMIT_CODES.has(code))) return 'rate_limit';
  if (code !== null) {
    if (AUTH_CODES.has(code)) return 'auth';
    if (PERMISSION_CODES.has(code)) return 'permission';
    if (UTA_MODE_CODES.has(code)) return 'uta_mode';
    if (RETRYABLE_EXCHANGE_CODES.has(code)) return 'server';
    if (SYMBOL_NOT_FOUND_CODES.has(code)) return 'symbol_not_found';
  }
  if (f.transportCode === 'ERR_BITGET_MALFORMED_JSON') return 'server';
  if (f.httpStatus != null && f.httpStatus >= 500) return 'server';
  if (code !== null) {
    if (
      /^400\d\d$/.test(code) &&
      SYMBOL_MESSAGE.test(f.exchangeMessage ?? '') &&
      /not exist|not found|invalid|removed|offline/i.test(f.exchangeMessage ?? '')
    )
      return 'symbol_not_found';
    return 'param';
  }
  if (f.httpStatus != null) {
    if (f.httpStatus === 401) return 'auth';
    if (f.httpStatus === 403) return 'permission';
    return 'param';
  }
  if (f.transportCode && TIMEOUT_TRANSPORT_CODES.has(f.transportCode)) return 'timeout';
  return 'network';
}

export function isRetryableCategory(category: ErrorCategory): boolean {
  return RETRYABLE_CATEGORIES.has(category);
}

export interface BitgetApiErrorFields {
  category: ErrorCategory;
  endpoint: EndpointId;
  /** Request path without query string. */
  path: string;
  httpStatus: number | null;
  exchangeCode: string | null;
  exchangeMessage: string | null;
  /** Node/axios error code for failures without an answer (ECONNRESET, ECONNABORTED …). */
  transportCode: string | null;
  /** Attempts made, retries included. */
  attempts: number;
}

function describe(f: BitgetApiErrorFields): string {
  const parts = [`Bitget ${f.endpoint} (GET ${f.path}) failed: ${f.category}`];
  if (f.exchangeCode !== null) parts.push(`code ${f.exchangeCode} "${f.exchangeMessage ?? ''}"`);
  if (f.httpStatus !== null) parts.push(`HTTP ${f.httpStatus}`);
  if (f.transportCode !== null) parts.push(f.transportCode);
  parts.push(`after ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** The base of the Bitget client's errors; `cause` keeps the error that led to it. */
export class BitgetError extends Error {
  override readonly name: string = 'BitgetError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A failed Bitget call. Never instantiated directly: `BitgetRetryableError` (rate_limit, server, network,
 * timeout: worth retrying later) or `BitgetFatalError` (auth, permission, param, symbol_not_found, uta_mode).
 * Carries no request config, headers or credentials: only the facts below. For that reason the transport's
 * error is never chained as the `cause`: axios errors hold the signed request's headers.
 */
export abstract class BitgetApiError extends BitgetError implements BitgetApiErrorFields {
  abstract override readonly name: 'BitgetRetryableError' | 'BitgetFatalError';
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly endpoint: EndpointId;
  readonly path: string;
  readonly httpStatus: number | null;
  readonly exchangeCode: string | null;
  readonly exchangeMessage: string | null;
  readonly transportCode: string | null;
  readonly attempts: number;

  protected constructor(fields: BitgetApiErrorFields) {
    super(describe(fields));
    this.category = fields.category;
    this.retryable = isRetryableCategory(fields.category);
    this.endpoint = fields.endpoint;
    this.path = fields.path;
    this.httpStatus = fields.httpStatus;
    this.exchangeCode = fields.exchangeCode;
    this.exchangeMessage = fields.exchangeMessage;
    this.transportCode = fields.transportCode;
    this.attempts = fields.attempts;
  }

  /** The subclass that matches the category: Step Functions matches on `name`. */
  static create(fields: BitgetApiErrorFields): BitgetApiError {
    return isRetryableCategory(fields.category)
      ? new BitgetRetryableError(fields)
      : new BitgetFatalError(fields);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      category: this.category,
      retryable: this.retryable,
      endpoint: this.endpoint,
      path: this.path,
      httpStatus: this.httpStatus,
      exchangeCode: this.exchangeCode,
      exchangeMessage: this.exchangeMessage,
      transportCode: this.transportCode,
      attempts: this.attempts,
    };
  }
}

export class BitgetRetryableError extends BitgetApiError {
  override readonly name = 'BitgetRetryableError' as const;
  constructor(fields: BitgetApiErrorFields) {
    super(fields);
  }
}

export class BitgetFatalError extends BitgetApiError {
  override readonly name = 'BitgetFatalError' as const;
  constructor(fields: BitgetApiErrorFields) {
    super(fields);
  }
}

/**
 * A successful answer whose shape breaks the contract (envelope or row): fatal, because asking again gives
 * the same answer. Names the endpoint and the field; the row is never dropped silently.
 */
export class BitgetResponseError extends BitgetError {
  override readonly name = 'BitgetResponseError';
  readonly category: ErrorCategory = 'server';
  readonly retryable = false;
  constructor(
    readonly endpoint: EndpointId | 'normaliser',
    /** Dotted path of the offending field, e.g. `data.entrustedList[0].cTime`. */
    readonly field: string,
    readonly issue: string,
    options?: { cause?: unknown },
  ) {
    super(`Bitget ${endpoint} answered a malformed response: ${field} ${issue}`, options);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      endpoint: this.endpoint,
      field: this.field,
      issue: this.issue,
    };
  }
}
