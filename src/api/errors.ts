/** An error the API answers with a 4xx/5xx status and a body that names the field and the rule. */
export class ApiError extends Error {
  override readonly name: string = 'ApiError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class BadRequestError extends ApiError {
  override readonly name = 'BadRequestError';
  constructor(message: string, field?: string) {
    super(400, message, field);
  }
}

export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super(404, message);
  }
}

/** save-from-url was given a URL outside this deployment's bucket (SSRF guard). */
export class UrlNotAllowedError extends ApiError {
  override readonly name = 'UrlNotAllowedError';
  constructor(reason: string) {
    super(400, `body/url ${reason}`, 'body/url');
  }
}

export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError';
  constructor(message: string, field?: string) {
    super(413, message, field);
  }
}

export class UnprocessableContentError extends ApiError {
  override readonly name = 'UnprocessableContentError';
  constructor(message: string, field?: string) {
    super(422, message, field);
  }
}

export class ConflictError extends ApiError {
  override readonly name = 'ConflictError';
  constructor(message: string) {
    super(409, message);
  }
}

export class UpstreamError extends ApiError {
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
export class MisdirectedRequestError extends ApiError {
  override readonly name = 'MisdirectedRequestError';
  constructor(message: string) {
    super(421, message, 'headers/host');
  }
}

export class UnsupportedMediaTypeError extends ApiError {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor(message: string, field = 'headers/content-type') {
    super(415, message, field);
  }
}

/** 429 with the seconds after which asking again may succeed (sent as Retry-After). */
export class TooManyRequestsError extends ApiError {
  override readonly name = 'TooManyRequestsError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, message);
  }
}

/** The ARN is well formed but names another state machine, region, account or partition. */
export class ForeignExecutionError extends ApiError {
  override readonly name = 'ForeignExecutionError';
  constructor(executionArn: string) {
    super(404, `${executionArn} is not an execution of this deployment`, 'params/executionArn');
  }
}

/** The engine's "no such execution", whichever engine threw it (SfnEngine, the local engine). */
export function isExecutionNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' && /NotFound|DoesNotExist/.test(name);
}
