import { FILL_FIELDS } from '../core/fill';
import { LEDGER_FIELDS } from '../core/ledgerEntry';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runSimCommand } from './index';
import { getJson } from './testkit';

function firstLine(stream: PassThrough): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (c: Buffer) => {
      text += c.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) resolve(text.slice(0, nl));
    });
  });
}

describe('the sim command', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('prints one JSON line with url and credentials, writes the truth, serves until stopped', async () => {
    const stdout = new PassThrough();
    const stop = new AbortController();
    const truthFile = join(dir, 'truth.ndjson');
    const lines: string[] = [];
    stdout.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)));
    const done = runSimCommand(
      ['sim', '--seed', '3', '--orders', '250', '--symbols', '10', '--truth', truthFile],
      {
        stdout,
        signal: stop.signal,
      },
    );
    const info = JSON.parse(await firstLine(stdout)) as Record<string, string>;
    expect(Object.keys(info)).toEqual(['url', 'apiKey', 'secretKey', 'passphrase']);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const time = await getJson(info.url!, '/api/v2/public/time');
    expect(time.body.code).toBe('00000');
    const truth = readFileSync(truthFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(truth).toHaveLength(250);
    for (const key of ['orderId', 'market', 'kind', 'symbol', 'cTime', 'raw'])
      expect(truth[0]).toHaveProperty(key);
    expect(typeof truth[0]!.cTime).toBe('number');
    // The other data sets' truth beside it: `.fills` / `.ledger` before the extension.
    const beside = (name: string) =>
      readFileSync(join(dir, name), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const fills = beside('truth.fills.ndjson');
    expect(fills.length).toBeGreaterThan(0);
    expect(Object.keys(fills[0]!)).toEqual([...FILL_FIELDS, 'raw']);
    const ledger = beside('truth.ledger.ndjson');
    expect(new Set(ledger.map((e) => e['source']))).toEqual(new Set(['bills', 'tax']));
    expect(Object.keys(ledger[0]!)).toEqual([...LEDGER_FIELDS, 'raw']);
    stop.abort();
    await expect(done).resolves.toBe(0);
    expect(lines).toHaveLength(1);
  });

  test('rejects bad arguments with a non-zero exit and a reason on stderr', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    await expect(runSimCommand(['--mode', 'margin'], { stderr })).resolves.toBe(2);
    expect(err).toMatch(/classic or uta/);
  });

  test('serves until SIGTERM, then closes and resolves 0', async () => {
    // Other SIGTERM listeners of the test process are set aside so that only the simulator hears the signal.
    const others = process.listeners('SIGTERM');
    others.forEach((l) => process.off('SIGTERM', l));
    try {
      const stdout = new PassThrough();
      const done = runSimCommand(['--orders', '100', '--latency-ms', '5', '--fault-rate', '0'], { stdout });
      const info = JSON.parse(await firstLine(stdout)) as { url: string };
      expect((await getJson(info.url, '/api/v2/public/time')).status).toBe(200);
      expect(process.listenerCount('SIGTERM')).toBe(1);
      process.emit('SIGTERM');
      await expect(done).resolves.toBe(0);
      expect(process.listenerCount('SIGTERM')).toBe(0);
      await expect(getJson(info.url, '/api/v2/public/time')).rejects.toThrow();
    } finally {
      others.forEach((l) => process.on('SIGTERM', l));
    }
  });
});
