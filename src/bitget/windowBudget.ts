import Bottleneck from 'bottleneck';

/** Later than this after the fastest recent call, a call's lag means the server's clock moved, not a slow call. */
const MAX_LATE_MS = 60_000;
/**
 * Bottleneck plans each start `minTime` after the previous *planned* start; when the event loop stalls, the
 * timers of several due jobs fire together and would leave in a burst. The gate re-spaces them by the time
 * they are actually released: each pass waits until `minTime` after the previous actual pass, and, when given
 * `holdMs`, for as long as that says (a budget's slot that is not free yet: WindowBudget).
 */
export class SpacingGate {
  private last = Number.NEGATIVE_INFINITY;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    public minTime: number,
    private readonly now: () => number = () => performance.now(),
    /** How much longer a pass must wait, asked again after every wait (0: it may go now). */
    private readonly holdMs: () => number = () => 0,
  ) {}

  pass(): Promise<void> {
    const turn = this.chain.then(async () => {
      for (;;) {
        const wait = Math.max(this.last + this.minTime - this.now(), this.holdMs());
        if (!(wait > 0)) break;
        await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
      }
      this.last = this.now();
    });
    this.chain = turn;
    return turn;
  }
}

/** What one response said about its endpoint's budget. */
export interface ServerReport {
  /** `x-mbx-used-remain-limit` (calls left in the server's window once this call was counted), or null. */
  remaining: number | null;
  /** The request was refused for its rate (HTTP 429 or exchange code 429). */
  refused: boolean;
  /** When the server took the call, by the server's clock (the envelope's `requestTime`), or null. */
  requestTime?: number | null;
}

/** Runs `fn` after `ms`; returns a function that cancels it. Injectable so tests decide when slots come back. */
export type Later = (ms: number, fn: () => void) => () => void;

export const realLater: Later = (ms, fn) => {
  const timer = setTimeout(fn, ms);
  timer.unref?.();
  return () => clearTimeout(timer);
};

/**
 * The guard: how long after the window a slot of ours stays taken, so that a call that reaches the server
 * later than the one it replaces (event-loop stalls, network jitter) still finds the old one out of the
 * server's window. It grows by a step on every 429 and, on every admitted call, gives back a share of what it
 * holds above its floor (a storm of 429s that pushed it to its cap is forgotten within a few hundred calls).
 */
export interface GuardSettings {
  initialMs: number;
  minMs: number;
  maxMs: number;
  /** Added on a 429. */
  stepUpMs: number;
  /** Share of the guard above its floor kept after an admitted call. */
  keepOnSuccess: number;
}

export const DEFAULT_GUARD: GuardSettings = {
  initialMs: 10,
  minMs: 2,
  maxMs: 250,
  stepUpMs: 20,
  keepOnSuccess: 0.995,
};

/**
 * How long before a slot is free it is handed back to Bottleneck's reservoir. Between a slot coming back and
 * the call it lets through reaching the gate, Bottleneck's drain and the IP limiter take 15–25 ms (more under
 * load); paid on every reuse of a slot, that is 2–3 % of the budget. Handed back early, the call waits out the
 * rest in the gate, which lets it go when the slot is free by our count (`holdMs`), not later.
 */
export const DEFAULT_LEAD_MS = 50;

export interface WindowBudgetOptions {
  id: string;
  /** Calls admitted in any window (the documented per-second budget). */
  calls: number;
  /** The window, ms (1000 for Bitget's "per second"; longer to use a share of the budget). */
  windowMs: number;
  guard?: GuardSettings;
  /** How early a slot goes back to the reservoir (DEFAULT_LEAD_MS; at most a quarter of the window). */
  leadMs?: number;
  later?: Later;
  /** Our clock, ms. */
  now?: () => number;
}

/** One call let through by a budget; handed back with the server's answer. */
export interface BudgetSlot {
  readonly budget: WindowBudget;
  /** Our calls in our window when this one started, itself included. */
  readonly ours: number;
  /** When it started, our clock. */
  readonly startedAt: number;
  /** Gives the slot back before its time (the server did not count the call). */
  readonly giveBack: () => void;
  /** Keeps the slot until `at` (our clock) if that is later than when it comes back now. */
  readonly keepUntil: (at: number) => void;
}

/**
 * One rate budget of `calls` per `windowMs`, counted as a sliding window like the server's (each of our starts
 * takes a slot of Bottleneck's reservoir; the slot comes back one window plus the guard later), and corrected by
 * what the server says: a response whose `x-mbx-used-remain-limit` shows more calls in the server's window than
 * ours (another client of the account, or our calls bunched on the way) withholds the difference from the
 * reservoir for one window; a 429 withholds what the server counted beyond ours for one slot's time and widens
 * the guard (unless the header says the window had room: then the refusal was not about our pace); an answer's
 * `requestTime` keeps the slot of a call that reached the server late until one window after its arrival.
 * Without the header, our own count at the documented budget is all there is; a 429 still acts.
 *
 * Starts are spaced at least half a slot apart (`minTime`): idle slots of the last window can be caught up at
 * twice the rate, never as a burst that arrives bunched.
 *
 * A slot goes back to the reservoir `leadMs` before it is free, so that the call it admits has passed
 * Bottleneck and the IP limiter by then; the gate (the last step before the send) holds that call until the
 * slot is free: fewer of our slots taken than the budget less what is withheld.
 */
export class WindowBudget {
  readonly limiter: Bottleneck;
  readonly gate: SpacingGate;
  readonly calls: number;
  readonly windowMs: number;
  private readonly guardSettings: GuardSettings;
  private readonly later: Later;
  private readonly now: () => number;
  private guard: number;
  /** Slots held back for calls the server counts and we did not. */
  private withheld = 0;
  /** (server's requestTime − our start) of the last calls answered, the oldest first. */
  private readonly lags: number[] = [];
  private readonly pending = new Set<() => void>();
  /** When each of our calls' slot is free again (our clock), whether or not it is back in the reservoir. */
  private readonly taken = new Set<{ dueAt: number }>();
  private readonly leadMs: number;

  constructor(options: WindowBudgetOptions) {
    if (!(Number.isInteger(options.calls) && options.calls >= 1))
      throw new RangeError(`a window budget needs a whole number of calls ≥ 1, got ${options.calls}`);
    if (!(options.windowMs > 0)) throw new RangeError(`window must be positive, got ${options.windowMs}`);
    this.calls = options.calls;
    this.windowMs = options.windowMs;
    this.guardSettings = options.guard ?? DEFAULT_GUARD;
    this.guard = this.guardSettings.initialMs;
    this.later = options.later ?? realLater;
    this.now = options.now ?? Date.now;
    this.leadMs = Math.max(0, Math.min(options.leadMs ?? DEFAULT_LEAD_MS, this.windowMs / 4));
    const minTime = Math.max(1, Math.ceil(this.slotMs / 2));
    // No maxConcurrent: slow answers never leave the budget idle.
    this.limiter = new Bottleneck({ id: options.id, minTime, maxConcurrent: null, reservoir: this.calls });
    this.gate = new SpacingGate(minTime, undefined, () => this.holdMs());
  }

  /** The time one call of the budget stands for at the full rate. */
  get slotMs(): number {
    return this.windowMs / this.calls;
  }

  /** The guard in force (ms a slot stays taken beyond the window). */
  get guardMs(): number {
    return this.guard;
  }

  /** Slots held back for calls the server reported and we did not make. */
  get withheldSlots(): number {
    return this.withheld;
  }

  /** Bottleneck's reservoir now: the calls that may start before a slot comes back. */
  reservoir(): Promise<number | null> {
    return this.limiter.currentReservoir();
  }

  /** Waits for a slot in the reservoir (and Bottleneck's spacing). */
  async reserve(): Promise<void> {
    await this.limiter.schedule(() => Promise.resolve());
  }

  /**
   * How long a call let through by the reservoir must still wait for a free slot: our slots taken now (free
   * again later than now) against the budget less what is withheld. 0 when one is free.
   */
  holdMs(): number {
    const t = this.now();
    const due: number[] = [];
    for (const s of this.taken) {
      if (s.dueAt > t) due.push(s.dueAt);
      else this.taken.delete(s);
    }
    const allowed = this.calls - this.withheld;
    if (due.length < allowed) return 0;
    due.sort((a, b) => a - b);
    // The first slot whose freeing leaves fewer than `allowed` taken.
    return due[Math.min(due.length - 1, due.length - Math.max(allowed, 1))]! - t;
  }

  /**
   * The call leaves now: its slot is free one window plus the guard from now, and goes back to the reservoir
   * `leadMs` before that.
   */
  start(): BudgetSlot {
    let back = false;
    const startedAt = this.now();
    const mark = { dueAt: startedAt + this.windowMs + this.guard };
    this.taken.add(mark);
    let ours = 0;
    for (const s of this.taken) if (s.dueAt > startedAt) ours += 1;
    const release = (): void => {
      if (back) return;
      back = true;
      this.pending.delete(cancel);
      cancel();
      // Handed back when due (no lead): the slot is free now, whatever the clock says.
      if (this.leadMs === 0) this.taken.delete(mark);
      void this.limiter.incrementReservoir(1);
    };
    // Measured from the one reading of the clock above (a second reading would shorten it by the time between).
    let cancel = this.later(mark.dueAt - this.leadMs - startedAt, release);
    this.pending.add(cancel);
    const keepUntil = (at: number): void => {
      if (at <= mark.dueAt) return;
      mark.dueAt = at;
      this.taken.add(mark);
      // Back in the reservoir already: the gate holds the next call until `at`.
      if (back) return;
      this.pending.delete(cancel);
      cancel();
      cancel = this.later(Math.max(0, at - this.leadMs - this.now()), release);
      this.pending.add(cancel);
    };
    const giveBack = (): void => {
      this.taken.delete(mark);
      release();
    };
    return { budget: this, ours, startedAt, giveBack, keepUntil };
  }

  /** What the server said about the call of `slot`. */
  observe(slot: BudgetSlot, report: ServerReport): void {
    if (report.refused) {
      // The server did not count this call.
      slot.giveBack();
      // Refused with room left in its window (a storm, the IP cap): not our pace; the retry's backoff waits.
      if (report.remaining !== null && report.remaining > 0) return;
      // It counted `calls` others in its window, `ours - 1` of them ours at the most.
      this.withhold(this.calls - (slot.ours - 1), this.slotMs);
      const g = this.guardSettings;
      this.guard = Math.min(g.maxMs, this.guard + g.stepUpMs);
      return;
    }
    const g = this.guardSettings;
    this.guard = g.minMs + (this.guard - g.minMs) * g.keepOnSuccess;
    if (report.requestTime != null) this.keepPastArrival(slot, report.requestTime);
    if (report.remaining === null) return;
    // Counted by the server in its window, this call included, against ours in our (longer) window.
    this.withhold(this.calls - report.remaining - slot.ours, this.windowMs);
  }

  /**
   * The server counts a call from its arrival. Its `requestTime` less our start time is the call's lag plus the
   * clocks' offset; the least such figure among the last calls (two windows' worth) is a call that went
   * straight through at the load of the moment, so the excess over it is how late this one arrived (no clock
   * sync needed, so an offset estimate's bias cannot creep in; the next call is assumed no faster than that
   * one). A late call keeps its slot until one window (and the guard's floor) after it arrived.
   */
  private keepPastArrival(slot: BudgetSlot, requestTime: number): void {
    const lag = requestTime - slot.startedAt;
    this.lags.push(lag);
    if (this.lags.length > 2 * this.calls) this.lags.shift();
    const late = lag - Math.min(...this.lags);
    if (late > MAX_LATE_MS) {
      // No call waits that long to reach the server: its clock jumped (the simulator's was moved forward).
      // The lags before it say nothing any more; this call is the new reference.
      this.lags.splice(0, this.lags.length, lag);
      return;
    }
    slot.keepUntil(slot.startedAt + late + this.windowMs + this.guardSettings.minMs);
  }

  /** Holds back `extra` slots for `ms`, less those already held back for the same reason. */
  private withhold(extra: number, ms: number): void {
    const need = Math.min(extra, this.calls) - this.withheld;
    if (need <= 0) return;
    this.withheld += need;
    void this.limiter.incrementReservoir(-need);
    let back = false;
    const restore = (): void => {
      if (back) return;
      back = true;
      this.pending.delete(cancel);
      this.withheld -= need;
      void this.limiter.incrementReservoir(need);
    };
    const cancel = this.later(ms, restore);
    this.pending.add(cancel);
  }

  /** Stops the limiter and its timers (tests, process shutdown); waiting calls are let through. */
  async stop(): Promise<void> {
    for (const cancel of this.pending) cancel();
    this.pending.clear();
    this.taken.clear();
    await this.limiter.updateSettings({ reservoir: null });
    await this.limiter.stop({ dropWaitingJobs: false });
  }
}
