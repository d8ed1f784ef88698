/**
 * The CLI `extract` as a child process, SIGKILLed at random moments and restarted with the same run id and
 * data dir until it exits 0 (at least `kills` kill points). The simulator runs in its own process.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { CanonicalOrder } from '../../../src/core/order';
import { createRng } from '../../../src/sim/rng';
import type { Verification } from '../../../src/verify/verifyAgainstTruth';
import { verifyAgainstTruth } from '../../../src/verify/verifyAgainstTruth';
import { exitOf } from '../../lib/childExit';
import { log } from '../../lib/results';
import type { CampaignContext, FaultCaseResult } from './faultCaseResult';
import { finishCase, nothingDelivered } from './faultCaseResult';

export interface KillResumeCase {
  kills: number;
  /** Kill points that must land inside the extraction (before it first completes). */
  minKillsInside: number;
  minMs: number;
  maxShare: number;
  seed: number;
  budgetMs: number;
  maxAttempts: number;
}

/** The orders of the CLI's `orders.jsonl` (none when it wrote no file). */
async function* ordersInFile(file: string): AsyncGenerator<CanonicalOrder> {
  if (!existsSync(file)) return;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity }))
    if (line) yield JSON.parse(line) as CanonicalOrder;
}

export async function killResumeCase(ctx: CampaignContext, c: KillResumeCase): Promise<FaultCaseResult> {
  const root = mkdtempSync(join(tmpdir(), 'fault-kill-'));
  const dataDir = join(root, 'data');
  const out = join(root, 'out');
  const bin = resolve(__dirname, '..', '..', '..', '..', 'bin', 'bitget-orders.js');
  const random = createRng(c.seed).next;
  const runId = 'fault-kill-resume';
  const env = {
    ...process.env,
    BITGET_API_KEY: ctx.sim.credentials.apiKey,
    BITGET_SECRET_KEY: ctx.sim.credentials.secretKey,
    BITGET_PASSPHRASE: ctx.sim.credentials.passphrase,
  };
  const extract = (outDir: string, id: string, dir: string) =>
    [bin, 'extract', '--base-url', ctx.sim.url, '--out', outDir, '--run-id', id, '--data-dir', dir].concat([
      '--budget-ms',
      String(c.budgetMs),
    ]);
  // Reference: the same CLI run uninterrupted (its own run id and data dir), for the time ratio and kill window.
  const refStart = performance.now();
  const ref = await exitOf(
    spawn(process.execPath, extract(join(root, 'ref-out'), 'kill-ref', join(root, 'ref-data')), {
      stdio: 'ignore',
      env,
    }),
    null,
  );
  const refMs = Math.round(performance.now() - refStart);
  const maxMs = Math.max(c.minMs + 1000, Math.round(refMs * c.maxShare));
  log(
    `fault kill-resume: uninterrupted CLI run ${refMs} ms (exit ${ref.code}); kills at ${c.minMs}-${maxMs} ms`,
  );
  const attemptsLog: { attempt: number; killedAtMs: number | null; exit: number | string; ms: number }[] = [];
  let falseSuccesses = 0;
  let verification: Verification | null = null;
  const statsBefore = await ctx.sim.stats();
  const t0 = performance.now();
  let firstError: string | null = null;
  try {
    let kills = 0;
    for (let attempt = 1; attempt <= c.maxAttempts; attempt++) {
      const killAt = kills < c.kills ? Math.round(c.minMs + random() * (maxMs - c.minMs)) : null;
      const started = performance.now();
      const child = spawn(process.execPath, extract(out, runId, dataDir), {
        stdio: ['ignore', 'ignore', 'pipe'],
        env,
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      const { code, signal } = await exitOf(child, killAt);
      const ms = Math.round(performance.now() - started);
      attemptsLog.push({
        attempt,
        killedAtMs: signal === 'SIGKILL' ? killAt : null,
        exit: code ?? signal ?? '?',
        ms,
      });
      if (signal === 'SIGKILL') {
        kills++;
        continue;
      }
      if (code === 0) {
        verification = await verifyAgainstTruth(ordersInFile(join(out, 'orders.jsonl')), ctx.sim.truth());
        if (!verification.ok) falseSuccesses++;
        // Exited 0 before its kill point: the run was complete; keep killing reruns until enough kill points.
        if (killAt === null) break;
        continue;
      }
      const last = stderr.trim().split('\n').at(-1) ?? '';
      firstError ??= `exit ${code}: ${last.slice(0, 300)}`;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const wallMs = Math.round(performance.now() - t0);
  const statsAfter = await ctx.sim.stats();
  const v = verification ?? (await nothingDelivered(ctx.sim));
  const killPoints = attemptsLog.filter((a) => a.killedAtMs !== null).length;
  const firstSuccess = attemptsLog.findIndex((a) => a.exit === 0);
  const killsBeforeComplete = attemptsLog
    .slice(0, firstSuccess < 0 ? attemptsLog.length : firstSuccess)
    .filter((a) => a.killedAtMs !== null).length;
  return finishCase(
    {
      case: 'kill-resume',
      fault: `CLI extract (${ctx.sim.orders ?? '?'} orders) SIGKILLed at ${killPoints} random moments (${c.minMs}-${maxMs} ms after each start; ${killsBeforeComplete} before the run first completed), restarted with the same --run-id/--data-dir until exit 0; --budget-ms ${c.budgetMs}`,
      outcome: v.ok && killsBeforeComplete >= c.minKillsInside ? 'stopped-resumed' : 'failed',
      attempts: attemptsLog.length,
      falseSuccesses,
      firstError,
      wallMs,
      requests: statsAfter.requests - statsBefore.requests,
      retries: null,
      http429: null,
      errors: {},
      simFaults: {},
      details: {
        killPoints,
        killsBeforeComplete,
        note: 'killsBeforeComplete: kill points before the first exit 0 (inside the extraction); later kills hit reruns of the completed run',
        attempts: attemptsLog,
      },
    },
    v,
    refMs,
  );
}
