/**
 * Sliding-window limits, counted at arrival. A request is admitted when fewer than `limit` admitted requests
 * arrived in (now - window, now]; refused requests are not recorded (they do not use up the budget).
 */
export class SlidingWindowLimiter {
  private readonly logs = new Map<string, { times: Float64Array; head: number; size: number }>();

  constructor(private readonly windowMs: number) {}

  tryAcquire(key: string, limit: number, now: number): boolean {
    if (limit <= 0) return false;
    let log = this.logs.get(key);
    if (!log || log.times.length !== limit) {
      log = { times: new Float64Array(limit), head: 0, size: 0 };
      this.logs.set(key, log);
    }
    if (log.size < limit) {
      log.times[(log.head + log.size) % limit] = now;
      log.size += 1;
      return true;
    }
    if ((log.times[log.head] as number) <= now - this.windowMs) {
      log.times[log.head] = now;
      log.head = (log.head + 1) % limit;
      return true;
    }
    return false;
  }
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
