import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { AxiosError, AxiosHeaders } from 'axios';
import type { AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import axiosRetry, { retryAfter } from 'axios-retry';
import { z } from 'zod';
import { backoffDelay } from './backoff';
import type { EndpointId } from './endpoints';
import { ENDPOINTS } from './endpoints';
import type { FailureFacts } from './errors';
import { categoriseFailure, isRetryableCategory } from './errors';
import type { BudgetSlot, RateLimiters } from './rateLimits';
import { remainingFrom } from './rateLimits';
import type { Credentials } from './signing';
import { signedHeaders } from './signing';
import type { StatsCounter } from './StatsCounter';

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Which ENDPOINTS entry a request belongs to (throttling, signing, stats). */
    bitgetEndpoint?: EndpointId;
    /** The rate-budget slot this attempt was let through on (each retry takes its own). */
    bitgetSlot?: BudgetSlot;
  }
}

/** Synthetic axios error codes for answers that are HTTP-successful but not usable. */
export const ERR_BITGET_CODE = 'ERR_BITGET_CODE';
export const ERR_BITGET_MALFORMED_JSON = 'ERR_BITGET_MALFORMED_JSON';

export interface RetryInfo {
  endpoint: EndpointId | undefined;
  retryNumber: number;
  category: string;
  delayMs: number;
  /** What failed, in a few words without secrets: `HTTP 503`, `code 45001`, `ECONNRESET`. */
  reason: string;
}

/** A failed attempt in a few words: the exchange code, else the HTTP status, else the transport code. */
export function failureReason(f: FailureFacts): string {
  if (f.exchangeCode != null && f.exchangeCode !== '429') return `code ${f.exchangeCode}`;
  if (f.httpStatus != null) return `HTTP ${f.httpStatus}`;
  if (f.exchangeCode === '429') return 'HTTP 429';
  return f.transportCode ?? 'network error';
}

export interface TransportOptions {
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  locale: string;
  credentials: Credentials | undefined;
  /** Limiter bucket of this account. */
  account: string;
  limiters: RateLimiters;
  stats: StatsCounter;
  timestamp: () => string;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onRetry?: (info: RetryInfo) => void;
}

/** An envelope's `requestTime` (ms, a number or digits), when it has one. */
const RequestTime = z.object({
  requestTime: z.union([
    z.number().int().positive(),
    z
      .string()
      .regex(/^\d{1,16}$/)
      .transform(Number),
  ]),
});

/** When the server took the call, by its own clock: the `requestTime` of a body (JSON text or parsed), or null. */
export function requestTimeOf(data: unknown): number | null {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return null;
    }
  }
  const parsed = RequestTime.safeParse(body);
  return parsed.success ? parsed.data.requestTime : null;
}

/** `{code, msg}` of a Bitget body (JSON text or parsed), or null when it is not one. */
export function readExchangeBody(data: unknown): { code: string; msg: string | null } | null {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return null;
    }
  }
  if (typeof body !== 'object' || body === null) return null;
  const { code, msg } = body as { code?: unknown; msg?: unknown };
  if (typeof code !== 'string' && typeof code !== 'number') return null;
  return { code: String(code), msg: typeof msg === 'string' ? msg : null };
}

/** The facts of a failed axios attempt, without its config, request or headers. */
export function failureFacts(error: unknown): FailureFacts {
  if (!(error instanceof AxiosError)) return { transportCode: null };
  const body = error.response ? readExchangeBody(error.response.data) : null;
  const transportCode = error.code === ERR_BITGET_CODE ? null : (error.code ?? null);
  return {
    httpStatus: error.response?.status ?? null,
    exchangeCode: body?.code ?? null,
    exchangeMessage: body?.msg ?? null,
    transportCode,
  };
}

/** Attempts made for a failed axios request (axios-retry keeps the count on the config). */
export function attemptsOf(error: unknown): number {
  if (!(error instanceof AxiosError)) return 1;
  return (error.config?.['axios-retry']?.retryCount ?? 0) + 1;
}

/**
 * One axios instance per account: throttles (endpoint then IP budget), signs exactly what is sent, turns
 * non-"00000" answers into errors and retries the retryable ones with exponential backoff and jitter.
 */
export function createTransport(options: TransportOptions): AxiosInstance {
  const http = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    responseType: 'text',
    // Kept-alive connections: no TCP/TLS set-up per request, so arrival times follow send times closely.
    httpAgent: new HttpAgent({ keepAlive: true }),
    httpsAgent: new HttpsAgent({ keepAlive: true }),
    transformResponse: [(data: unknown) => data],
    headers: { 'Content-Type': 'application/json', locale: options.locale },
  });

  // One request interceptor so that the order is explicit: wait for the budget, count, then sign with a fresh
  // timestamp (a retry passes here again: it is throttled and re-signed too).
  http.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
    const endpoint = config.bitgetEndpoint;
    if (endpoint === undefined) throw new Error('bitget transport: request without bitgetEndpoint');
    config.bitgetSlot = await options.limiters.acquire(options.account, endpoint);
    options.stats.request(endpoint);
    if (ENDPOINTS[endpoint].auth === 'private') {
      if (options.credentials === undefined)
        throw new Error(`bitget transport: ${endpoint} needs credentials`);
      const target = config.url ?? '';
      const method = (config.method ?? 'get').toUpperCase();
      const body = typeof config.data === 'string' ? config.data : '';
      const headers = signedHeaders(options.credentials, options.timestamp(), method, target, body);
      config.headers = AxiosHeaders.from({ ...config.headers.toJSON(), ...headers });
    }
    return config;
  });

  // What the server says about the budget (calls left, 429s) goes to the budget that let the call through.
  const tellLimiter = (
    slot: BudgetSlot | undefined,
    headers: unknown,
    refused: boolean,
    body: unknown,
  ): void => {
    if (slot === undefined) return;
    const remaining = remainingFrom(headers as Record<string, unknown> | undefined);
    options.limiters.observe(slot, { remaining, refused, requestTime: requestTimeOf(body) });
  };

  http.interceptors.response.use(
    (response: AxiosResponse) => {
      const text = typeof response.data === 'string' ? response.data : String(response.data ?? '');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new AxiosError(
          'malformed JSON body',
          ERR_BITGET_MALFORMED_JSON,
          response.config,
          response.request,
          response,
        );
      }
      const body = readExchangeBody(parsed);
      if (body?.code === '429') options.stats.tooManyRequests(response.config.bitgetEndpoint);
      tellLimiter(response.config.bitgetSlot, response.headers, body?.code === '429', parsed);
      if (body !== null && body.code !== '00000') {
        throw new AxiosError(
          `exchange code ${body.code}`,
          ERR_BITGET_CODE,
          response.config,
          response.request,
          response,
        );
      }
      response.data = parsed;
      return response;
    },
    (error: unknown) => {
      if (error instanceof AxiosError && error.response?.status === 429)
        options.stats.tooManyRequests(error.config?.bitgetEndpoint);
      if (error instanceof AxiosError && error.response !== undefined) {
        const refused =
          error.response.status === 429 || readExchangeBody(error.response.data)?.code === '429';
        tellLimiter(error.config?.bitgetSlot, error.response.headers, refused, error.response.data);
      }
      return Promise.reject(error);
    },
  );

  axiosRetry(http, {
    retries: options.retries,
    shouldResetTimeout: true,
    retryCondition: (error) => isRetryableCategory(categoriseFailure(failureFacts(error))),
    // axios-retry's own timer gets 0: the delay is slept in onRetry through the injectable sleep.
    retryDelay: () => 0,
    onRetry: async (retryNumber, error) => {
      options.stats.retry(error.config?.bitgetEndpoint);
      const delayMs = Math.max(
        backoffDelay(retryNumber, options, options.random),
        Math.min(retryAfter(error), options.maxDelayMs),
      );
      const facts = failureFacts(error);
      options.onRetry?.({
        endpoint: error.config?.bitgetEndpoint,
        retryNumber,
        category: categoriseFailure(facts),
        delayMs,
        reason: failureReason(facts),
      });
      await options.sleep(delayMs);
    },
  });

  return http;
}
