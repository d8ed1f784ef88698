/**
 * The fault campaign's cases. Each runs against the simulator and is compared with the ground truth: orders
 * lost, duplicates, whether the run finished or stopped with a clear resumable error (and then resumed), and
 * its time against the fault-free run. A run that does not finish must never report success.
 */
import type { ChildProcess } from 'node:child_process';
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BitgetClientOptions } from '../../src/bitget/client';
import type { CanonicalOrder } from '../../src/core/order';
import { parseExtractionRequest } from '../../src/core/request';
import { runLocalExtraction } from '../../src/runtime/runExtraction';
import type { FaultOptions, LatencySpec } from '../../src/sim';
import { createS3Client, RunStore, resultKeys, startLocalS3 } from '../../src/storage';
import type { Verification } from '../../src/verify/verifyAgainstTruth';
import { noFieldMismatches, verifyAgainstTruth } from '../../src/verify/verifyAgainstTruth';
import { lineTemplates } from '../lib/canonicalLines';
import { log, round } from '../lib/results';
import type { BenchSim } from '../lib/sim';
import { runCollectorTask } from '../lib/collectorTask';
import type { CollectorTaskArgs } from '../lib/collectorTask';
import { verifySortedResult, writeCollectorRun } from './collector';

export interface FaultCaseResult {
  case: string;
  fault: string;
  /**
   * finished: completed under the fault; stopped-resumed: stopped with a clear error (never a success), then
   * resumed to completion with the same run id; stopped-resume-failed: stopped honestly, but resuming did not
   * complete it; failed: anything else (a false success, or never complete).
   */
  outcome: 'finished' | 'stopped-resumed' | 'stopped-resume-failed' | 'failed';
  attempts: number;
  /** Attempts that reported success (exit 0 / SUCCEEDED + complete) although their result was not verified. */
  falseSuccesses: number;
  firstError: string | null;
  ordersTruth: number;
  ordersOut: number;
  lost: number;
  duplicates: number;
  unexpected: number;
  unsorted: number;
  alteredRaw: number;
  /** Orders with a canonical field unlike the truth's (see fieldMismatches in the extraction results). */
  mismatched: number;
  wallMs: number;
  timeVsFaultFree: number | null;
  requests: number | null;
  retries: number | null;
  http429: number | null;
  errors: Record<string, number>;
  simFaults: Record<string, number>;
  details?: Record<string, unknown>;
  ok: boolean;
}

export interface CampaignContext {
  sim: BenchSim;
  latency: LatencySpec;
  faultFreeMs: number | null;
  /** Verification is cached: the truth is streamed once per verification. */
}

async function* jsonl(lines: AsyncIterable<string>): AsyncGenerator<CanonicalOrder> {
  for await (const l of lines) if (l) yield JSON.parse(l) as CanonicalOrder;
}

function emptyVerification(expected: number): Verification {
  return {
    expected,
    received: 0,
    missing: expected,
    unexpected: 0,
    duplicates: 0,
    unsorted: 0,
    alteredRaw: 0,
    mismatched: 0,
    fields: noFieldMismatches(),
    ok: false,
    examples: [],
  };
}

async function truthCount(sim: BenchSim): Promise<number> {
  let n = 0;
  for await (const _t of sim.truth()) n++;
  return n;
}

function diffFaults(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

function finish(
  base: Omit<
    FaultCaseResult,
    | 'ordersTruth'
    | 'ordersOut'
    | 'lost'
    | 'duplicates'
    | 'unexpected'
    | 'unsorted'
    | 'alteredRaw'
    | 'mismatched'
    | 'ok'
    | 'timeVsFaultFree'
  >,
  v: Verification,
  faultFreeMs: number | null,
): FaultCaseResult {
  const r: FaultCaseResult = {
    ...base,
    ordersTruth: v.expected,
    ordersOut: v.received,
    lost: v.missing,
    duplicates: v.duplicates,
    unexpected: v.unexpected,
    unsorted: v.unsorted,
    alteredRaw: v.alteredRaw,
    mismatched: v.mismatched,
    timeVsFaultFree: faultFreeMs ? round(base.wallMs / faultFreeMs, 2) : null,
    ok: false,
  };
  r.ok = v.ok && r.falseSuccesses === 0 && r.outcome !== 'failed';
  log(
    `fault ${r.case}: ${r.outcome}, ${r.ordersOut}/${r.ordersTruth}, lost ${r.lost}, dup ${r.duplicates}, ` +
      `attempts ${r.attempts}, false successes ${r.falseSuccesses}, ${r.wallMs} ms (${r.timeVsFaultFree ?? '-'}×)` +
      (r.firstError ? `, first error: ${r.firstError.slice(0, 160)}` : ''),
  );
  return r;
}

/**
 * An in-process extraction (the local stack: aws-local-stepfunctions + s3rver) with faults injected in the
 * simulator. If the first attempt does not complete, it must say so (never success), and a second attempt
 * with the same run id and the faults cleared (`resumeWithoutFaults`) or kept must complete it.
 */
export async function inProcessCase(
  ctx: CampaignContext,
  c: {
    name: string;
    fault: string;
    faults: FaultOptions;
    invocationBudgetMs?: number;
    client?: Omit<BitgetClientOptions, 'credentials' | 'baseUrl'>;
    /** Injected this many ms after the start (e.g. the exchange going down mid-run). */
    faultsAfterMs?: number;
    maxAttempts?: number;
    clearFaultsBeforeResume?: boolean;
    retryIntervalMs?: number;
  },
): Promise<FaultCaseResult> {
  const dataDir = mkdtempSync(join(tmpdir(), `fault-${c.name}-`));
  const runId = `fault-${c.name}`;
  const request = parseExtractionRequest({});
  const statsBefore = await ctx.sim.stats();
  await ctx.sim.setFaults(c.faultsAfterMs ? { latency: ctx.latency } : { latency: ctx.latency, ...c.faults });
  const timer = c.faultsAfterMs
    ? setTimeout(() => void ctx.sim.setFaults({ latency: ctx.latency, ...c.faults }), c.faultsAfterMs)
    : null;
  const t0 = performance.now();
  let attempts = 0;
  let falseSuccesses = 0;
  let firstError: string | null = null;
  let verification: Verification | null = null;
  let summaryFigures: {
    requests: number;
    retries: number;
    http429: number;
    errors: Record<string, number>;
  } | null = null;
  let stoppedOnce = false;
  const attemptLog: {
    attempt: number;
    status: string;
    complete: boolean;
    error: string | null;
    ms: number;
  }[] = [];
  try {
    for (let i = 0; i < (c.maxAttempts ?? 3) && !verification?.ok; i++) {
      attempts++;
      if (i > 0 && (c.clearFaultsBeforeResume ?? true)) {
        if (timer) clearTimeout(timer);
        await ctx.sim.setFaults({ latency: ctx.latency });
      }
      const ta = performance.now();
      const run = await runLocalExtraction({
        dataDir,
        baseUrl: ctx.sim.url,
        credentials: ctx.sim.credentials,
        request,
        runId,
        ...(c.invocationBudgetMs ? { invocationBudgetMs: c.invocationBudgetMs } : {}),
        ...(c.client ? { client: c.client } : {}),
        ...(c.retryIntervalMs !== undefined ? { retryIntervalMs: c.retryIntervalMs } : {}),
      });
      try {
        const { execution, summary } = run;
        const claimsSuccess = execution.status === 'SUCCEEDED' && execution.output?.complete === true;
        if (summary)
          summaryFigures = {
            requests: summary.requests,
            retries: summary.retries,
            http429: summary.http429,
            errors: summary.errors,
          };
        attemptLog.push({
          attempt: i + 1,
          status: execution.status,
          complete: claimsSuccess,
          error: claimsSuccess
            ? null
            : `${execution.error ?? ''} ${execution.cause ?? summary?.missing.join('; ') ?? ''}`
                .replace(/\s+/g, ' ')
                .slice(0, 600),
          ms: Math.round(performance.now() - ta),
        });
        const resultKey = resultKeys(run.runId).ordersJsonl;
        const hasResult = await run.stack.store.exists(resultKey);
        if (claimsSuccess) {
          verification = await verifyAgainstTruth(
            jsonl(run.stack.store.readLines(resultKey)),
            ctx.sim.truth(),
          );
          if (!verification.ok) falseSuccesses++;
        } else {
          stoppedOnce = true;
          firstError ??=
            `${execution.status}: ${execution.error ?? ''} ${execution.cause ?? summary?.missing.join('; ') ?? ''}`
              .replace(/\s+/g, ' ')
              .slice(0, 400);
          // An incomplete run must not leave a result behind that looks complete.
          if (hasResult && summary?.complete) falseSuccesses++;
        }
      } finally {
        await run.stack.close();
      }
    }
  } finally {
    if (timer) clearTimeout(timer);
    await ctx.sim.setFaults({ latency: ctx.latency });
    rmSync(dataDir, { recursive: true, force: true });
  }
  const wallMs = Math.round(performance.now() - t0);
  const statsAfter = await ctx.sim.stats();
  const v = verification ?? emptyVerification(await truthCount(ctx.sim));
  return finish(
    {
      case: c.name,
      fault: c.fault,
      outcome: v.ok
        ? stoppedOnce
          ? 'stopped-resumed'
          : 'finished'
        : stoppedOnce && falseSuccesses === 0
          ? 'stopped-resume-failed'
          : 'failed',
      attempts,
      falseSuccesses,
      firstError,
      wallMs,
      requests: statsAfter.requests - statsBefore.requests,
      retries: summaryFigures?.retries ?? null,
      http429: summaryFigures?.http429 ?? null,
      errors: summaryFigures?.errors ?? {},
      simFaults: diffFaults(
        statsBefore.faults as Record<string, number>,
        statsAfter.faults as Record<string, number>,
      ),
      details: { attempts: attemptLog },
    },
    v,
    ctx.faultFreeMs,
  );
}

/** A seeded PRNG (mulberry32): kill points are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The CLI `extract` as a child process, SIGKILLed at random moments and restarted with the same run id and
 * data dir until it exits 0 (at least `kills` kill points). The simulator runs in its own process.
 */
export async function killResumeCase(
  ctx: CampaignContext,
  c: {
    kills: number;
    /** Kill points that must land inside the extraction (before it first completes). */
    minKillsInside: number;
    minMs: number;
    maxShare: number;
    seed: number;
    budgetMs: number;
    maxAttempts: number;
  },
): Promise<FaultCaseResult> {
  const root = mkdtempSync(join(tmpdir(), 'fault-kill-'));
  const dataDir = join(root, 'data');
  const out = join(root, 'out');
  const bin = resolve(__dirname, '..', '..', '..', 'bin', 'bitget-orders.js');
  const random = rng(c.seed);
  const runId = 'fault-kill-resume';
  const env = {
    ...process.env,
    BITGET_API_KEY: ctx.sim.credentials.apiKey,
    BITGET_SECRET_KEY: ctx.sim.credentials.secretKey,
    BITGET_PASSPHRASE: ctx.sim.credentials.passphrase,
  };
  // Reference: the same CLI run uninterrupted (its own run id and data dir), for the time ratio and kill window.
  const refStart = performance.now();
  const refExit = await new Promise<number | null>((res) => {
    const ref = spawn(
      process.execPath,
      [
        bin,
        'extract',
        '--base-url',
        ctx.sim.url,
        '--out',
        join(root, 'ref-out'),
        '--run-id',
        'kill-ref',
        '--data-dir',
        join(root, 'ref-data'),
        '--budget-ms',
        String(c.budgetMs),
      ],
      { stdio: 'ignore', env },
    );
    ref.once('exit', (code) => res(code));
  });
  const refMs = Math.round(performance.now() - refStart);
  const maxMs = Math.max(c.minMs + 1000, Math.round(refMs * c.maxShare));
  log(
    `fault kill-resume: uninterrupted CLI run ${refMs} ms (exit ${refExit}); kills at ${c.minMs}-${maxMs} ms`,
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
      const child: ChildProcess = spawn(
        process.execPath,
        [
          bin,
          'extract',
          '--base-url',
          ctx.sim.url,
          '--out',
          out,
          '--run-id',
          runId,
          '--data-dir',
          dataDir,
          '--budget-ms',
          String(c.budgetMs),
        ],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
          env,
        },
      );
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      const killer = killAt !== null ? setTimeout(() => child.kill('SIGKILL'), killAt) : null;
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) =>
        child.once('exit', (cd, s) => res([cd, s])),
      );
      if (killer) clearTimeout(killer);
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
        const file = join(out, 'orders.jsonl');
        const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
        verification = await verifyAgainstTruth(
          jsonl(
            (async function* () {
              yield* lines;
            })(),
          ),
          ctx.sim.truth(),
        );
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
  const v = verification ?? emptyVerification(await truthCount(ctx.sim));
  const killPoints = attemptsLog.filter((a) => a.killedAtMs !== null).length;
  const firstSuccess = attemptsLog.findIndex((a) => a.exit === 0);
  const killsBeforeComplete = attemptsLog
    .slice(0, firstSuccess < 0 ? attemptsLog.length : firstSuccess)
    .filter((a) => a.killedAtMs !== null).length;
  return finish(
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

/**
 * The collector killed mid-upload and rerun: a collector-heavy run (synthetic parts in a local s3rver), the
 * product's collectRun in a child process SIGKILLed while its multipart upload of results/ is in progress
 * (at 25-75 % of an uninterrupted collect's time), then rerun to completion. The killed attempts must leave
 * no result file and no summary that says complete.
 */
export async function collectorKillCase(c: {
  orders: number;
  parts: number;
  kills: number;
  seed: number;
}): Promise<FaultCaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fault-collector-'));
  const bucket = 'fault-collector';
  const s3 = await startLocalS3({ directory: dir, bucket });
  const store = new RunStore(createS3Client(s3), bucket);
  const random = rng(c.seed);
  const script = join(__dirname, '..', 'collectorChild.js');
  const runCollector = async (runId: string, killAtMs: number | null) => {
    const args: CollectorTaskArgs = {
      kind: 'collector',
      endpoint: s3.endpoint,
      bucket,
      runId,
      stallMs: 30_000,
    };
    if (!existsSync(script)) {
      // jest (TypeScript sources): in process, no kill possible
      const r = await runCollectorTask(args);
      return { exit: r.ok ? 0 : 1, killed: false, ms: r.ms };
    }
    const t = performance.now();
    const child = fork(script, [JSON.stringify(args)], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    const killer = killAtMs !== null ? setTimeout(() => child.kill('SIGKILL'), killAtMs) : null;
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) =>
      child.once('exit', (cd, s) => res([cd, s])),
    );
    if (killer) clearTimeout(killer);
    return {
      exit: code ?? signal ?? '?',
      killed: signal === 'SIGKILL',
      ms: Math.round(performance.now() - t),
    };
  };
  const attempts: {
    killAtMs: number | null;
    killed: boolean;
    exit: number | string;
    ms: number;
    resultLeft: boolean;
    summaryComplete: boolean;
  }[] = [];
  let falseSuccesses = 0;
  let verified: Awaited<ReturnType<typeof verifySortedResult>> | null = null;
  const t0 = performance.now();
  try {
    const templates = await lineTemplates();
    // A reference run, uninterrupted, to know how long collecting takes.
    await writeCollectorRun(store, 'ref', c.orders, c.parts, templates);
    const ref = await runCollector('ref', null);
    await writeCollectorRun(store, 'killed', c.orders, c.parts, templates);
    log(`fault collector-kill: uninterrupted collect ${ref.ms} ms`);
    for (let i = 0; i < c.kills + 1; i++) {
      const killAt = i < c.kills ? Math.round(ref.ms * (0.25 + 0.5 * random())) : null;
      const r = await runCollector('killed', killAt);
      const keys = resultKeys('killed');
      const resultLeft = await store.exists(keys.ordersJsonl);
      const summaryText = await store.getText(keys.summary);
      const summaryComplete = summaryText
        ? (JSON.parse(summaryText) as { complete?: boolean }).complete === true
        : false;
      attempts.push({
        killAtMs: killAt,
        killed: r.killed,
        exit: r.exit,
        ms: r.ms,
        resultLeft,
        summaryComplete,
      });
      if (r.killed && (resultLeft || summaryComplete)) falseSuccesses++;
      if (r.exit === 0) {
        verified = await verifySortedResult(store, keys.ordersJsonl);
        if (!verified.ok || verified.lines !== c.orders || !summaryComplete) falseSuccesses++;
        if (i >= c.kills) break;
      }
    }
  } finally {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const wallMs = Math.round(performance.now() - t0);
  const v: Verification = {
    expected: c.orders,
    received: verified?.lines ?? 0,
    missing: Math.max(0, c.orders - (verified?.lines ?? 0)),
    unexpected: Math.max(0, (verified?.lines ?? 0) - c.orders),
    duplicates: verified?.duplicates ?? 0,
    unsorted: verified?.unsorted ?? 0,
    alteredRaw: 0,
    // The collector case checks order, uniqueness and count of its merged lines; fields are not re-verified.
    mismatched: 0,
    fields: noFieldMismatches(),
    ok: verified?.ok === true && verified.lines === c.orders,
    examples: [],
  };
  const killed = attempts.filter((a) => a.killed).length;
  return finish(
    {
      case: 'collector-kill',
      fault: `collectRun (child process) SIGKILLed ${killed}× mid multipart upload of results/ (25-75 % into an uninterrupted collect of ${c.orders} orders in ${c.parts} parts, fewer than the S3 client's 50 sockets), rerun`,
      outcome: v.ok && killed >= Math.min(1, c.kills) ? 'stopped-resumed' : 'failed',
      attempts: attempts.length,
      falseSuccesses,
      firstError: null,
      wallMs,
      requests: null,
      retries: null,
      http429: null,
      errors: {},
      simFaults: {},
      details: {
        attempts,
        note: 'orders = unique orders; parts hold 0.1 % duplicates that the collector drops',
      },
    },
    v,
    null,
  );
}
