import { createHash } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import type { z } from 'zod';
import type { ProductType } from '../core/order';
import type { EndpointId, FuturesPlanType, UtaCategory } from './endpoints';
import { ENDPOINTS } from './endpoints';
import { BitgetApiError, BitgetResponseError, categoriseFailure } from './errors';
import { ServerClock } from './ServerClock';
import type { RateLimitOptions } from './rateLimits';
import { RateLimiters } from './rateLimits';
import type {
  FuturesContract,
  FuturesOrderRow,
  FuturesPlanRow,
  SpotOrderRow,
  SpotPlanRow,
  SpotSymbol,
  UtaOrderRow,
  UtaStrategyRow,
} from './schemas';
import {
  accountInfoDataSchema,
  envelopeSchema,
  futuresContractSchema,
  futuresHistoryDataSchema,
  futuresPlanDataSchema,
  parseOrThrow,
  serverTimeDataSchema,
  spotHistoryDataSchema,
  spotPlanDataSchema,
  spotSymbolSchema,
  utaListDataSchema,
  utaOrderRowSchema,
  utaStrategyRowSchema,
} from './schemas';
import type { Credentials, QueryValue } from './signing';
import { buildQueryString, requestTarget } from './signing';
import type { ClientStats } from './StatsCounter';
import { StatsCounter } from './StatsCounter';
import type { RetryInfo } from './transport';
import { attemptsOf, createTransport, failureFacts } from './transport';

export const DEFAULT_BASE_URL = 'https://api.bitget.com';

export interface BitgetClientOptions {
  /** Needed for private endpoints; public ones (time, symbol lists) work without. */
  credentials?: Credentials;
  /** Default DEFAULT_BASE_URL (https://api.bitget.com). */
  baseUrl?: string;
  /** Per attempt, ms. Default 15000. */
  timeoutMs?: number;
  /** Retries after the first attempt for retryable failures. Default 5. */
  retries?: number;
  /** Backoff ceiling of the first retry, ms (doubles per retry). Default 250. */
  baseDelayMs?: number;
  /** Largest backoff, ms. Default 10000. */
  maxDelayMs?: number;
  /** Rate budgets and margin (used when `limiters` is not given). Default margin DEFAULT_RATE_MARGIN (1). */
  rateLimits?: RateLimitOptions;
  /** Limiters to share; default: the process-wide limiters for (baseUrl, rateLimits). */
  limiters?: RateLimiters;
  /** `locale` header. Default 'en-US'. */
  locale?: string;
  /** Injected for tests: how to wait between retries, the jitter source and the local clock. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Called before each retry (no secrets in it: endpoint, retry number, category, delay). */
  onRetry?: (info: RetryInfo) => void;
}

/** One page of rows and the cursor of the next page, null when Bitget says there is none. */
export interface Page<T> {
  rows: T[];
  next: string | null;
}

export type AccountMode = 'classic' | 'uta';

export interface SpotHistoryQuery {
  symbol?: string;
  startTime?: number;
  endTime?: number;
  idLessThan?: string;
  limit?: number;
  tpslType?: 'normal' | 'tpsl';
}
export interface SpotPlanQuery {
  symbol: string;
  startTime: number;
  endTime: number;
  idLessThan?: string;
  limit?: number;
}
export interface FuturesHistoryQuery {
  productType: ProductType;
  symbol?: string;
  startTime?: number;
  endTime?: number;
  idLessThan?: string;
  limit?: number;
}
export interface FuturesPlanQuery extends FuturesHistoryQuery {
  planType: FuturesPlanType;
}
/** Spot plan orders still waiting (symbol required, like their history). */
export interface SpotOpenPlanQuery {
  symbol: string;
  startTime?: number;
  endTime?: number;
  idLessThan?: string;
  limit?: number;
}
export interface UtaStrategyQuery extends UtaHistoryQuery {
  type?: 'tpsl' | 'trigger';
}
export interface UtaHistoryQuery {
  category: UtaCategory;
  symbol?: string;
  startTime?: number;
  endTime?: number;
  cursor?: string;
  limit?: number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A short, non-reversible label of an API key: the limiter bucket, safe to log. */
function accountLabel(credentials: Credentials | undefined): string {
  if (credentials === undefined) return 'public';
  return `key-${createHash('sha256').update(credentials.apiKey).digest('hex').slice(0, 12)}`;
}

const sharedLimiters = new Map<string, RateLimiters>();

/** The process-wide limiters for one exchange address and one set of budgets. */
export function sharedRateLimiters(baseUrl: string, options: RateLimitOptions = {}): RateLimiters {
  const key = `${baseUrl}|${JSON.stringify(options)}`;
  let limiters = sharedLimiters.get(key);
  if (limiters === undefined) {
    limiters = new RateLimiters(options);
    sharedLimiters.set(key, limiters);
  }
  return limiters;
}

/** Bitget REST client of one account: one method per endpoint, every answer validated. */
export class BitgetClient {
  readonly account: string;
  readonly baseUrl: string;
  private readonly http: AxiosInstance;
  private readonly clock: ServerClock;
  private readonly counter = new StatsCounter();
  private readonly secrets: string[];

  private readonly limiters: RateLimiters;

  constructor(private readonly options: BitgetClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.limiters = options.limiters ?? sharedRateLimiters(this.baseUrl, options.rateLimits);
    this.account = accountLabel(options.credentials);
    const c = options.credentials;
    this.secrets = c ? [c.apiKey, c.secretKey, c.passphrase].filter((s) => s.length >= 4) : [];
    this.clock = new ServerClock(() => this.readServerTime(), options.now ?? Date.now);
    this.http = createTransport({
      baseUrl: this.baseUrl,
      timeoutMs: options.timeoutMs ?? 15_000,
      retries: options.retries ?? 5,
      baseDelayMs: options.baseDelayMs ?? 250,
      maxDelayMs: options.maxDelayMs ?? 10_000,
      locale: options.locale ?? 'en-US',
      credentials: options.credentials,
      account: this.account,
      limiters: this.limiters,
      stats: this.counter,
      timestamp: () => this.clock.timestamp(),
      sleep: options.sleep ?? sleepFor,
      random: options.random ?? Math.random,
      onRetry: options.onRetry,
    });
  }

  /** Requests per second this client sends to an endpoint at most (the documented rate × the margin; 429s and the guard take a little off). */
  rateLimit(endpoint: EndpointId): number {
    return this.limiters.ratePerSecond(endpoint);
  }

  /** Requests, retries, 429s and errors so far (numbers for the run summary). */
  stats(): ClientStats {
    return this.counter.snapshot();
  }

  /** Bitget's clock now by the client's synced offset, without a request; undefined before the first sync. */
  serverNow(): number | undefined {
    return this.clock.serverNow();
  }

  /** Bitget's clock, epoch ms. The answer also syncs the client's clock (the signatures' timestamps). */
  async getServerTime(): Promise<number> {
    const now = this.options.now ?? Date.now;
    const sentAt = now();
    const serverTime = await this.readServerTime();
    this.clock.observe(serverTime, sentAt, now());
    return serverTime;
  }

  private async readServerTime(): Promise<number> {
    const body = await this.call('publicTime', {});
    return Number(this.parse('publicTime', body, serverTimeDataSchema).data.serverTime);
  }

  async getSpotSymbols(): Promise<SpotSymbol[]> {
    const body = await this.call('spotSymbols', {});
    return this.parse('spotSymbols', body, spotSymbolSchema.array()).data;
  }

  async getFuturesContracts(productType: ProductType): Promise<FuturesContract[]> {
    const body = await this.call('futuresContracts', { productType });
    return this.parse('futuresContracts', body, futuresContractSchema.array()).data;
  }

  /** Spot normal or TP/SL orders; next = last row's orderId (pass it as idLessThan), null on an empty page. */
  async getSpotHistoryOrders(q: SpotHistoryQuery = {}): Promise<Page<SpotOrderRow>> {
    const body = await this.call('spotHistoryOrders', { ...q });
    const rows = this.parse('spotHistoryOrders', body, spotHistoryDataSchema).data ?? [];
    return { rows, next: rows.length > 0 ? rows[rows.length - 1]!.orderId : null };
  }

  /** Spot plan orders (symbol required); next = data.idLessThan while data.nextFlag is true. */
  async getSpotPlanHistory(q: SpotPlanQuery): Promise<Page<SpotPlanRow>> {
    const body = await this.call('spotPlanHistory', { ...q });
    const data = this.parse('spotPlanHistory', body, spotPlanDataSchema).data;
    const more = data.nextFlag === true || data.nextFlag === 'true';
    const cursor = data.idLessThan === null || data.idLessThan === undefined ? '' : String(data.idLessThan);
    return { rows: data.orderList ?? [], next: more && cursor !== '' ? cursor : null };
  }

  /** Futures orders; next = data.endId when the page has rows and endId is non-empty. */
  async getFuturesHistoryOrders(q: FuturesHistoryQuery): Promise<Page<FuturesOrderRow>> {
    const body = await this.call('futuresHistoryOrders', { ...q });
    const data = this.parse('futuresHistoryOrders', body, futuresHistoryDataSchema).data;
    const rows = data.entrustedList ?? [];
    return { rows, next: rows.length > 0 && data.endId ? data.endId : null };
  }

  /** Futures plan orders of one planType; next as for futures orders. */
  async getFuturesPlanHistory(q: FuturesPlanQuery): Promise<Page<FuturesPlanRow>> {
    const body = await this.call('futuresPlanHistory', { ...q });
    const data = this.parse('futuresPlanHistory', body, futuresPlanDataSchema).data;
    const rows = data.entrustedList ?? [];
    return { rows, next: rows.length > 0 && data.endId ? data.endId : null };
  }

  /** Unified account orders; next = data.cursor when non-empty and the page has rows. */
  async getUtaHistoryOrders(q: UtaHistoryQuery): Promise<Page<UtaOrderRow>> {
    const body = await this.call('utaHistoryOrders', { ...q });
    const data = this.parse('utaHistoryOrders', body, utaListDataSchema(utaOrderRowSchema)).data;
    const rows = data.list ?? [];
    return { rows, next: rows.length > 0 && data.cursor ? data.cursor : null };
  }

  /** Unified account strategy (TP/SL) orders; next as for v3 orders. */
  async getUtaStrategyHistory(q: UtaHistoryQuery): Promise<Page<UtaStrategyRow>> {
    const body = await this.call('utaStrategyHistory', { ...q });
    const data = this.parse('utaStrategyHistory', body, utaListDataSchema(utaStrategyRowSchema)).data;
    const rows = data.list ?? [];
    return { rows, next: rows.length > 0 && data.cursor ? data.cursor : null };
  }

  /** 'uta' when GET /api/v3/account/settings succeeds, 'classic' when it answers 40084; other errors propagate. */
  async getAccountMode(): Promise<AccountMode> {
    try {
      await this.call('utaSettings', {});
      return 'uta';
    } catch (error) {
      if (error instanceof BitgetApiError && error.exchangeCode === '40084') return 'classic';
      throw error;
    }
  }

  /** Validates envelope and data; a malformed answer is counted (category server) and thrown. */
  // Open orders: what history does not list yet (same envelopes and cursors as the history endpoints).

  async getSpotUnfilledOrders(
    q: Omit<SpotHistoryQuery, 'symbol'> & { symbol?: string } = {},
  ): Promise<Page<SpotOrderRow>> {
    const body = await this.call('spotUnfilledOrders', { ...q });
    const rows = this.parse('spotUnfilledOrders', body, spotHistoryDataSchema).data ?? [];
    return { rows, next: rows.length > 0 ? rows[rows.length - 1]!.orderId : null };
  }

  async getSpotCurrentPlanOrders(q: SpotOpenPlanQuery): Promise<Page<SpotPlanRow>> {
    const body = await this.call('spotCurrentPlanOrders', { ...q });
    const data = this.parse('spotCurrentPlanOrders', body, spotPlanDataSchema).data;
    const more = data.nextFlag === true || data.nextFlag === 'true';
    const cursor = data.idLessThan === null || data.idLessThan === undefined ? '' : String(data.idLessThan);
    return { rows: data.orderList ?? [], next: more && cursor !== '' ? cursor : null };
  }

  async getFuturesPendingOrders(q: FuturesHistoryQuery): Promise<Page<FuturesOrderRow>> {
    const body = await this.call('futuresPendingOrders', { ...q });
    const data = this.parse('futuresPendingOrders', body, futuresHistoryDataSchema).data;
    const rows = data.entrustedList ?? [];
    return { rows, next: rows.length > 0 && data.endId ? data.endId : null };
  }

  async getFuturesPlanPending(q: FuturesPlanQuery): Promise<Page<FuturesPlanRow>> {
    const body = await this.call('futuresPlanPending', { ...q });
    const data = this.parse('futuresPlanPending', body, futuresPlanDataSchema).data;
    const rows = data.entrustedList ?? [];
    return { rows, next: rows.length > 0 && data.endId ? data.endId : null };
  }

  async getUtaUnfilledOrders(q: Partial<UtaHistoryQuery> = {}): Promise<Page<UtaOrderRow>> {
    const body = await this.call('utaUnfilledOrders', { ...q });
    const data = this.parse('utaUnfilledOrders', body, utaListDataSchema(utaOrderRowSchema)).data;
    const rows = data.list ?? [];
    return { rows, next: rows.length > 0 && data.cursor ? data.cursor : null };
  }

  async getUtaUnfilledStrategyOrders(q: UtaStrategyQuery): Promise<Page<UtaStrategyRow>> {
    const body = await this.call('utaUnfilledStrategyOrders', { ...q });
    const data = this.parse('utaUnfilledStrategyOrders', body, utaListDataSchema(utaStrategyRowSchema)).data;
    const rows = data.list ?? [];
    return { rows, next: rows.length > 0 && data.cursor ? data.cursor : null };
  }

  /** The account's UID (the archive's key): v2 account info on a classic account, v3 on a unified one. */
  async getAccountUid(mode: AccountMode): Promise<string> {
    const endpoint = mode === 'uta' ? 'utaAccountInfo' : 'spotAccountInfo';
    const body = await this.call(endpoint, {});
    return this.parse(endpoint, body, accountInfoDataSchema).data.userId;
  }

  /**
   * The `data` of one page of a fills, ledger or tax-record endpoint (datasetPages.ts builds the query and
   * reads the page): throttled in the endpoint's own bucket, signed, retried and validated like every call.
   */
  async getDatasetData<T extends z.ZodType>(
    endpoint: EndpointId,
    query: Record<string, QueryValue>,
    data: T,
  ): Promise<z.infer<T>> {
    const body = await this.call(endpoint, query);
    // The envelope's `data` is `data` parsed; TypeScript cannot see that through the generic envelope.
    return (this.parse(endpoint, body, data) as { data: z.infer<T> }).data;
  }

  private parse<T extends z.ZodType>(endpoint: EndpointId, body: unknown, data: T) {
    try {
      return parseOrThrow(envelopeSchema(data), body, endpoint);
    } catch (error) {
      if (error instanceof BitgetResponseError) this.counter.error(error.category);
      throw error;
    }
  }

  /** Sends one GET (throttled, signed, retried) and returns the parsed JSON body; failures are counted. */
  private async call(endpoint: EndpointId, query: Record<string, QueryValue>): Promise<unknown> {
    try {
      return await this.callOnce(endpoint, query);
    } catch (error) {
      if (error instanceof BitgetApiError || error instanceof BitgetResponseError)
        this.counter.error(error.category);
      throw error;
    }
  }

  private async callOnce(endpoint: EndpointId, query: Record<string, QueryValue>): Promise<unknown> {
    const spec = ENDPOINTS[endpoint];
    if (spec.auth === 'private') {
      if (this.options.credentials === undefined) {
        throw BitgetApiError.create({
          category: 'auth',
          endpoint,
          path: spec.path,
          httpStatus: null,
          exchangeCode: null,
          exchangeMessage: 'no credentials configured for a private endpoint',
          transportCode: null,
          attempts: 0,
        });
      }
      await this.clock.ensureSynced();
    }
    const target = requestTarget(spec.path, buildQueryString(query));
    try {
      return await this.send(endpoint, target);
    } catch (error) {
      // 40008: our timestamp is outside Bitget's window. Resync the clock and try once more.
      if (spec.auth === 'private' && error instanceof BitgetApiError && error.exchangeCode === '40008') {
        this.counter.retry(endpoint);
        await this.clock.resync();
        return await this.send(endpoint, target);
      }
      throw error;
    }
  }

  private async send(endpoint: EndpointId, target: string): Promise<unknown> {
    try {
      const response = await this.http.get<unknown>(target, { bitgetEndpoint: endpoint });
      return response.data;
    } catch (error) {
      throw this.toBitgetError(endpoint, error);
    }
  }

  /** A BitgetApiError with the facts only: never the axios config, request, headers or credentials. */
  private toBitgetError(endpoint: EndpointId, error: unknown): Error {
    if (error instanceof BitgetApiError || error instanceof BitgetResponseError) return error;
    const facts = failureFacts(error);
    const message = facts.exchangeMessage ?? null;
    return BitgetApiError.create({
      category: categoriseFailure(facts),
      endpoint,
      path: ENDPOINTS[endpoint].path,
      httpStatus: facts.httpStatus ?? null,
      exchangeCode: facts.exchangeCode ?? null,
      exchangeMessage: message === null ? null : this.redact(message),
      transportCode: facts.transportCode ?? null,
      attempts: attemptsOf(error),
    });
  }

  private redact(text: string): string {
    return this.secrets.reduce((acc, secret) => acc.split(secret).join('[redacted]'), text);
  }
}
