/** Fault injection: latency from a distribution, 5xx, resets, timeouts, malformed bodies and 429 storms. */
import { createRng, type Rng } from './rng';
import type { FaultOptions, LatencySpec } from './types';

export type RequestFault = 'server_error' | 'reset' | 'timeout' | 'malformed';

/** z of the 99th percentile of a standard normal. */
const Z99 = 2.3263;

export function latencySampler(spec: LatencySpec | undefined, rng: Rng): () => number {
  if (spec === undefined) return () => 0;
  if (typeof spec === 'function') return () => Math.max(0, spec());
  if ('fixedMs' in spec) return () => Math.max(0, spec.fixedMs);
  const median = Math.max(0, spec.medianMs);
  const p99 = Math.max(median, spec.p99Ms ?? median * 3);
  const sigma = median > 0 ? Math.log(p99 / median) / Z99 : 0;
  return () => median * Math.exp(sigma * rng.normal());
}

/**
 * How the CLI's `--fault-rate F` is spread: F is the share of requests that meet a fault, split over the
 * kinds below; storms start at F/50 per request and last 1 s.
 */
export function spreadFaultRate(rate: number): FaultOptions {
  const f = Math.min(1, Math.max(0, rate));
  return {
    serverErrorRate: f * 0.4,
    resetRate: f * 0.2,
    malformedRate: f * 0.2,
    timeoutRate: f * 0.18,
    stormRate: f * 0.02,
    stormMs: 1000,
  };
}

export class FaultInjector {
  private options: FaultOptions = {};
  private latency: () => number = () => 0;
  private stormUntil = -Infinity;
  private readonly rng: Rng;

  constructor(seed: number, options: FaultOptions, now: number) {
    this.rng = createRng(seed);
    this.set(options, now);
  }

  set(options: FaultOptions, now: number): void {
    this.options = { ...options };
    this.latency = latencySampler(options.latency, this.rng);
    this.stormUntil = options.stormForMs ? now + options.stormForMs : -Infinity;
  }

  get timeoutMs(): number {
    return this.options.timeoutMs ?? 20_000;
  }

  sampleLatency(): number {
    return this.latency();
  }

  /** True when the request falls in a storm (possibly one it starts). */
  storm(now: number): boolean {
    if (now < this.stormUntil) return true;
    const rate = this.options.stormRate ?? 0;
    if (rate > 0 && this.rng.next() < rate) {
      this.stormUntil = now + (this.options.stormMs ?? 1000);
      return true;
    }
    return false;
  }

  /** One draw decides whether this request meets a fault, and which. */
  decide(): RequestFault | null {
    const o = this.options;
    const kinds: Array<[RequestFault, number]> = [
      ['server_error', o.serverErrorRate ?? 0],
      ['reset', o.resetRate ?? 0],
      ['timeout', o.timeoutRate ?? 0],
      ['malformed', o.malformedRate ?? 0],
    ];
    if (kinds.every(([, p]) => p <= 0)) return null;
    let x = this.rng.next();
    for (const [kind, p] of kinds) {
      if (x < p) return kind;
      x -= p;
    }
    return null;
  }

  /** Status of a 5xx answer (500 with Bitget's JSON, 502/503 with a gateway page). */
  serverErrorStatus(): 500 | 502 | 503 {
    return this.rng.pick([500, 502, 503] as const);
  }
}
