import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runCli } from './support';

jest.setTimeout(60_000);

const KEYS = { BITGET_API_KEY: 'k-test', BITGET_SECRET_KEY: 's-test', BITGET_PASSPHRASE: 'p-test' };

describe('the command line: paper cuts', () => {
  let dir: string;
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'cli-cuts-'));
    busy = createServer();
    await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok));
    busyPort = (busy.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((ok) => busy.close(ok));
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints its version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^bitget-orders \d+\.\d+\.\d+\n$/);
  });

  it('prints a command\'s help on stdout for "help <command>" and "<command> --help"', async () => {
    for (const args of [
      ['help', 'extract'],
      ['extract', '--help'],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: extract [options]');
      expect(r.stdout).toContain('--since <time>');
      expect(r.stderr).toBe('');
    }
    const sim = await runCli(['sim', '--help']);
    expect(sim.stdout).toContain('Usage: sim [options]');
    const unknown = await runCli(['help', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no command "nope"');
  });

  it('refuses a date that does not exist, and says "since must be before until" once', async () => {
    const bad = await runCli(['extract', '--since', '2026-02-30'], KEYS);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('2026-02-30: 2026-02 has days 01 to 28, not 30');
    const order = await runCli(
      ['extract', '--since', '2026-09-02T00:00:00Z', '--until', '1788220800000'],
      KEYS,
    );
    expect(order.code).toBe(2);
    expect(order.stderr).toContain('since must be before until');
    expect(order.stderr).not.toContain('since since');
  });

  it('refuses sim --port 99999 and --days 1200 with the valid range (history reaches 1100 days: the archive)', async () => {
    const port = await runCli(['sim', '--port', '99999']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain(
      "option '--port <n>' argument '99999' is invalid. expected an integer from 0 to 65535",
    );
    const days = await runCli(['sim', '--days', '1200']);
    expect(days.code).toBe(2);
    expect(days.stderr).toContain('expected an integer from 1 to 1100');
  });

  it('says in words that a port is in use (sim and serve)', async () => {
    const sim = await runCli(['sim', '--port', String(busyPort), '--orders', '10']);
    expect(sim.code).toBe(1);
    expect(sim.stderr).toContain(`sim: port ${busyPort} on 127.0.0.1 is in use`);
    const serve = await runCli(['serve', '--port', String(busyPort), '--data-dir', join(dir, 'serve')], {
      ...KEYS,
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
    });
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain(`serve: port ${busyPort} on 127.0.0.1 is in use`);
    expect(serve.stderr).not.toContain('EADDRINUSE');
  });

  it('says in words that the database cannot be reached', async () => {
    const r = await runCli(['serve', '--port', '0', '--data-dir', join(dir, 'serve-db')], {
      ...KEYS,
      DATABASE_URL: 'mysql://root@127.0.0.1:1/test',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'serve: cannot reach the database at mysql://root@127.0.0.1:1/test (connection refused: is the database server running?): check DATABASE_URL',
    );
    expect(r.stderr).not.toContain('migration');
  });
});
