import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequestError } from '../core/errors';
import { InvalidPageError } from '../db';
import { HttpError, TooManyRequestsError } from './errors';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
}

export function errorBody(statusCode: number, message: string, field?: string): ErrorBody {
  return { statusCode, error: STATUS_TEXT[statusCode] ?? 'Error', message, ...(field ? { field } : {}) };
}

/**
 * Every error becomes `{statusCode, error, message, field?}`. Bad input is always a 4xx naming the field and
 * the rule; anything unexpected is a 500 whose details go to the log only.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const body = toErrorBody(error);
  if (body.statusCode >= 500) request.log.error({ err: error }, 'request failed');
  if (error instanceof TooManyRequestsError)
    void reply.header('retry-after', String(error.retryAfterSeconds));
  void reply.status(body.statusCode).send(body);
}

function toErrorBody(error: FastifyError | Error): ErrorBody {
  const fastifyError = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (fastifyError.validation && fastifyError.validation.length > 0) {
    return fromValidation(fastifyError.validation[0]!, fastifyError.validationContext ?? 'request');
  }
  if (error instanceof HttpError) return errorBody(error.statusCode, error.message, error.field);
  if (error instanceof InvalidRequestError) {
    const issue = error.issues[0];
    const field = issue ? `body/${issue.path.replace(/\./g, '/')}` : 'body';
    return errorBody(400, issue ? `${field} ${issue.message}` : error.message, field);
  }
  if (error instanceof InvalidPageError) return errorBody(400, `querystring ${error.message}`, 'querystring');
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const field = fastifyError.code?.startsWith('FST_ERR_CTP') ? 'body' : undefined;
    return errorBody(status, error.message, field);
  }
  return errorBody(500, 'internal error');
}

function fromValidation(issue: ValidationIssue, context: string): ErrorBody {
  let field = `${context}${issue.instancePath}`;
  let rule = issue.message ?? 'is invalid';
  if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') {
    field = `${field}/${issue.params.missingProperty}`;
    rule = 'is required';
  } else if (
    issue.keyword === 'additionalProperties' &&
    typeof issue.params.additionalProperty === 'string'
  ) {
    field = `${field}/${issue.params.additionalProperty}`;
    rule = 'is not an accepted field';
  }
  return errorBody(400, `${field} ${rule}`, field);
}
