import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The S3 server in a process of its own runs from the compiled project (the CLI and the bench use it; ts-jest
 * has no compiled child entry), so these tests drive dist/ through a small parent script.
 */
const ROOT = join(__dirname, '..', '..');
const DIST_STORAGE = join(ROOT, 'dist', 'src', 'storage', 'index.js');
const DIST_PROCESS = join(ROOT, 'dist', 'src', 'storage', 'localS3Process.js');

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

/** Distinctive values in the parent's environment that the S3 server's process must never see. */
const PARENT_SECRETS = {
  BITGET_API_KEY: 'bg_parent_only_key_5c1e9a',
  BITGET_SECRET_KEY: 'parent-only-secret-7d2f4b',
  BITGET_PASSPHRASE: 'parent-only-passphrase-0a8c',
  AWS_SECRET_ACCESS_KEY: 'parent-only-aws-secret-3e6d',
  DATABASE_URL: 'mysql://u:parent-only-db-pw@db.example:3306/x',
};

/** Every file and directory under `root` with its permission bits. */
function modesUnder(root: string): { path: string; dir: boolean; mode: number }[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).map((rel) => {
    const st = statSync(join(root, rel));
    return { path: rel, dir: st.isDirectory(), mode: st.mode & 0o777 };
  });
}

function runParent(dir: string, mode: 'close' | 'stay') {
  const script = join(dir, 'parent.js');
  writeFileSync(script, PARENT);
  const child = spawn(process.execPath, [script, join(dir, 'data', 's3'), mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...PARENT_SECRETS },
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
  // The allow-list as the compiled child sees it (loaded after the build below).
  let CHILD_ENVIRONMENT: readonly string[] = [];
  let dir: string;
  beforeAll(async () => {
    if (!existsSync(DIST_STORAGE)) {
      const built = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
        { cwd: ROOT },
      );
      expect(built.status).toBe(0);
    }
    ({ CHILD_ENVIRONMENT } = (await import(DIST_PROCESS)) as { CHILD_ENVIRONMENT: readonly string[] });
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

  (process.platform === 'linux' ? it : it.skip)(
    'inherits none of the parent’s secrets, only the variables CHILD_ENVIRONMENT names (read from /proc on Linux)',
    async () => {
      const { child, lines } = runParent(dir, 'stay');
      try {
        expect(await until(() => lines.length > 0, 20_000)).toBe(true);
        const { pid } = JSON.parse(lines[0]!) as { pid: number };
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
        const keys = environ
          .split('\0')
          .filter(Boolean)
          .map((kv) => kv.slice(0, kv.indexOf('=')));
        for (const value of Object.values(PARENT_SECRETS)) expect(environ.includes(value)).toBe(false);
        for (const key of Object.keys(PARENT_SECRETS)) expect(keys).not.toContain(key);
        // What is left: the allow-list, plus the IPC channel Node itself adds for fork().
        const allowed = new Set<string>([
          ...CHILD_ENVIRONMENT,
          'NODE_CHANNEL_FD',
          'NODE_CHANNEL_SERIALIZATION_MODE',
        ]);
        expect(keys.filter((k) => !allowed.has(k))).toEqual([]);
        expect(keys).toContain('PATH');
      } finally {
        child.kill('SIGKILL');
      }
    },
  );

  it('keeps its data directory 0700 and every file it writes 0600', async () => {
    const { child } = runParent(dir, 'close');
    expect(await new Promise<number | null>((resolve) => child.once('exit', resolve))).toBe(0);
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'data', 's3')).mode & 0o777).toBe(0o700);
    const entries = modesUnder(join(dir, 'data', 's3'));
    expect(entries.filter((e) => !e.dir).map((e) => e.path)).toEqual(
      expect.arrayContaining([expect.stringContaining('a.txt')]),
    );
    const wrong = entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600));
    expect(wrong).toEqual([]);
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
