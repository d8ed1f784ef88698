import { manualLater } from '../../tests/helpers/manualLater';
import type { GuardSettings } from './windowBudget';
import { WindowBudget } from './windowBudget';

const GUARD: GuardSettings = { initialMs: 10, minMs: 2, maxMs: 50, stepUpMs: 20, keepOnSuccess: 0.5 };

describe('a window budget on Bottleneck’s reservoir', () => {
  let timers: ReturnType<typeof manualLater>;
  let budget: WindowBudget;
  beforeEach(() => {
    timers = manualLater();
    // A clock that does not move on its own: what comes back when depends on the test's steps, not on real time.
    budget = new WindowBudget({
      id: 't',
      calls: 4,
      windowMs: 40,
      guard: GUARD,
      later: timers.later,
      now: () => 1_000,
      // Slots go back when they are free; the early hand-back has tests of its own (below).
      leadMs: 0,
    });
  });
  afterEach(() => budget.stop());

  const take = async () => {
    await budget.reserve();
    return budget.start();
  };

  it('takes a slot per call and gives it back one window plus the guard after the call started', async () => {
    const slots = [await take(), await take(), await take()];
    expect(slots.map((s) => s.ours)).toEqual([1, 2, 3]);
    expect(await budget.reservoir()).toBe(1);
    expect(timers.pending()).toEqual([50, 50, 50]);
    timers.fire();
    expect(await budget.reservoir()).toBe(4);
    expect((await take()).ours).toBe(1);
  });

  it('lets the call after the full budget wait until a slot comes back', async () => {
    for (let i = 0; i < 4; i++) await take();
    const events: string[] = [];
    const fifth = take().then(() => events.push('fifth started'));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    events.push('slot back');
    timers.fire(50);
    await fifth;
    expect(events).toEqual(['slot back', 'fifth started']);
  });

  it('withholds nothing while the server counts what we count', async () => {
    await take();
    const second = await take();
    budget.observe(second, { remaining: 2, refused: false });
    expect(budget.withheldSlots).toBe(0);
    expect(await budget.reservoir()).toBe(2);
  });

  it('withholds, for one window, the calls the server counts beyond ours, once however often it says so', async () => {
    const slot = await take();
    budget.observe(slot, { remaining: 1, refused: false }); // the server counts 3, we made 1
    expect(budget.withheldSlots).toBe(2);
    expect(await budget.reservoir()).toBe(1);
    budget.observe(slot, { remaining: 1, refused: false });
    expect(budget.withheldSlots).toBe(2);
    expect(await budget.reservoir()).toBe(1);
    expect(timers.pending()).toEqual([50, 40]);
    timers.fire(40);
    expect(budget.withheldSlots).toBe(0);
    expect(await budget.reservoir()).toBe(3);
  });

  it('takes no header (absent or unreadable) as no news: our own count stands, the guard shrinks', async () => {
    const slot = await take();
    budget.observe(slot, { remaining: null, refused: false });
    expect(budget.withheldSlots).toBe(0);
    expect(await budget.reservoir()).toBe(3);
    expect(budget.guardMs).toBe(2 + (10 - 2) * 0.5);
  });

  it('reads more calls left than the budget as room, never as a debt', async () => {
    const slot = await take();
    budget.observe(slot, { remaining: 99, refused: false });
    expect(budget.withheldSlots).toBe(0);
    expect(await budget.reservoir()).toBe(3);
  });

  it('on a 429 gives the refused call its slot back, withholds the rest of the server’s window for one slot and widens the guard', async () => {
    await take();
    await take();
    const refused = await take();
    budget.observe(refused, { remaining: 0, refused: true });
    // The server counted 4 in its window, 2 of them ours: 2 are withheld for one slot (40 ms / 4).
    expect(budget.withheldSlots).toBe(2);
    expect(await budget.reservoir()).toBe(0);
    expect(budget.guardMs).toBe(30);
    expect(timers.pending()).toEqual([50, 50, 10]);
    timers.fire(10);
    expect(await budget.reservoir()).toBe(2);
    timers.fire();
    // The refused call's own timer was cancelled when it gave its slot back: nothing is given back twice.
    expect(await budget.reservoir()).toBe(4);
    // The next call's slot stays taken for the window plus the wider guard.
    await take();
    expect(timers.pending()).toEqual([70]);
  });

  it('does not take a 429 with room left in the server’s window (a storm, the IP cap) for its pace', async () => {
    const refused = await take();
    budget.observe(refused, { remaining: 3, refused: true });
    expect(budget.withheldSlots).toBe(0);
    expect(budget.guardMs).toBe(10);
    expect(await budget.reservoir()).toBe(4);
  });

  it('treats a 429 without the header as a full server window', async () => {
    const refused = await take();
    budget.observe(refused, { remaining: null, refused: true });
    expect(budget.withheldSlots).toBe(4);
    expect(await budget.reservoir()).toBe(0);
  });

  it('caps the guard after a storm of 429s and gives it back towards its floor on admitted calls', async () => {
    for (let i = 0; i < 5; i++) {
      budget.observe(await take(), { remaining: 0, refused: true });
      timers.fire();
    }
    expect(budget.guardMs).toBe(50);
    for (let i = 0; i < 40; i++) {
      budget.observe(await take(), { remaining: null, refused: false });
      timers.fire();
    }
    expect(budget.guardMs).toBeGreaterThanOrEqual(2);
    expect(budget.guardMs).toBeLessThan(2.001);
  });

  it('takes a server clock that jumped forward (the simulator moved) for a new reference, not a call days late', async () => {
    let now = 1_000;
    const clocked = new WindowBudget({
      id: 'j',
      calls: 4,
      windowMs: 40,
      guard: GUARD,
      later: timers.later,
      now: () => now,
      leadMs: 0,
    });
    try {
      await clocked.reserve();
      clocked.observe(clocked.start(), { remaining: 3, refused: false, requestTime: 5_000 });
      now = 1_005;
      await clocked.reserve();
      // 30 days later by the server's clock: the slot comes back after its window and guard, as any other's
      clocked.observe(clocked.start(), {
        remaining: 2,
        refused: false,
        requestTime: 5_005 + 30 * 86_400_000,
      });
      expect(timers.pending()).toEqual([50, 40 + 6]); // the guard shrank after the admitted first call
    } finally {
      clocked.stop();
    }
  });

  it('keeps the slot of a call that reached the server late until one window after it arrived', async () => {
    let now = 1_000;
    const clocked = new WindowBudget({
      id: 'c',
      calls: 4,
      windowMs: 40,
      guard: GUARD,
      later: timers.later,
      now: () => now,
      leadMs: 0,
    });
    try {
      await clocked.reserve();
      const first = clocked.start(); // back at 1000 + 40 + 10
      // The server's clock is 4000 ms ahead of ours: only differences between calls' lags matter.
      clocked.observe(first, { remaining: 3, refused: false, requestTime: 5_000 });
      expect(timers.pending()).toEqual([50]);
      now = 1_005;
      await clocked.reserve();
      const late = clocked.start();
      // Taken by the server 30 ms later than the first call's lag says: its slot is kept until 1005 + 30 + 40 + 2.
      clocked.observe(late, { remaining: 2, refused: false, requestTime: 5_035 });
      expect(timers.pending()).toEqual([50, 1_077 - 1_005]);
      // A call that went through faster than the first becomes the reference; it keeps the window and the guard
      // in force when it started (2 + 8 × 0.5 × 0.5 after two admitted calls).
      await clocked.reserve();
      const fast = clocked.start();
      clocked.observe(fast, { remaining: 1, refused: false, requestTime: 4_995 });
      expect(timers.pending()).toEqual([50, 72, 40 + 4]);
      // The reference is the fastest of the last two windows' calls (8 here): once the fast call is that old,
      // a call at the first call's lag is no longer late.
      for (let i = 0; i < 7; i++) {
        timers.fire();
        await clocked.reserve();
        clocked.observe(clocked.start(), { remaining: 3, refused: false, requestTime: 5_005 });
      }
      timers.fire();
      await clocked.reserve();
      const current = clocked.start();
      const due = timers.pending();
      clocked.observe(current, { remaining: 3, refused: false, requestTime: 5_005 });
      expect(timers.pending()).toEqual(due);
    } finally {
      await clocked.stop();
    }
  });

  describe('handing a slot back early', () => {
    let now: number;
    let early: WindowBudget;
    beforeEach(() => {
      now = 1_000;
      early = new WindowBudget({
        id: 'e',
        calls: 2,
        windowMs: 40,
        guard: GUARD,
        leadMs: 6,
        later: timers.later,
        now: () => now,
      });
    });
    afterEach(() => early.stop());
    const takeEarly = async () => {
      await early.reserve();
      return early.start();
    };

    it('puts the slot back in the reservoir the lead before it is free, and the gate holds the call until then', async () => {
      await takeEarly(); // free at 1000 + 40 + 10
      now = 1_010;
      await takeEarly(); // free at 1060
      expect(timers.pending()).toEqual([44, 44]);
      expect(early.holdMs()).toBe(40);
      now = 1_044;
      timers.fire();
      // Both back in the reservoir; by our count the first is free at 1050, the second at 1060.
      expect(await early.reservoir()).toBe(2);
      expect(early.holdMs()).toBe(6);
      now = 1_050;
      expect(early.holdMs()).toBe(0);
      const third = await takeEarly();
      // The second slot is still taken: the third call counts it as its own in the window.
      expect(third.ours).toBe(2);
      expect(early.holdMs()).toBe(10);
    });

    it('never lets the lead shorten a slot kept for a late arrival', async () => {
      const first = await takeEarly();
      early.observe(first, { remaining: 1, refused: false, requestTime: 5_000 });
      now = 1_010;
      const late = await takeEarly();
      // Reached the server 20 ms later than the first call's lag says: free at 1010 + 20 + 40 + 2 = 1072.
      early.observe(late, { remaining: 0, refused: false, requestTime: 5_030 });
      now = 1_066;
      timers.fire();
      expect(await early.reservoir()).toBe(2);
      expect(early.holdMs()).toBe(0); // the first slot is free (1050): one call may go
      await takeEarly();
      expect(early.holdMs()).toBe(1_072 - 1_066);
    });

    it('counts the slots withheld for the server against the free ones', async () => {
      const slot = await takeEarly(); // free at 1050
      // The server counts 2 calls in its window, we made 1: one slot is withheld, so none is free until 1050.
      early.observe(slot, { remaining: 0, refused: false, requestTime: 5_000 });
      expect(early.withheldSlots).toBe(1);
      expect(early.holdMs()).toBe(50);
      now = 1_050;
      expect(early.holdMs()).toBe(0);
    });
  });

  it('rejects a budget without whole calls or a window', () => {
    expect(() => new WindowBudget({ id: 'x', calls: 2.5, windowMs: 1000 })).toThrow(/whole number of calls/);
    expect(() => new WindowBudget({ id: 'x', calls: 0, windowMs: 1000 })).toThrow(RangeError);
    expect(() => new WindowBudget({ id: 'x', calls: 2, windowMs: 0 })).toThrow(/window must be positive/);
  });
});
