import type { ErrorCategory, ErrorCounts } from '../core/errors';
import type { EndpointId } from './endpoints';

/** Numbers for the run summary. */
export interface ClientStats {
  /** Requests sent per endpoint, retries included. */
  requests: Partial<Record<EndpointId, number>>;
  /** Attempts repeated after a retryable failure (and 40008 resyncs), all endpoints together. */
  retries: number;
  /**
   * `retries` split by the endpoint whose attempt was repeated. Lanes that share one client attribute retries by
   * the delta of their own endpoint's entry; the total counts every lane's.
   */
  retriesByEndpoint: Partial<Record<EndpointId, number>>;
  /** Answers with HTTP 429 or body code "429", all endpoints together. */
  http429: number;
  /** `http429` split by the endpoint that answered it. */
  http429ByEndpoint: Partial<Record<EndpointId, number>>;
  /** Errors thrown to the caller, per category (failures that a retry recovered are not counted here). */
  errors: ErrorCounts;
}

type PerEndpoint = Partial<Record<EndpointId, number>>;

function bump(counts: PerEndpoint, endpoint: EndpointId | undefined): void {
  if (endpoint !== undefined) counts[endpoint] = (counts[endpoint] ?? 0) + 1;
}

export class StatsCounter {
  private readonly requests: PerEndpoint = {};
  private readonly retriesByEndpoint: PerEndpoint = {};
  private readonly http429ByEndpoint: PerEndpoint = {};
  private readonly errors: ErrorCounts = {};
  private retries = 0;
  private http429 = 0;

  request(endpoint: EndpointId): void {
    bump(this.requests, endpoint);
  }
  /** One repeated attempt; `endpoint` is undefined only for a request that never named one (not counted per endpoint). */
  retry(endpoint: EndpointId | undefined): void {
    this.retries += 1;
    bump(this.retriesByEndpoint, endpoint);
  }
  tooManyRequests(endpoint: EndpointId | undefined): void {
    this.http429 += 1;
    bump(this.http429ByEndpoint, endpoint);
  }
  error(category: ErrorCategory): void {
    this.errors[category] = (this.errors[category] ?? 0) + 1;
  }
  snapshot(): ClientStats {
    return {
      requests: { ...this.requests },
      retries: this.retries,
      retriesByEndpoint: { ...this.retriesByEndpoint },
      http429: this.http429,
      http429ByEndpoint: { ...this.http429ByEndpoint },
      errors: { ...this.errors },
    };
  }
}
