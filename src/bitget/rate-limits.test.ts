import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CREDENTIALS } from '../../tests/fixtures/bitget/fixtures';
import { BitgetClient } from './client';
import { DEFAULT_RATE_MARGIN, RateLimiters, SpacingGate, minTimeFor } from './rate-limits';

const SPOT = '/api/v2/spot/trade/history-orders';
const FUTURES = '/api/v2/mix/order/orders-history';
const UTA = '/api/v3/trade/history-orders';

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

describe('minimum spacing', () => {
  it('is 1000 / (rate × margin) ms, rounded up', () => {
    expect(DEFAULT_RATE_MARGIN).toBe(0.95);
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

describe('the limiters', () => {
  let server: WindowServer;
  let limiters: RateLimiters;
  afterEach(async () => {
    await limiters.stop();
    await stopWindowServer(server);
  });

  it('never let more than the budget of an endpoint through in any sliding second, with the default margin', async () => {
    server = await startWindowServer({
      [SPOT]: { budget: 20, data: [] },
      [FUTURES]: { budget: 10, data: { entrustedList: [], endId: null } },
    });
    limiters = new RateLimiters();
    const options = { credentials: CREDENTIALS, baseUrl: server.url, limiters };
    // Two clients of the same account share one budget per endpoint.
    const first = new BitgetClient(options);
    const second = new BitgetClient(options);
    await Promise.all([
      ...Array.from({ length: 44 }, (_, i) => (i % 2 ? first : second).getSpotHistoryOrders({ limit: 100 })),
      ...Array.from({ length: 21 }, () => first.getFuturesHistoryOrders({ productType: 'USDT-FUTURES' })),
    ]);
    expect(first.stats().http429 + second.stats().http429).toBe(0);
    const spot = await server.arrivals(SPOT);
    const futures = await server.arrivals(FUTURES);
    expect(spot).toHaveLength(44);
    expect(futures).toHaveLength(21);
    expect(busiestSecond(spot)).toBeLessThanOrEqual(20);
    expect(busiestSecond(futures)).toBeLessThanOrEqual(10);
  });

  it('are checked by a window test that does catch a limiter set above the budget', async () => {
    server = await startWindowServer({ [SPOT]: { budget: 20, data: [] } });
    limiters = new RateLimiters({ margin: 1, ratePerSecond: { spotHistoryOrders: 40 } });
    const client = new BitgetClient({ credentials: CREDENTIALS, baseUrl: server.url, limiters, retries: 0 });
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => client.getSpotHistoryOrders()));
    expect(busiestSecond(await server.arrivals(SPOT))).toBeGreaterThan(20);
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
    expect(client.stats().http429).toBeGreaterThan(0);
    // Every 429 came from the one endpoint under test, and is attributed to it.
    expect(client.stats().http429ByEndpoint).toEqual({ spotHistoryOrders: client.stats().http429 });
    expect(client.stats().errors.rate_limit).toBeGreaterThan(0);
  });

  it('hold every request to the shared IP budget as well', async () => {
    server = await startWindowServer({
      [SPOT]: { budget: 20, data: [] },
      [UTA]: { budget: 20, data: { list: [], cursor: '' } },
    });
    limiters = new RateLimiters({ ipPerMinute: 600 }); // 10/s for the whole IP
    const client = new BitgetClient({ credentials: CREDENTIALS, baseUrl: server.url, limiters });
    await Promise.all([
      ...Array.from({ length: 11 }, () => client.getSpotHistoryOrders()),
      ...Array.from({ length: 11 }, () => client.getUtaHistoryOrders({ category: 'SPOT' })),
    ]);
    const all = await server.arrivals();
    expect(all).toHaveLength(23); // 22 calls and the server-time sync
    expect(busiestSecond(all)).toBeLessThanOrEqual(10);
  });
});
