import { MIN_API_KEY_LENGTH } from './limits';

/** The base of the API's errors; `cause` keeps the error that led to it. */
export class ApiError extends Error {
  override readonly name: string = 'ApiError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An error the API answers with a 4xx/5xx status and a body that names the field and the rule. */
export class HttpError extends ApiError {
  override readonly name: string = 'HttpError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class BadRequestError extends HttpError {
  override readonly name = 'BadRequestError';
  constructor(message: string, field?: string) {
    super(400, message, field);
  }
}

export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super(404, message);
  }
}

/** save-from-url was given a URL outside this deployment's bucket (SSRF guard). */
export class UrlNotAllowedError extends HttpError {
  override readonly name = 'UrlNotAllowedError';
  constructor(reason: string) {
    super(400, `body/url ${reason}`, 'body/url');
  }
}

export class PayloadTooLargeError extends HttpError {
  override readonly name = 'PayloadTooLargeError';
  constructor(message: string, field?: string) {
    super(413, message, field);
  }
}

export class UnprocessableContentError extends HttpError {
  override readonly name = 'UnprocessableContentError';
  constructor(message: string, field?: string) {
    super(422, message, field);
  }
}

export class ConflictError extends HttpError {
  override readonly name = 'ConflictError';
  constructor(message: string) {
    super(409, message);
  }
}

export class UpstreamError extends HttpError {
  override readonly name = 'UpstreamError';
  constructor(message: string, statusCode = 502) {
    super(statusCode, message);
  }
}

/**
 * The Host header names another server (421 Misdirected Request, RFC 9110 §15.5.20). On loopback this is what a
 * DNS-rebinding page sends: its own name, resolved to 127.0.0.1. Not 403: no credential would make the request
 * right, it was sent to the wrong authority.
 */
export class MisdirectedRequestError extends HttpError {
  override readonly name = 'MisdirectedRequestError';
  constructor(message: string) {
    super(421, message, 'headers/host');
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor(message: string, field = 'headers/content-type') {
    super(415, message, field);
  }
}

/** 429 with the seconds after which asking again may succeed (sent as Retry-After). */
export class TooManyRequestsError extends HttpError {
  override readonly name = 'TooManyRequestsError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, message);
  }
}

/** The ARN is well formed but names another state machine, region, account or partition. */
export class ForeignExecutionError extends HttpError {
  override readonly name = 'ForeignExecutionError';
  constructor(executionArn: string) {
    super(404, `${executionArn} is not an execution of this deployment`, 'params/executionArn');
  }
}

/** 501: the route exists, the deployment has not wired what it needs. */
export class NotImplementedError extends HttpError {
  override readonly name = 'NotImplementedError';
  constructor(message: string) {
    super(501, message);
  }
}

/** Binding beyond loopback without an API key would publish the API (and the Bitget account) to the network. */
export class InsecureBindError extends ApiError {
  override readonly name = 'InsecureBindError';
  constructor(host: string) {
    super(`refusing to listen on ${host} without an API key: set an API key or bind to 127.0.0.1`);
  }
}

/** A key that guards an API reachable from the network must resist guessing. */
export class WeakApiKeyError extends ApiError {
  override readonly name = 'WeakApiKeyError';
  constructor(where: string, length: number) {
    super(
      `refusing to ${where} with an API key of ${length} characters: off loopback the key must be at least ${MIN_API_KEY_LENGTH} characters (e.g. openssl rand -hex 32)`,
    );
  }
}

export class InvalidStateMachineArnError extends ApiError {
  override readonly name = 'InvalidStateMachineArnError';
  constructor(arn: string) {
    super(
      `not a state machine ARN: ${JSON.stringify(arn)} (arn:aws:states:<region>:<account>:stateMachine:<name>)`,
    );
  }
}

/** No symbol lists can be had (none configured); `GET /symbols` answers 503 for it. */
export class SymbolSourceUnavailableError extends ApiError {
  override readonly name = 'SymbolSourceUnavailableError';
}
