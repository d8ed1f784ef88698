/**
 * A fault injected in the simulator under an in-process extraction (the local stack: aws-local-stepfunctions +
 * s3rver). If the first attempt does not complete, it must say so (never success), and a later attempt with
 * the same run id, the faults cleared (`clearFaultsBeforeResume`, the default) or kept, must complete it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BitgetClientOptions } from '../../../src/bitget/BitgetClient';
import { parseExtractionRequest } from '../../../src/core/request';
import { runLocalExtraction } from '../../../src/runtime/runExtraction';
import type { FaultOptions } from '../../../src/sim';
import { resultKeys } from '../../../src/storage';
import type { Verification } from '../../../src/verify/verifyAgainstTruth';
import { readResultOrders, verifyAgainstTruth } from '../../../src/verify/verifyAgainstTruth';
import type { CampaignContext, FaultCaseResult } from './faultCaseResult';
import { faultsInjected, finishCase, nothingDelivered } from './faultCaseResult';

export interface InjectedFaultCase {
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
}

/** One line of an execution's failure: its error, and its cause or the summary's missing lanes. */
function failureOf(
  execution: { error?: string; cause?: string },
  summary: { missing: string[] } | null | undefined,
): string {
  return `${execution.error ?? ''} ${execution.cause ?? summary?.missing.join('; ') ?? ''}`.replace(
    /\s+/g,
    ' ',
  );
}

export async function inProcessCase(ctx: CampaignContext, c: InjectedFaultCase): Promise<FaultCaseResult> {
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
  let summaryFigures: { retries: number; http429: number; errors: Record<string, number> } | null = null;
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
        invocationBudgetMs: c.invocationBudgetMs,
        client: c.client,
        retryIntervalMs: c.retryIntervalMs,
      });
      try {
        const { execution, summary } = run;
        const claimsSuccess = execution.status === 'SUCCEEDED' && execution.output?.complete === true;
        if (summary)
          summaryFigures = { retries: summary.retries, http429: summary.http429, errors: summary.errors };
        attemptLog.push({
          attempt: i + 1,
          status: execution.status,
          complete: claimsSuccess,
          error: claimsSuccess ? null : failureOf(execution, summary).slice(0, 600),
          ms: Math.round(performance.now() - ta),
        });
        const resultKey = resultKeys(run.runId).ordersJsonl;
        const hasResult = await run.stack.store.exists(resultKey);
        if (claimsSuccess) {
          verification = await verifyAgainstTruth(
            readResultOrders(run.stack.store, resultKey),
            ctx.sim.truth(),
          );
          if (!verification.ok) falseSuccesses++;
        } else {
          stoppedOnce = true;
          firstError ??= `${execution.status}: ${failureOf(execution, summary)}`.slice(0, 400);
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
  const v = verification ?? (await nothingDelivered(ctx.sim));
  const outcome = v.ok
    ? stoppedOnce
      ? 'stopped-resumed'
      : 'finished'
    : stoppedOnce && falseSuccesses === 0
      ? 'stopped-resume-failed'
      : 'failed';
  return finishCase(
    {
      case: c.name,
      fault: c.fault,
      outcome,
      attempts,
      falseSuccesses,
      firstError,
      wallMs,
      requests: statsAfter.requests - statsBefore.requests,
      retries: summaryFigures?.retries ?? null,
      http429: summaryFigures?.http429 ?? null,
      errors: summaryFigures?.errors ?? {},
      simFaults: faultsInjected(
        statsBefore.faults as Record<string, number>,
        statsAfter.faults as Record<string, number>,
      ),
      details: { attempts: attemptLog },
    },
    v,
    ctx.faultFreeMs,
  );
}
