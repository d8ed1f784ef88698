import type { ErrorCategory, ErrorCounts } from '../core/errors';
import type { EndpointId } from './endpoints';

/** Numbers for the run summary. */
export interface ClientStats {
  /** Requests sent per endpoint, retries included. */
  requests: Partial<Record<EndpointId, number>>;
  /** Attempts repeated after a retryable failure (and 40008 resyncs). */
  retries: number;
  /** Answers with HTTP 429 or body code "429". */
  http429: number;
  /** Errors thrown to the caller, per category (failures that a retry recovered are not counted here). */
  errors: ErrorCounts;
}

export class StatsCounter {
  private readonly requests: Partial<Record<EndpointId, number>> = {};
  private readonly errors: ErrorCounts = {};
  private retries = 0;
  private http429 = 0;

  request(endpoint: EndpointId): void {
    this.requests[endpoint] = (this.requests[endpoint] ?? 0) + 1;
  }
  retry(): void {
    this.retries += 1;
  }
  tooManyRequests(): void {
    this.http429 += 1;
  }
  error(category: ErrorCategory): void {
    this.errors[category] = (this.errors[category] ?? 0) + 1;
  }
  snapshot(): ClientStats {
    return {
      requests: { ...this.requests },
      retries: this.retries,
      http429: this.http429,
      errors: { ...this.errors },
    };
  }
}
