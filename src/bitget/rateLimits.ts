import Bottleneck from 'bottleneck';
import type { EndpointId } from './endpoints';
import { ENDPOINTS, IP_LIMIT_PER_MINUTE } from './endpoints';

/**
 * Default fraction of each documented budget that the client uses. Spacing requests `1000 / (rate · margin)`
 * ms apart means N consecutive requests span (N-1)·1000/(N·margin) ms; a sliding one-second window measured
 * at arrival can only see N+1 of them if the gaps shrink in total by 1000·(1/margin − 1) ms on the way
 * (timer lateness, event-loop stalls, connection set-up, network jitter). At 0.95 that tolerance is ≈53 ms
 * (60 ms at 10/s once rounded up to whole milliseconds) for a 5 % throughput cost; 0.9 doubles the tolerance
 * and the cost. The bench measures the 429s this draws (an occasional one is retried like any other).
 */
export const DEFAULT_RATE_MARGIN = 0.95;

export interface RateLimitOptions {
  /** Fraction of the documented budget to use, in (0, 1]. Default DEFAULT_RATE_MARGIN. */
  margin?: number;
  /** Per-endpoint budgets (requests/second) replacing ENDPOINTS[id].ratePerSecond. */
  ratePerSecond?: Partial<Record<EndpointId, number>>;
  /** Whole-IP budget, requests per minute. Default IP_LIMIT_PER_MINUTE (6000). */
  ipPerMinute?: number;
}

/** Minimum spacing in ms between two request starts so that `ratePerSecond·margin` is never exceeded. */
export function minTimeFor(ratePerSecond: number, margin: number): number {
  if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
  if (!(margin > 0 && margin <= 1)) throw new RangeError(`rate margin must be in (0, 1], got ${margin}`);
  return Math.ceil(1000 / (ratePerSecond * margin));
}

/**
 * Bottleneck plans each start `minTime` after the previous *planned* start; when the event loop stalls, the
 * timers of several due jobs fire together and would leave in a burst. The gate re-spaces them by the time
 * they are actually released: each pass waits until `minTime` after the previous actual pass.
 */
export class SpacingGate {
  private last = Number.NEGATIVE_INFINITY;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    public minTime: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  pass(): Promise<void> {
    const turn = this.chain.then(async () => {
      const wait = this.last + this.minTime - this.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
      this.last = this.now();
    });
    this.chain = turn;
    return turn;
  }
}

/** Bitget's header of the calls left on an endpoint in the current window (its FAQ; advisory). */
export const REMAIN_HEADER = 'x-mbx-used-remain-limit';

/**
 * The calls left that a response reports, or null when the header is absent or not a whole number (Bitget is
 * reported to omit it on authenticated calls: the header is advice, never required).
 */
export function remainingFrom(headers: Record<string, unknown> | undefined): number | null {
  const raw: unknown = headers?.[REMAIN_HEADER];
  const text = Array.isArray(raw) ? (raw[0] as unknown) : raw;
  if (typeof text !== 'string' && typeof text !== 'number') return null;
  const value = Number(text);
  return Number.isInteger(value) && value >= 0 ? value : null;
}

/** What one response said about its endpoint's budget. */
export interface ServerReport {
  /** `x-mbx-used-remain-limit`, or null without it. */
  remaining: number | null;
  /** The request was refused for its rate (HTTP 429 or exchange code 429). */
  refused: boolean;
}

/**
 * One budget. It starts spaced at `margin` of the documented rate; once the server reports calls left
 * (`remaining ≥ 1`: its window has room at our pace) it is spaced at the full rate, and a 429 puts it back at
 * the margin and holds it (Bottleneck's reservoir at 0) for one full-rate spacing, the time a slot takes to
 * free. Without the header only the hold applies: the margin spacing stays.
 */
class Bucket {
  readonly limiter: Bottleneck;
  readonly gate: SpacingGate;
  private hold: NodeJS.Timeout | undefined;

  constructor(
    id: string,
    readonly marginMinTime: number,
    readonly fullMinTime: number,
  ) {
    this.limiter = spacedLimiter(marginMinTime, id);
    this.gate = new SpacingGate(marginMinTime);
  }

  /** The spacing now in force (ms between starts). */
  get minTime(): number {
    return this.gate.minTime;
  }

  observe(report: ServerReport): void {
    if (report.refused) {
      this.space(this.marginMinTime);
      this.holdFor(this.fullMinTime);
    } else if (report.remaining !== null && report.remaining >= 1) {
      this.space(this.fullMinTime);
    }
  }

  private space(minTime: number): void {
    if (this.gate.minTime === minTime) return;
    this.gate.minTime = minTime;
    void this.limiter.updateSettings({ minTime });
  }

  private holdFor(ms: number): void {
    if (this.hold !== undefined) clearTimeout(this.hold);
    void this.limiter.updateSettings({ reservoir: 0 });
    this.hold = setTimeout(() => {
      this.hold = undefined;
      void this.limiter.updateSettings({ reservoir: null });
    }, ms);
    this.hold.unref?.();
  }

  async stop(): Promise<void> {
    if (this.hold !== undefined) clearTimeout(this.hold);
    this.hold = undefined;
    await this.limiter.updateSettings({ reservoir: null });
    await this.limiter.stop({ dropWaitingJobs: false });
  }
}

function spacedLimiter(minTime: number, id: string): Bottleneck {
  // minTime spacing, no standing reservoir (one refilled at fixed instants lets 2× through across a boundary;
  // the reservoir is only set to 0 to hold the bucket after a 429), no maxConcurrent: slow answers never
  // leave the budget idle.
  return new Bottleneck({ minTime, maxConcurrent: null, id });
}

/**
 * The limiters of one process: one per (account, private endpoint), one per public endpoint (per IP), and one
 * for the whole IP that every request passes too. Clients of the same account share them.
 */
export class RateLimiters {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ip: Bucket;
  readonly margin: number;

  constructor(private readonly options: RateLimitOptions = {}) {
    this.margin = options.margin ?? DEFAULT_RATE_MARGIN;
    const ipRate = (options.ipPerMinute ?? IP_LIMIT_PER_MINUTE) / 60;
    this.ip = new Bucket('ip', minTimeFor(ipRate, this.margin), minTimeFor(ipRate, 1));
  }

  /** Minimum spacing (ms) used for an endpoint before the server has said anything. */
  minTime(endpoint: EndpointId): number {
    return minTimeFor(this.rate(endpoint), this.margin);
  }

  /** The spacing (ms) in force now for an (account, endpoint) budget. */
  currentMinTime(account: string, endpoint: EndpointId): number {
    return this.endpointBucket(account, endpoint).minTime;
  }

  /** Feeds what a response said about its endpoint's budget to that budget's limiter. */
  observe(account: string, endpoint: EndpointId, report: ServerReport): void {
    this.endpointBucket(account, endpoint).observe(report);
  }

  private rate(endpoint: EndpointId): number {
    return this.options.ratePerSecond?.[endpoint] ?? ENDPOINTS[endpoint].ratePerSecond;
  }

  /** Waits for a slot on the endpoint budget, then on the IP budget; resolves when the request may go out. */
  async acquire(account: string, endpoint: EndpointId): Promise<void> {
    const bucket = this.endpointBucket(account, endpoint);
    await bucket.limiter.schedule(() => Promise.resolve());
    await this.ip.limiter.schedule(() => this.ip.gate.pass());
    // The endpoint gate comes last: nothing stands between it and the send but synchronous work.
    await bucket.gate.pass();
  }

  private endpointBucket(account: string, endpoint: EndpointId): Bucket {
    const key = ENDPOINTS[endpoint].auth === 'public' ? `ip|${endpoint}` : `${account}|${endpoint}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new Bucket(endpoint, this.minTime(endpoint), minTimeFor(this.rate(endpoint), 1));
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Stops the limiters' timers (tests, process shutdown). */
  async stop(): Promise<void> {
    const all = [...this.buckets.values(), this.ip];
    await Promise.all(all.map((b) => b.stop()));
  }
}
