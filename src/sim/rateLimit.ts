/**
 * Sliding-window limits, counted at arrival. A request is admitted when fewer than `limit` admitted requests
 * arrived in (now - window, now]; refused requests are not recorded (they do not use up the budget).
 *
 * Each key keeps a ring of the arrival times still inside the window. The ring grows by doubling as requests
 * arrive, so memory follows the requests actually held (a test that lifts a limit to 1e9 costs nothing), never
 * the limit itself.
 */
interface ArrivalLog {
  times: Float64Array;
  head: number;
  size: number;
}

const INITIAL_CAPACITY = 16;

export class SlidingWindowLimiter {
  private readonly logs = new Map<string, ArrivalLog>();

  constructor(private readonly windowMs: number) {}

  tryAcquire(key: string, limit: number, now: number): boolean {
    if (limit <= 0) return false;
    let log = this.logs.get(key);
    if (!log) {
      log = { times: new Float64Array(Math.min(limit, INITIAL_CAPACITY)), head: 0, size: 0 };
      this.logs.set(key, log);
    }
    this.prune(log, now);
    if (log.size >= limit) return false;
    if (log.size === log.times.length) grow(log, limit);
    log.times[(log.head + log.size) % log.times.length] = now;
    log.size += 1;
    return true;
  }

  /** Calls left on `key` at `now` (the `x-mbx-used-remain-limit` a response reports). */
  remaining(key: string, limit: number, now: number): number {
    const log = this.logs.get(key);
    if (!log) return Math.max(0, limit);
    this.prune(log, now);
    return Math.max(0, limit - log.size);
  }

  /** Arrivals that left the window no longer count against the budget. */
  private prune(log: ArrivalLog, now: number): void {
    while (log.size > 0 && (log.times[log.head] as number) <= now - this.windowMs) {
      log.head = (log.head + 1) % log.times.length;
      log.size -= 1;
    }
  }
}

/** Doubles the ring (never beyond the limit), keeping the arrivals in order from index 0. */
function grow(log: ArrivalLog, limit: number): void {
  const capacity = Math.min(limit, Math.max(INITIAL_CAPACITY, log.times.length * 2));
  const times = new Float64Array(capacity);
  for (let i = 0; i < log.size; i++) times[i] = log.times[(log.head + i) % log.times.length] as number;
  log.times = times;
  log.head = 0;
}

export type IpVerdict = 'ok' | 'ip_limit' | 'ip_banned';

/** The per-IP cap over every endpoint: crossing it refuses the request and bans the IP for `banMs`. */
export class IpGuard {
  private readonly window = new SlidingWindowLimiter(60_000);
  private readonly bannedUntil = new Map<string, number>();

  constructor(
    private readonly perMinute: number,
    private readonly banMs: number,
  ) {}

  check(ip: string, now: number): IpVerdict {
    const until = this.bannedUntil.get(ip);
    if (until !== undefined) {
      if (now < until) return 'ip_banned';
      this.bannedUntil.delete(ip);
    }
    if (this.window.tryAcquire(ip, this.perMinute, now)) return 'ok';
    this.bannedUntil.set(ip, now + this.banMs);
    return 'ip_limit';
  }
}
