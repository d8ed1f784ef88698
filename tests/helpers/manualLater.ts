import type { Later } from '../../src/bitget/windowBudget';

/** Timers that run only when the test says so: which slot comes back when is asserted, never waited for. */
export function manualLater() {
  const timers: { ms: number; fn: () => void; live: boolean }[] = [];
  const later: Later = (ms, fn) => {
    const timer = { ms, fn, live: true };
    timers.push(timer);
    return () => {
      timer.live = false;
    };
  };
  return {
    later,
    /** The delays of the timers still to run, in the order they were set. */
    pending: () => timers.filter((t) => t.live).map((t) => t.ms),
    /** Runs the timers still to run whose delay is `ms` (all of them without `ms`). */
    fire: (ms?: number) => {
      for (const t of timers.filter((x) => x.live && (ms === undefined || x.ms === ms))) {
        t.live = false;
        t.fn();
      }
    },
  };
}
