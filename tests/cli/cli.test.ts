import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin', 'bitget-orders.js');
const NODE = process.execPath; // the Node 22 running jest

interface SimLine {
  url: string;
  apiKey: string;
  secretKey: string;
  passphrase: string;
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(NODE, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('the bitget-orders command line (the contract other tools rely on)', () => {
  let sim: ReturnType<typeof spawn>;
  let line: SimLine;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
      const built = spawnSync(
        NODE,
        [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
        {
          cwd: ROOT,
        },
      );
      expect(built.status).toBe(0);
    }
    dir = mkdtempSync(join(tmpdir(), 'cli-'));
    sim = spawn(NODE, [BIN, 'sim', '--orders', '800', '--symbols', '6', '--seed', '9'], { cwd: ROOT });
    const first = await new Promise<string>((ok) => createInterface({ input: sim.stdout! }).once('line', ok));
    line = JSON.parse(first) as SimLine;
  });
  afterAll(() => {
    sim.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('sim prints one JSON line with its URL and keys', () => {
    expect(Object.keys(line).sort()).toEqual(['apiKey', 'passphrase', 'secretKey', 'url']);
    expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('extract writes orders.jsonl, orders.json and summary.json and exits 0 when complete', async () => {
    const out = join(dir, 'out');
    const r = await run(['extract', '--base-url', line.url, '--out', out, '--data-dir', join(dir, 'data')], {
      BITGET_API_KEY: line.apiKey,
      BITGET_API_SECRET: line.secretKey, // the other system's spelling is accepted too
      BITGET_API_PASSPHRASE: line.passphrase,
    });
    expect(r.code).toBe(0);
    const jsonl = readFileSync(join(out, 'orders.jsonl'), 'utf8').trim().split('\n');
    expect(jsonl).toHaveLength(800);
    const json = JSON.parse(readFileSync(join(out, 'orders.json'), 'utf8')) as {
      orders: { orderId: string }[];
    };
    expect(json.orders.map((o) => o.orderId)).toEqual(
      jsonl.map((l) => (JSON.parse(l) as { orderId: string }).orderId),
    );
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      complete: boolean;
      orders: number;
    };
    expect(summary).toMatchObject({ complete: true, orders: 800 });
    expect(r.stderr).not.toContain(line.secretKey);
  });

  it('extract exits non-zero with one line naming the reason when the keys are wrong, and leaks no secret', async () => {
    const r = await run(
      ['extract', '--base-url', line.url, '--out', join(dir, 'bad'), '--data-dir', join(dir, 'data')],
      {
        BITGET_API_KEY: line.apiKey,
        BITGET_SECRET_KEY: 'wrong-secret-value',
        BITGET_PASSPHRASE: line.passphrase,
      },
    );
    expect(r.code).toBe(1);
    const last = r.stderr.trim().split('\n').pop()!;
    expect(last).toMatch(/did not complete.*40009/);
    expect(r.stderr + r.stdout).not.toContain('wrong-secret-value');
    expect(existsSync(join(dir, 'bad', 'orders.jsonl'))).toBe(false);
  });

  it('extract refuses bad input with exit 2 and a message naming the field', async () => {
    const r = await run(['extract', '--markets', 'options'], {
      BITGET_API_KEY: 'k',
      BITGET_SECRET_KEY: 's',
      BITGET_PASSPHRASE: 'p',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/markets/);
    const noKeys = await run(['extract'], {
      BITGET_API_KEY: '',
      BITGET_SECRET_KEY: '',
      BITGET_PASSPHRASE: '',
    });
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toMatch(/BITGET_API_KEY/);
  });
});
