/**
 * The simulator's clock: starts `daysAgo` days before the base clock (real time by default) and runs at its
 * speed; `advance` moves it forward (POST /sim/clock). Server time, retention, visibility, signatures and
 * rate limits all read it.
 */
import { DAY_MS } from '../bitget/endpoints';

export interface SimClock {
  now(): number;
  /** Moves the clock forward by `ms` (≥ 0) and returns the new time. */
  advance(ms: number): number;
}

export function createSimClock(base: () => number, daysAgo = 0): SimClock {
  let offset = -Math.round(daysAgo * DAY_MS);
  return {
    now: () => base() + offset,
    advance(ms: number): number {
      if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError('advanceMs must be a whole number ≥ 0');
      offset += ms;
      return base() + offset;
    },
  };
}

/** Parses the body of POST /sim/clock: {"advanceMs": N}. */
export function parseClockBody(body: string): number | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body || '{}');
  } catch {
    return 'the body is not JSON';
  }
  const advance = (parsed as { advanceMs?: unknown } | null)?.advanceMs;
  if (typeof advance !== 'number' || !Number.isSafeInteger(advance) || advance < 0)
    return 'advanceMs must be a whole number of milliseconds ≥ 0';
  return advance;
}
