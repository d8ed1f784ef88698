import type { ExecutionDescription } from '../core/engine';
import type { ExtractionRequest } from '../core/request';
import { RunRepository } from '../extraction/RunRepository';
import type { RunSummary } from '../extraction/runSummary';
import type { RunPlan } from '../extraction/runState';
import { newRunId } from '../core/engine';
import type { LocalStack, LocalStackOptions } from './localStack';
import { startLocalStack } from './localStack';
import { RunOptionsMismatchError } from './errors';
import { lockRun } from './runLock';

export interface LocalExtractionResult {
  runId: string;
  execution: ExecutionDescription;
  summary: RunSummary | null;
  stack: LocalStack;
  /** The run's request: the one given for a new run, the saved plan's for a resumed one. */
  request: ExtractionRequest;
  /** The run had a plan already (it is being resumed). */
  resumed: boolean;
  /** Set when the run was stopped by `interrupt`: the cursors are saved and the run id resumes it. */
  interrupted: boolean;
}

export interface LocalExtractionOptions extends LocalStackOptions {
  request: ExtractionRequest;
  runId?: string;
  /**
   * Which request options the caller named explicitly. Resuming a run with one of them set to another value is
   * refused (RunOptionsMismatchError); options not named take the run's own values.
   */
  explicit?: ReadonlySet<keyof ExtractionRequest>;
  /** Aborting it stops the run gently (see LocalStack.interrupt): the result says `interrupted`. */
  signal?: AbortSignal;
  /** Called once the stack is up and the run id is known, before the execution starts. */
  onStart?: (info: { runId: string; resumed: boolean; plan: RunPlan | null; stack: LocalStack }) => void;
}

/**
 * Runs one extraction on the local stack and waits for it. The stack is returned open (the caller downloads
 * or imports the result, then closes it). Resuming: pass the run id of an interrupted run. One process at a time
 * works a run id in a data directory (RunLockedError names the other one).
 */
export async function runLocalExtraction(options: LocalExtractionOptions): Promise<LocalExtractionResult> {
  const runId = options.runId ?? newRunId(new Date());
  const lock = await lockRun(options.dataDir, runId);
  let stack: LocalStack | undefined;
  try {
    // A new run's plan needs the exchange's time, mode and symbols: asked while the stack starts.
    stack = await startLocalStack({ ...options, exchangeFactsFor: options.request });
    const opened = stack;
    const run = new RunRepository(stack.store, runId);
    const plan = await run.getPlan();
    const facts = plan ? null : await stack.exchangeFacts;
    // Facts already saved for this run (by whoever prepared it) are its own: never replaced.
    if (facts && !(await run.getExchangeFacts())) await run.saveExchangeFacts(facts);
    const request = plan ? resumedRequest(runId, plan, options.request, options.explicit) : options.request;
    options.onStart?.({ runId, resumed: plan !== null, plan, stack });
    const started = await stack.engine.start(request, runId);
    let interrupted = false;
    const onAbort = () => {
      interrupted = true;
      void opened.interrupt().then(() => opened.engine.abort(started.executionArn));
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const execution = await stack.engine.wait(started.executionArn);
    options.signal?.removeEventListener('abort', onAbort);
    if (execution.status === 'ABORTED')
      await stack.store.releaseLease(runId, started.name).catch(() => undefined);
    const summary = await run.getSummary();
    const close = stack.close;
    const withLock: LocalStack = { ...stack, close: () => close().finally(() => lock.release()) };
    return {
      runId,
      execution,
      summary,
      stack: withLock,
      request,
      resumed: plan !== null,
      interrupted: interrupted && execution.status === 'ABORTED',
    };
  } catch (err) {
    await stack?.close();
    await lock.release();
    throw err;
  }
}

/** The saved plan's request, after checking that what the caller named explicitly agrees with it. */
function resumedRequest(
  runId: string,
  plan: RunPlan,
  given: ExtractionRequest,
  explicit: ReadonlySet<keyof ExtractionRequest> = new Set(),
): ExtractionRequest {
  const saved = plan.request as ExtractionRequest;
  const same = (a: unknown, b: unknown) =>
    Array.isArray(a) && Array.isArray(b) ? [...a].sort().join(',') === [...b].sort().join(',') : a === b;
  const differences = [...explicit]
    .filter((k) => !same(saved[k], given[k]))
    .map((option) => ({ option, run: saved[option], given: given[option] }));
  if (differences.length > 0) throw new RunOptionsMismatchError(runId, differences);
  return saved;
}
