import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../../src/sim';
import type { Simulator } from '../../src/sim';
import { ensureBuilt, runCli, startFailingProxy } from './support';

jest.setTimeout(120_000);

const FAKE_KEYS = { BITGET_API_KEY: 'k-test', BITGET_SECRET_KEY: 's-test', BITGET_PASSPHRASE: 'p-test' };

describe('extract: failures that speak at once', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'cli-fail-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const args = (name: string, ...rest: string[]) => [
    'extract',
    '--data-dir',
    join(dir, `data-${name}`),
    '--out',
    join(dir, `out-${name}`),
    ...rest,
  ];

  it('refuses a --base-url that is not a URL with exit 2, before any request', async () => {
    const r = await runCli(args('not-url', '--base-url', 'not-a-url'), FAKE_KEYS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--base-url "not-a-url" is not a URL');
    expect(r.stderr).not.toMatch(/attempt|Resume/);
  });

  it('refuses a BITGET_BASE_URL with a path, naming the variable', async () => {
    const r = await runCli(args('path'), { ...FAKE_KEYS, BITGET_BASE_URL: 'https://api.bitget.com/api/v2' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('BITGET_BASE_URL');
    expect(r.stderr).toContain('https://api.bitget.com');
  });

  it('says in words that a name cannot be resolved, with no resume advice', async () => {
    const r = await runCli(args('dns', '--base-url', 'https://exchange.invalid'), FAKE_KEYS);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').pop()).toBe(
      'extract: cannot resolve exchange.invalid: check the network or --base-url',
    );
    expect(r.stderr).not.toContain('Resume');
    // Said at once: no retry was announced before the message (a configuration error is not retried).
    expect(r.stderr).not.toMatch(/retrying/);
  });

  it('says in words that nothing listens at the address, with no resume advice', async () => {
    const r = await runCli(args('refused', '--base-url', 'http://127.0.0.1:1'), FAKE_KEYS);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('127.0.0.1:1 refused the connection');
    expect(r.stderr).not.toContain('Resume');
    // Said at once: no retry was announced before the message (a configuration error is not retried).
    expect(r.stderr).not.toMatch(/retrying/);
  });

  describe('against the simulator', () => {
    let sim: Simulator;
    beforeAll(async () => {
      sim = await startSimulator({ seed: 5, orders: 300, symbols: 4 });
    });
    afterAll(() => sim.close());

    it('ends with the report: names symbols the exchange does not have and says there was nothing to fetch', async () => {
      const r = await runCli(args('foo', '--base-url', sim.url, '--symbols', 'FOOUSDT'), {
        BITGET_API_KEY: sim.credentials.apiKey,
        BITGET_SECRET_KEY: sim.credentials.secretKey,
        BITGET_PASSPHRASE: sim.credentials.passphrase,
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('extract: Extraction: 0 orders in ');
      expect(r.stderr).toContain('extract:    nothing to fetch: the exchange holds no order between ');
      expect(r.stderr).toContain('extract:    not on the exchange: FOOUSDT (nothing fetched for them)');
      expect(r.stderr).toContain('extract:    note: Bitget serves order history for the last 90 days only');
      expect(r.stderr).toMatch(/extract: {4}files: {5}\/.*orders\.jsonl/);
    });

    it('says on stderr what it waits for when the exchange answers 503, and still completes', async () => {
      const proxy = await startFailingProxy(sim.url, {
        pathPrefix: '/api/v2/spot/trade/history-orders',
        count: 4,
        status: 503,
      });
      try {
        const r = await runCli(
          args('retry', '--base-url', proxy.url, '--markets', 'spot', '--kinds', 'normal'),
          {
            BITGET_API_KEY: sim.credentials.apiKey,
            BITGET_SECRET_KEY: sim.credentials.secretKey,
            BITGET_PASSPHRASE: sim.credentials.passphrase,
          },
        );
        expect(proxy.failed()).toBe(4);
        expect(r.stderr).toMatch(/extract: retrying spot-history in \d\.\d s: HTTP 503 \(retry 4\)/);
        expect(r.code).toBe(0);
      } finally {
        await proxy.close();
      }
    });
  });
});
