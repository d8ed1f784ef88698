import { z } from 'zod';
import { DATASET_NAMES } from '../core/dataset';
import { extractionRequestSchema, parseExtractionRequest } from '../core/request';
import type { RunOutput } from '../core/engine';
import { writeRunReport } from '../report/writeRunReport';
import { collectRunForReport } from './collector';
import type { OrderFigures } from '../report/orderFigures';
import { InvalidEventError } from './errors';
import type { ExtractionDeps, PlanOutput } from './stages';
import { planStage, processLaneStage, searchWindowStage, unifySymbolsStage } from './stages';
import type { StageMergeOutput } from './stagedMerge';
import { stageDatasetMerge } from './stagedMerge';
import { NO_METRICS, SILENT_LOG, describeError } from './telemetry';

/**
 * The five stage handlers: what the state machine invokes, as plain async functions of their event. A Lambda
 * exports one (functions/<name>/index.ts, through src/runtime/stageFunctions.ts); the local engine binds all five
 * by state name (src/runtime/localStack.ts).
 */
export interface StageHandlers {
  'time-range-mapper': (event: unknown) => Promise<PlanOutput>;
  'symbol-processor': (event: unknown) => Promise<{ runId: string; laneId: string; done: boolean }>;
  'symbol-searcher': (event: unknown) => Promise<{ runId: string; windowId: string; done: boolean }>;
  'symbol-unifier': (event: unknown) => Promise<{ laneIds: string[] }>;
  /** With `dataset`: merges that data set ahead of the collector (stagedMerge.ts); without: collects the run. */
  'result-collector': (event: unknown) => Promise<RunOutput | StageMergeOutput>;
}

const runId = z.string().min(1);
const planEvent = z.object({ runId, request: extractionRequestSchema.or(z.unknown()) });
const laneEvent = z.object({ runId, laneId: z.string().min(1), executionName: z.string().optional() });
const windowEvent = z.object({ runId, windowId: z.string().min(1), executionName: z.string().optional() });
const unifyEvent = z.object({ runId });
const laneIds = z.array(z.string().min(1));
const mergeEvent = z.object({
  runId,
  dataset: z.enum(DATASET_NAMES),
  lanes: z.object({ searchInputs: laneIds, orders: laneIds, fills: laneIds, ledger: laneIds }),
  executionName: z.string().optional(),
});
const collectEvent = z.object({
  runId,
  order: z.enum(['asc', 'desc']).optional(),
  failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

/** An event naming a data set asks for that data set's merge, not the run's collection. */
export function isMergeEvent(event: unknown): boolean {
  return event !== null && typeof event === 'object' && 'dataset' in event;
}

function parse<S extends z.ZodType>(schema: S, event: unknown, fn: string): z.output<S> {
  const r = schema.safeParse(event);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InvalidEventError(`${fn}: event ${i?.path.join('.') || '(root)'} ${i?.message}`);
  }
  return r.data;
}

/**
 * Binds the stages to their dependencies. `deadline()` says until when a long-running invocation may start
 * new requests: on Lambda the remaining time less a margin, locally a configured budget.
 */
export function createStageHandlers(deps: ExtractionDeps, deadline: () => number): StageHandlers {
  return {
    'time-range-mapper': async (event) => {
      const e = parse(planEvent, event, 'time-range-mapper');
      return planStage(deps, { runId: e.runId, request: parseExtractionRequest(e.request) });
    },
    'symbol-processor': async (event) => {
      const e = parse(laneEvent, event, 'symbol-processor');
      return processLaneStage(deps, { ...e, deadline: deadline() });
    },
    'symbol-searcher': async (event) => {
      const e = parse(windowEvent, event, 'symbol-searcher');
      return searchWindowStage(deps, { ...e, deadline: deadline() });
    },
    'symbol-unifier': async (event) => unifySymbolsStage(deps, parse(unifyEvent, event, 'symbol-unifier')),
    'result-collector': async (event) => {
      const now = deps.now ?? Date.now;
      const began = now();
      if (isMergeEvent(event)) {
        const e = parse(mergeEvent, event, 'result-collector');
        const log = (deps.log ?? SILENT_LOG).child({ runId: e.runId });
        const out = await stageDatasetMerge({ store: deps.store, now: deps.now }, e);
        log.info('data set merged ahead of the collector', { ...out, ms: now() - began });
        return out;
      }
      const e = parse(collectEvent, event, 'result-collector');
      const log = (deps.log ?? SILENT_LOG).child({ runId: e.runId });
      const metrics = deps.metrics ?? NO_METRICS;
      let output: RunOutput;
      let reportOrders: OrderFigures | null;
      try {
        ({ output, reportOrders } = await collectRunForReport({ store: deps.store, now: deps.now }, e));
      } catch (err) {
        log.error('run not collected', { error: describeError(err), ms: now() - began });
        metrics.runCollected({ complete: false, orders: 0 });
        throw err;
      }
      log[output.complete ? 'info' : 'warn']('run collected', {
        complete: output.complete,
        orders: output.orders,
        failure: output.failure,
        ms: now() - began,
      });
      metrics.runCollected({ complete: output.complete, orders: output.orders });
      // The result is complete and written before the report is drawn: a report that cannot be drawn is said
      // (the run's log) but never turns a complete result into a failed run.
      if (output.complete)
        await writeRunReport(deps.store, e.runId, reportOrders ? { orders: reportOrders } : {}).catch(
          (err: unknown) => log.error('report.html not written', { error: describeError(err) }),
        );
      return output;
    },
  };
}
