import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CREDENTIALS } from '../../tests/fixtures/bitget/fixtures';
import { BitgetClient } from './BitgetClient';
import type { EndpointId } from './endpoints';
import { startSimulator } from '../sim';
import { SlidingWindowLimiter } from '../sim/rateLimit';
import { manualLater } from '../../tests/helpers/manualLater';
import { DEFAULT_GUARD } from './windowBudget';
import {
  DEFAULT_RATE_MARGIN,
  IP_RATE_MARGIN,
  RateLimiters,
  SpacingGate,
  minTimeFor,
  remainingFrom,
  windowFor,
} from './rateLimits';
import { get, manualClock } from '../sim/testkit';

const SPOT = '/api/v2/spot/trade/history-orders';

/** The largest number of arrivals in any closed one-second window [t, t + 1000 ms]. */
function busiestSecond(arrivals: readonly number[]): number {
  const times = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j]! < times[i]! - 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

interface WindowServer {
  url: string;
  process: ChildProcess;
  arrivals(path?: string): Promise<number[]>;
}

/** Starts window-server.js in its own process with the given budgets. */
async function startWindowServer(
  routes: Record<string, { budget: number; data: unknown }>,
): Promise<WindowServer> {
  const child = spawn(
    process.execPath,
    [join(__dirname, '../../tests/fixtures/bitget/window-server.js'), JSON.stringify(routes)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    process: child,
    arrivals: async (path?: string) => {
      const all = (await (await fetch(`${url}/__arrivals`)).json()) as { path: string; at: number }[];
      return all.filter((a) => path === undefined || a.path === path).map((a) => a.at);
    },
  };
}

function stopWindowServer(server: WindowServer): Promise<void> {
  return new Promise((resolve) => {
    server.process.once('exit', () => resolve());
    server.process.kill('SIGTERM');
  });
}

describe('budgets and spacing', () => {
  it('use the whole documented budget of an endpoint by default, and a margin of the IP cap', () => {
    expect(DEFAULT_RATE_MARGIN).toBe(1);
    expect(IP_RATE_MARGIN).toBe(0.95);
  });

  it('count whole calls per window; a margin stretches the window, a rate below 1/s is one call per period', () => {
    expect(windowFor(20, 1)).toEqual({ calls: 20, windowMs: 1000 });
    expect(windowFor(10, 0.5)).toEqual({ calls: 10, windowMs: 2000 });
    expect(windowFor(0.5, 1)).toEqual({ calls: 1, windowMs: 2000 });
    expect(() => windowFor(10, 1.5)).toThrow(RangeError);
    expect(() => new RateLimiters({ margin: 0 })).toThrow(/rate margin/);
  });

  it('space the IP cap 1000 / (rate × margin) ms apart, rounded up', () => {
    expect(minTimeFor(20, 0.95)).toBe(53);
    expect(minTimeFor(10, 0.95)).toBe(106);
    expect(minTimeFor(100, 0.95)).toBe(11);
    expect(minTimeFor(20, 1)).toBe(50);
  });

  it('rejects a margin outside (0, 1]', () => {
    expect(() => minTimeFor(20, 1.5)).toThrow(RangeError);
    expect(() => minTimeFor(20, 0)).toThrow(RangeError);
  });

  it('is kept by the gate measured at release, even when several passes are due at once', async () => {
    let clock = 0;
    const gate = new SpacingGate(50, () => clock);
    const released: number[] = [];
    jest.useFakeTimers();
    try {
      const passes = [1, 2, 3].map(() => gate.pass().then(() => released.push(clock)));
      for (let i = 0; i < 10 && released.length < 3; i++) {
        await Promise.resolve();
        await Promise.resolve();
        clock += 50;
        jest.advanceTimersByTime(50);
      }
      await Promise.all(passes);
    } finally {
      jest.useRealTimers();
    }
    expect(released[1]! - released[0]!).toBeGreaterThanOrEqual(50);
    expect(released[2]! - released[1]!).toBeGreaterThanOrEqual(50);
  });
});

/**
 * Acquires `count` slots per (account, endpoint) under jest's fake clock and returns the fake time at which
 * each was released. Rate limiting is a property of the schedule, proved here without sockets or a real clock
 * (a real-time test on a shared 2-core machine measures its event loop, not the limiter).
 */
async function releaseTimes(
  limiters: RateLimiters,
  requests: readonly { account: string; endpoint: EndpointId; count: number }[],
): Promise<Map<string, number[]>> {
  const released = new Map<string, number[]>();
  const pending = requests.flatMap(({ account, endpoint, count }) =>
    Array.from({ length: count }, () =>
      limiters.acquire(account, endpoint).then(() => {
        const key = `${account}|${endpoint}`;
        released.set(key, [...(released.get(key) ?? []), Date.now()]);
      }),
    ),
  );
  const total = pending.length;
  let done = 0;
  for (const p of pending) void p.then(() => done++);
  for (let step = 0; step < 100_000 && done < total; step++) await jest.advanceTimersByTimeAsync(1);
  await Promise.all(pending);
  return released;
}

describe('the limiters, on a fake clock', () => {
  let limiters: RateLimiters;
  beforeEach(() => jest.useFakeTimers({ now: 1_750_000_000_000 }));
  afterEach(async () => {
    jest.useRealTimers(); // Bottleneck's stop() waits on timers of its own
    await limiters.stop();
  });

  it('never let more than the budget of an endpoint through in any sliding second, at the full budget', async () => {
    limiters = new RateLimiters();
    const released = await releaseTimes(limiters, [
      { account: 'uid-1', endpoint: 'spotHistoryOrders', count: 44 },
      { account: 'uid-1', endpoint: 'futuresHistoryOrders', count: 21 },
    ]);
    const spot = released.get('uid-1|spotHistoryOrders')!;
    const futures = released.get('uid-1|futuresHistoryOrders')!;
    expect(spot).toHaveLength(44);
    expect(futures).toHaveLength(21);
    expect(busiestSecond(spot)).toBeLessThanOrEqual(20);
    expect(busiestSecond(futures)).toBeLessThanOrEqual(10);
    // The simulator's own window, fed these starts as arrivals, admits every one.
    expect(refusedBySimulator(spot, 20)).toBe(0);
    expect(refusedBySimulator(futures, 10)).toBe(0);
    // …and no slower than the full budget: 44 starts take two windows (each widened by the guard) and 4 more
    // starts half a slot (25 ms) apart; the fake clock steps 1 ms at a time and Bottleneck hands a slot back
    // a few steps late (20 ms allowed per window; a 0.95 margin alone would add 53 per window).
    expect(spot[spot.length - 1]! - spot[0]!).toBeLessThanOrEqual(
      2 * (1000 + DEFAULT_GUARD.initialMs + 20) + 3 * 25 + 20,
    );
  });

  it('share one budget between two callers of the same account, and keep accounts apart', async () => {
    limiters = new RateLimiters();
    const released = await releaseTimes(limiters, [
      { account: 'uid-1', endpoint: 'spotHistoryOrders', count: 22 },
      { account: 'uid-1', endpoint: 'spotHistoryOrders', count: 22 },
      { account: 'uid-2', endpoint: 'spotHistoryOrders', count: 20 },
    ]);
    expect(released.get('uid-1|spotHistoryOrders')).toHaveLength(44);
    expect(busiestSecond(released.get('uid-1|spotHistoryOrders')!)).toBeLessThanOrEqual(20);
    // The second account's 20 leave within one window although the first account's 44 need three.
    const other = released.get('uid-2|spotHistoryOrders')!;
    expect(other[other.length - 1]! - other[0]!).toBeLessThan(1000);
  });

  it('are checked by a window count that does catch a limiter set above the budget', async () => {
    limiters = new RateLimiters({ margin: 1, ratePerSecond: { spotHistoryOrders: 40 } });
    const released = await releaseTimes(limiters, [
      { account: 'uid-1', endpoint: 'spotHistoryOrders', count: 30 },
    ]);
    expect(busiestSecond(released.get('uid-1|spotHistoryOrders')!)).toBeGreaterThan(20);
  });

  it('hold every request to the shared IP budget as well', async () => {
    limiters = new RateLimiters({ ipPerMinute: 600 }); // 10/s for the whole IP
    const released = await releaseTimes(limiters, [
      { account: 'uid-1', endpoint: 'spotHistoryOrders', count: 11 },
      { account: 'uid-1', endpoint: 'utaHistoryOrders', count: 11 },
    ]);
    const all = [...released.values()].flat();
    expect(all).toHaveLength(22);
    expect(busiestSecond(all)).toBeLessThanOrEqual(10);
  });
});

/** How many of `arrivals` the simulator's own sliding-window limiter refuses at `budget` per second. */
function refusedBySimulator(arrivals: readonly number[], budget: number): number {
  const window = new SlidingWindowLimiter(1000);
  return [...arrivals].sort((a, b) => a - b).filter((t) => !window.tryAcquire('k', budget, t)).length;
}

describe('the header of the calls left', () => {
  it('is read as a whole number, and ignored when absent or malformed (it is advice)', () => {
    expect(remainingFrom({ 'x-mbx-used-remain-limit': '7' })).toBe(7);
    expect(remainingFrom({ 'x-mbx-used-remain-limit': ['0'] })).toBe(0);
    expect(remainingFrom({})).toBeNull();
    expect(remainingFrom(undefined)).toBeNull();
    expect(remainingFrom({ 'x-mbx-used-remain-limit': '-1' })).toBeNull();
    expect(remainingFrom({ 'x-mbx-used-remain-limit': '2.5' })).toBeNull();
    expect(remainingFrom({ 'x-mbx-used-remain-limit': 'many' })).toBeNull();
    expect(remainingFrom({ 'x-mbx-used-remain-limit': '' })).toBeNull();
    expect(remainingFrom({ 'x-mbx-used-remain-limit': ' 3' })).toBeNull();
    expect(remainingFrom({ 'x-mbx-used-remain-limit': '1e3' })).toBeNull();
  });
});

describe('the limiters, told what the server says', () => {
  let limiters: RateLimiters;
  afterEach(() => limiters.stop());

  it('correct only the budget of the (account, endpoint) whose call the server answered', async () => {
    const timers = manualLater();
    limiters = new RateLimiters({ later: timers.later });
    const slot = await limiters.acquire('uid-1', 'spotHistoryOrders');
    limiters.observe(slot, { remaining: 9, refused: false }); // the server counts 11, we made 1
    expect(await limiters.budget('uid-1', 'spotHistoryOrders').reservoir()).toBe(20 - 1 - 10);
    expect(await limiters.budget('uid-2', 'spotHistoryOrders').reservoir()).toBe(20);
    expect(await limiters.budget('uid-1', 'futuresHistoryOrders').reservoir()).toBe(10);
  });
});

describe('the client and its 429s, over a socket', () => {
  let server: WindowServer;
  afterEach(async () => stopWindowServer(server));

  it('counts each HTTP 429 against the endpoint that drew it, with the rate_limit category', async () => {
    server = await startWindowServer({ [SPOT]: { budget: 0, data: [] } }); // refuses every request
    const limiters = new RateLimiters();
    const client = new BitgetClient({ credentials: CREDENTIALS, baseUrl: server.url, limiters, retries: 0 });
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => client.getSpotHistoryOrders()),
      );
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      expect(client.stats().http429).toBe(5);
      expect(client.stats().http429ByEndpoint).toEqual({ spotHistoryOrders: 5 });
      expect(client.stats().errors.rate_limit).toBe(5);
    } finally {
      await limiters.stop();
    }
  });
});

describe('the client against the simulator', () => {
  it("reads the simulator's x-mbx-used-remain-limit: another client's calls on the account are withheld from its budget", async () => {
    const clock = manualClock(1_750_000_000_000);
    const sim = await startSimulator({ seed: 5, orders: 10, now: clock.now });
    const timers = manualLater();
    const limiters = new RateLimiters({ later: timers.later });
    const client = new BitgetClient({ credentials: sim.credentials, baseUrl: sim.url, limiters });
    try {
      // Another client of the same account takes 5 of the 20 spot-history calls of this second.
      for (let i = 0; i < 5; i++) {
        const res = await get(sim.url, SPOT, '', { credentials: sim.credentials, timestamp: clock.now() });
        expect(res.status).toBe(200);
      }
      await client.getSpotHistoryOrders();
      const budget = limiters.budget(client.account, 'spotHistoryOrders');
      expect(budget.withheldSlots).toBe(5);
      expect(await budget.reservoir()).toBe(20 - 1 - 5);
    } finally {
      await limiters.stop();
      await sim.close();
    }
  });
});
