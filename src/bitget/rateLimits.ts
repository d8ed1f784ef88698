import Bottleneck from 'bottleneck';
import { z } from 'zod';
import type { EndpointId } from './endpoints';
import { ENDPOINTS, IP_LIMIT_PER_MINUTE } from './endpoints';
import type { BudgetSlot, GuardSettings, Later, ServerReport } from './windowBudget';
import { SpacingGate, WindowBudget } from './windowBudget';

export type { BudgetSlot, ServerReport } from './windowBudget';
export { SpacingGate } from './windowBudget';

/**
 * Default share of each documented endpoint budget the client uses: all of it. Each budget is counted as a
 * sliding window like the server's (`WindowBudget`), widened by a guard that 429s grow, and corrected by the
 * server's `x-mbx-used-remain-limit`; a fixed margin would cost its whole share of the time.
 */
export const DEFAULT_RATE_MARGIN = 1;

/**
 * Share of the whole-IP budget (6000/min) used. Crossing it blocks the IP for 5 minutes, it is never what limits
 * a run (every endpoint budget of an account together stays below it), and no header reports it: it keeps a
 * fixed margin.
 */
export const IP_RATE_MARGIN = 0.95;

export interface RateLimitOptions {
  /** Share of each documented endpoint budget to use, in (0, 1]. Default DEFAULT_RATE_MARGIN (1). */
  margin?: number;
  /** Per-endpoint budgets (requests/second) replacing ENDPOINTS[id].ratePerSecond. */
  ratePerSecond?: Partial<Record<EndpointId, number>>;
  /** Whole-IP budget, requests per minute. Default IP_LIMIT_PER_MINUTE (6000). */
  ipPerMinute?: number;
  /** How each endpoint budget's guard moves (tests). */
  guard?: GuardSettings;
  /** When slots come back (tests hold them). */
  later?: Later;
  /** The budgets' clock (tests fix it; default Date.now). */
  now?: () => number;
}

/** Minimum spacing in ms between two request starts so that `ratePerSecond·margin` is never exceeded. */
export function minTimeFor(ratePerSecond: number, margin: number): number {
  if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
  if (!(margin > 0 && margin <= 1)) throw new RangeError(`rate margin must be in (0, 1], got ${margin}`);
  return Math.ceil(1000 / (ratePerSecond * margin));
}

/**
 * A documented rate as a window budget: whole calls per window. 20/s at margin 1 is 20 calls per 1000 ms; a
 * margin stretches the window (20 per 1053 ms at 0.95); a rate below 1/s is 1 call per 1000/rate ms.
 */
export function windowFor(ratePerSecond: number, margin: number): { calls: number; windowMs: number } {
  if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
  if (!(margin > 0 && margin <= 1)) throw new RangeError(`rate margin must be in (0, 1], got ${margin}`);
  const calls = Math.max(1, Math.floor(ratePerSecond));
  return { calls, windowMs: (1000 * calls) / (ratePerSecond * margin) };
}

/** Bitget's header of the calls left on an endpoint in the current window (its FAQ; advisory). */
export const REMAIN_HEADER = 'x-mbx-used-remain-limit';

/** A count of calls: digits only (no sign, fraction, exponent or empty text), as text or a number. */
const RemainHeader = z.union([
  z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  z.number().int().nonnegative(),
]);

/**
 * The calls left that a response reports, or null when the header is absent or not a whole number (Bitget is
 * reported to omit it on authenticated calls: the header is advice, never required).
 */
export function remainingFrom(headers: Record<string, unknown> | undefined): number | null {
  const raw: unknown = headers?.[REMAIN_HEADER];
  const parsed = RemainHeader.safeParse(Array.isArray(raw) ? (raw[0] as unknown) : raw);
  return parsed.success ? parsed.data : null;
}

/** The whole-IP budget: spaced starts at its margin, no reservoir. */
class IpBudget {
  readonly limiter: Bottleneck;
  readonly gate: SpacingGate;

  constructor(perMinute: number) {
    const minTime = minTimeFor(perMinute / 60, IP_RATE_MARGIN);
    this.limiter = new Bottleneck({ minTime, maxConcurrent: null, id: 'ip' });
    this.gate = new SpacingGate(minTime);
  }

  async stop(): Promise<void> {
    await this.limiter.stop({ dropWaitingJobs: false });
  }
}

/**
 * The limiters of one process: one per (account, private endpoint), one per public endpoint (per IP), and one
 * for the whole IP that every request passes too. Clients of the same account share them.
 */
export class RateLimiters {
  private readonly buckets = new Map<string, WindowBudget>();
  private readonly ip: IpBudget;
  readonly margin: number;

  constructor(private readonly options: RateLimitOptions = {}) {
    this.margin = options.margin ?? DEFAULT_RATE_MARGIN;
    if (!(this.margin > 0 && this.margin <= 1))
      throw new RangeError(`rate margin must be in (0, 1], got ${this.margin}`);
    this.ip = new IpBudget(options.ipPerMinute ?? IP_LIMIT_PER_MINUTE);
  }

  /** Requests per second used of an endpoint's budget at most (the documented rate × the margin). */
  ratePerSecond(endpoint: EndpointId): number {
    return this.rate(endpoint) * this.margin;
  }

  /** The budget of an (account, endpoint): its reservoir, guard and spacing (tests, diagnostics). */
  budget(account: string, endpoint: EndpointId): WindowBudget {
    return this.endpointBucket(account, endpoint);
  }

  /** Feeds what a response said about its endpoint's budget to the budget that let the call through. */
  observe(slot: BudgetSlot, report: ServerReport): void {
    slot.budget.observe(slot, report);
  }

  private rate(endpoint: EndpointId): number {
    return this.options.ratePerSecond?.[endpoint] ?? ENDPOINTS[endpoint].ratePerSecond;
  }

  /**
   * Waits for a slot of the endpoint budget, then of the IP budget; resolves when the request may go out, with
   * the slot to hand back with the server's answer.
   */
  async acquire(account: string, endpoint: EndpointId): Promise<BudgetSlot> {
    const bucket = this.endpointBucket(account, endpoint);
    await bucket.reserve();
    await this.ip.limiter.schedule(() => this.ip.gate.pass());
    // The endpoint gate comes last: nothing stands between it and the send but synchronous work.
    await bucket.gate.pass();
    return bucket.start();
  }

  private endpointBucket(account: string, endpoint: EndpointId): WindowBudget {
    const key = ENDPOINTS[endpoint].auth === 'public' ? `ip|${endpoint}` : `${account}|${endpoint}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new WindowBudget({
        id: endpoint,
        ...windowFor(this.rate(endpoint), this.margin),
        ...(this.options.guard ? { guard: this.options.guard } : {}),
        ...(this.options.later ? { later: this.options.later } : {}),
        ...(this.options.now ? { now: this.options.now } : {}),
      });
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Stops the limiters' timers (tests, process shutdown). */
  async stop(): Promise<void> {
    await Promise.all([...this.buckets.values(), this.ip].map((b) => b.stop()));
  }
}
