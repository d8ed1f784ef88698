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

/** The engine's "no such execution", whichever engine threw it (SfnEngine, the local engine). */
export function isExecutionNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' && /NotFound|DoesNotExist/.test(name);
}
