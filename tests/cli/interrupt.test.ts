import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../../src/sim';
import type { Simulator } from '../../src/sim';
import { ensureBuilt, runCli, startCli, waitFor } from './support';

jest.setTimeout(180_000);

describe('extract: interrupts and reruns', () => {
  let sim: Simulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    ensureBuilt();
    sim = await startSimulator({ seed: 21, orders: 6000, symbols: 8, latency: { medianMs: 80, p99Ms: 300 } });
    env = {
      BITGET_API_KEY: sim.credentials.apiKey,
      BITGET_SECRET_KEY: sim.credentials.secretKey,
      BITGET_PASSPHRASE: sim.credentials.passphrase,
    };
    dir = mkdtempSync(join(tmpdir(), 'cli-int-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const served = () => Object.values(sim.stats().served).reduce((a, b) => a + (b ?? 0), 0);
  /** Resolves once the simulator has served `n` more requests than when called. */
  const afterRequests = async (n: number) => {
    const from = served();
    await waitFor(() => String(served() - from >= n), /true/);
  };

  it('stops on Ctrl-C with the run id and the exact resume command, refuses a second process and differing options, and the resume completes', async () => {
    const data = join(dir, 'data');
    const out = join(dir, 'out');
    const common = ['--base-url', sim.url, '--data-dir', data, '--out', out];
    const first = startCli(['extract', '--run-id', 'r-int', ...common], env);
    await afterRequests(20);

    const second = await runCli(['extract', '--run-id', 'r-int', ...common], env);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`run r-int is already being extracted by process ${first.child.pid}`);

    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('SIGINT: finishing the requests in flight and saving the cursors');
    expect(stopped.stderr).toContain(
      `run r-int stopped; its cursors are saved. Resume with:\n  bitget-orders extract --run-id r-int --base-url ${sim.url} --data-dir ${data} --out ${out}\n`,
    );
    expect(existsSync(join(out, 'orders.jsonl'))).toBe(false);
    const lanes = readdirSync(join(data, 's3'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      /runs\/r-int\/lanes\/.*\.json\._S3rver_object$/.test(f),
    );
    expect(lanes.length).toBeGreaterThan(0);

    const differing = await runCli(
      ['extract', '--run-id', 'r-int', ...common, '--markets', 'spot', '--order', 'desc'],
      env,
    );
    expect(differing.code).toBe(2);
    expect(differing.stderr).toContain(
      'run r-int was started with markets spot,usdt-futures,usdc-futures,coin-futures, order asc, not markets spot, order desc',
    );

    const resumed = await runCli(['extract', '--run-id', 'r-int', ...common], env);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('resuming run r-int with the options it was started with');
    const lines = readFileSync(join(out, 'orders.jsonl'), 'utf8').trim().split('\n');
    expect(new Set(lines.map((l) => (JSON.parse(l) as { orderId: string }).orderId)).size).toBe(lines.length);
    expect(lines.length).toBe(6000);
  });

  it('exits 143 on SIGTERM after saving, and at once on a second Ctrl-C', async () => {
    const term = startCli(
      ['extract', '--base-url', sim.url, '--data-dir', join(dir, 'd-term'), '--out', join(dir, 'o-term')],
      env,
    );
    await afterRequests(10);
    term.child.kill('SIGTERM');
    const t = await term.done;
    expect(t.code).toBe(143);
    expect(t.stderr).toMatch(
      /run run-\S+ stopped; its cursors are saved\. Resume with:\n {2}bitget-orders extract --run-id run-\S+ /,
    );

    const twice = startCli(
      ['extract', '--base-url', sim.url, '--data-dir', join(dir, 'd-twice'), '--out', join(dir, 'o-twice')],
      env,
    );
    await afterRequests(10);
    twice.child.kill('SIGINT');
    await waitFor(twice.stderrText, /Ctrl-C again quits at once/);
    twice.child.kill('SIGINT');
    const r = await twice.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('stopped at once; the last checkpoint stands. Resume with:');
  });

  it('checks every output path before the first request', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const before = served();
    const r = await runCli(
      ['extract', '--base-url', sim.url, '--data-dir', join(dir, 'd-file'), '--out', file],
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out ${file} is a file: name a directory`);
    const d = await runCli(
      ['extract', '--base-url', sim.url, '--data-dir', join(file, 'sub'), '--out', join(dir, 'o')],
      env,
    );
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('--data-dir');
    expect(served()).toBe(before);
  });

  it("does not replace another run's result without --force, and writes no temporary file", async () => {
    const out = join(dir, 'kept');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'summary.json'), JSON.stringify({ runId: 'earlier-run', orders: 20000 }));
    writeFileSync(join(out, 'orders.jsonl'), 'the earlier result\n');
    const args = [
      'extract',
      '--base-url',
      sim.url,
      '--data-dir',
      join(dir, 'd-kept'),
      '--out',
      out,
      '--markets',
      'spot',
      '--kinds',
      'plan',
    ];
    const refused = await runCli(args, env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `--out ${out} holds the result of run earlier-run (20000 orders): pass --force`,
    );
    expect(readFileSync(join(out, 'orders.jsonl'), 'utf8')).toBe('the earlier result\n');

    const forced = await runCli([...args, '--force'], env);
    expect(forced.code).toBe(0);
    expect((JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { runId: string }).runId).not.toBe(
      'earlier-run',
    );
    // The three data sets' files (all three by default), the report and the summary: no temporary file.
    expect(readdirSync(out).sort()).toEqual([
      'fills.jsonl',
      'ledger.jsonl',
      'orders.json',
      'orders.jsonl',
      'report.html',
      'summary.json',
    ]);
  });
});
