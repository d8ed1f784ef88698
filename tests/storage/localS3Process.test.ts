import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The S3 server in a process of its own runs from the compiled project (the CLI and the bench use it; ts-jest
 * has no compiled child entry), so these tests drive dist/ through a small parent script.
 */
const ROOT = join(__dirname, '..', '..');
const DIST_STORAGE = join(ROOT, 'dist', 'src', 'storage', 'index.js');

const PARENT = `
const { startLocalS3Process, createS3Client, RunStore } = require(${JSON.stringify(DIST_STORAGE)});
(async () => {
  const s3 = await startLocalS3Process({ directory: process.argv[2], bucket: 'proc-bucket' });
  const store = new RunStore(createS3Client(s3), s3.bucket);
  await store.putText('runs/x/a.txt', 'hello from the parent');
  const back = await store.getText('runs/x/a.txt');
  console.log(JSON.stringify({ pid: s3.pid, back }));
  if (process.argv[3] === 'close') { await s3.close(); console.log(JSON.stringify({ closed: true })); }
  else setInterval(() => {}, 1000);
})().catch((e) => { console.error(e); process.exit(1); });
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

function runParent(dir: string, mode: 'close' | 'stay') {
  const script = join(dir, 'parent.js');
  writeFileSync(script, PARENT);
  const child = spawn(process.execPath, [script, join(dir, 's3'), mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
  });
  return { child, lines };
}

describe('startLocalS3Process: the local S3 server in a process of its own', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(DIST_STORAGE)) {
      const built = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
        { cwd: ROOT },
      );
      expect(built.status).toBe(0);
    }
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 's3proc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the S3 protocol to the same client code and stops when closed', async () => {
    const { child, lines } = runParent(dir, 'close');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const first = JSON.parse(lines[0]!) as { pid: number; back: string };
    expect(first.back).toBe('hello from the parent');
    expect(first.pid).not.toBe(child.pid);
    expect(JSON.parse(lines[1]!)).toEqual({ closed: true });
    expect(await until(() => !alive(first.pid), 5000)).toBe(true);
  });

  it('exits when its parent is killed outright, leaving no orphan server behind', async () => {
    const { child, lines } = runParent(dir, 'stay');
    expect(await until(() => lines.length > 0, 20_000)).toBe(true);
    const { pid } = JSON.parse(lines[0]!) as { pid: number };
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await until(() => !alive(pid), 10_000)).toBe(true);
  });
});
