/**
 * The collector killed mid-upload and rerun: a collector-heavy run (synthetic parts in a local s3rver), the
 * product's collectRun in a child process SIGKILLed while its multipart upload of results/ is in progress
 * (at 25-75 % of an uninterrupted collect's time), then rerun to completion. The killed attempts must leave
 * no result file and no summary that says complete.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../../src/sim/rng';
import { createS3Client, RunStore, resultKeys, startLocalS3 } from '../../../src/storage';
import type { Verification } from '../../../src/verify/verifyAgainstTruth';
import { noFieldMismatches } from '../../../src/verify/verifyAgainstTruth';
import { lineTemplates } from '../../lib/canonicalLines';
import { runCollectorTask } from '../../lib/collectorTask';
import type { CollectorTaskArgs } from '../../lib/collectorTask';
import { exitOf } from '../../lib/childExit';
import { log } from '../../lib/results';
import { verifySortedResult, writeCollectorRun } from '../collector';
import type { FaultCaseResult } from './faultCaseResult';
import { finishCase } from './faultCaseResult';

export interface CollectorKillCase {
  orders: number;
  parts: number;
  kills: number;
  seed: number;
}

export async function collectorKillCase(c: CollectorKillCase): Promise<FaultCaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fault-collector-'));
  const bucket = 'fault-collector';
  const s3 = await startLocalS3({ directory: dir, bucket });
  const store = new RunStore(createS3Client(s3), bucket);
  const random = createRng(c.seed).next;
  const script = join(__dirname, '..', '..', 'collectorChild.js');
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
    const { code, signal } = await exitOf(child, killAtMs);
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
  const lines = verified?.lines ?? 0;
  // The parts are synthetic (no truth): the merged lines are checked for order, uniqueness and count only.
  const v: Verification = {
    expected: c.orders,
    received: lines,
    missing: Math.max(0, c.orders - lines),
    unexpected: Math.max(0, lines - c.orders),
    duplicates: verified?.duplicates ?? 0,
    unsorted: verified?.unsorted ?? 0,
    alteredRaw: 0,
    mismatched: 0,
    fields: noFieldMismatches(),
    ok: verified?.ok === true && lines === c.orders,
    examples: [],
  };
  const killed = attempts.filter((a) => a.killed).length;
  return finishCase(
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
