import type { ExecutionDescription } from '../core/engine';
import type { ExtractionRequest } from '../core/request';
import type { RunSummary } from '../extraction/collector';
import { newRunId } from '../core/engine';
import type { LocalStack, LocalStackOptions } from './localStack';
import { startLocalStack } from './localStack';

export interface LocalExtractionResult {
  runId: string;
  execution: ExecutionDescription;
  summary: RunSummary | null;
  stack: LocalStack;
}

/**
 * Runs one extraction on the local stack and waits for it. The stack is returned open (the caller downloads
 * or imports the result, then closes it). Resuming: pass the run id of an interrupted run.
 */
export async function runLocalExtraction(
  options: LocalStackOptions & { request: ExtractionRequest; runId?: string },
): Promise<LocalExtractionResult> {
  const stack = await startLocalStack(options);
  try {
    const runId = options.runId ?? newRunId(new Date());
    const started = await stack.engine.start(options.request, runId);
    const execution = await stack.engine.wait(started.executionArn);
    const summaryText = await stack.store.getText(`results/${runId}/summary.json`);
    const summary = summaryText ? (JSON.parse(summaryText) as RunSummary) : null;
    return { runId, execution, summary, stack };
  } catch (err) {
    await stack.close();
    throw err;
  }
}
