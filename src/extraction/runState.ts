import { z } from 'zod';
import { ERROR_CATEGORIES } from '../core/errors';
import { DATASET_NAMES } from '../core/dataset';
import type { DatasetName } from '../core/dataset';
import { KINDS, MARKETS } from '../core/order';
import { runSourceSchema } from './sources';

const errorInfoSchema = z.object({
  category: z.enum(ERROR_CATEGORIES).or(z.literal('unknown')),
  code: z.string().optional(),
  message: z.string(),
});
export type ErrorInfo = z.infer<typeof errorInfoSchema>;

/**
 * One paginating cursor over [start, end) of one source. Saved after every checkpoint, together with the part
 * that holds exactly the rows it has fetched, so that a restarted invocation resumes without loss.
 */
const cursorFields = z.object({
  id: z.string(),
  source: runSourceSchema,
  /** Inclusive lower bound of cTime this cursor owns. */
  start: z.number(),
  /** Exclusive upper bound of cTime this cursor owns. */
  end: z.number(),
  /** Set by a split: the start its queries use, below `start` (why: cursorSplit.ts). */
  queryStart: z.number().optional(),
  /** Token for the next page (idLessThan or v3 cursor); null before the first page. */
  next: z.string().nullable(),
  /** Oldest cTime seen so far (id-paginated sources narrow endTime to it, in case idLessThan is ignored). */
  oldestCTime: z.number().nullable(),
  done: z.boolean(),
  /** Searcher cursors stop after this many pages; the unifier hands the rest to a symbol lane. */
  maxPages: z.number().int().positive().optional(),
  pages: z.number().int(),
  orders: z.number().int(),
  /** Consecutive failed attempts after the client's own retries; the circuit breaker opens at the threshold. */
  failures: z.number().int(),
  /** Set when the circuit breaker opened: the cursor did not finish and the run is incomplete. */
  broken: errorInfoSchema.optional(),
  /** Set when the exchange said the symbol does not exist: nothing to fetch, recorded in the summary. */
  skipped: errorInfoSchema.optional(),
  /**
   * The oldest part of the cursor's range that fell out of what Bitget serves before the cursor reached it,
   * [from, to) (the cursor's range now starts at `to`): named in the summary, never fetched. Absent: nothing
   * expired (and in lanes saved before the field existed).
   */
  expired: z.object({ from: z.number(), to: z.number() }).optional(),
});
/** A cursor saved under the field's former name, `lastCTime`, reads as `oldestCTime`: older runs still resume. */
export const cursorStateSchema = z.preprocess((saved) => {
  if (saved === null || typeof saved !== 'object' || !('lastCTime' in saved) || 'oldestCTime' in saved)
    return saved;
  const { lastCTime, ...rest } = saved as Record<string, unknown>;
  return { ...rest, oldestCTime: lastCTime };
}, cursorFields);
export type CursorState = z.output<typeof cursorFields>;

export const laneStateSchema = z.object({
  runId: z.string(),
  laneId: z.string(),
  endpoint: z.string(),
  /** The data set of the lane's rows; absent: orders (lanes saved before fills and ledger existed). */
  dataset: z.enum(DATASET_NAMES).optional(),
  /** Requests per second this lane's endpoint allows; the lane keeps that many seconds of latency in flight. */
  cursors: z.array(cursorStateSchema),
  nextCursorSeq: z.number().int(),
  partsWritten: z.number().int(),
  ordersFetched: z.number().int(),
  requests: z.number().int(),
  retries: z.number().int(),
  http429: z.number().int(),
  errors: z.record(z.string(), z.number()),
  /** `market:symbol` → orders seen: the searcher takes candidates from here. */
  symbolsSeen: z.record(z.string(), z.number()),
  invocations: z.number().int(),
  executionName: z.string().optional(),
  startedAt: z.number().optional(),
  finishedAt: z.number().optional(),
  busyMs: z.number(),
  /** Requests answered per wall-clock second (epoch seconds as keys): the run report's timeline. */
  requestsBySecond: z.record(z.string(), z.number()).default({}),
  done: z.boolean(),
});
export type LaneState = z.infer<typeof laneStateSchema>;

/** The data set of a lane's rows. */
export function laneDataset(lane: Pick<LaneState, 'dataset'>): DatasetName {
  return lane.dataset ?? 'orders';
}

export const windowSchema = z.object({ windowId: z.string(), start: z.number(), end: z.number() });
export type TimeWindow = z.infer<typeof windowSchema>;

export const runPlanSchema = z.object({
  runId: z.string(),
  createdAt: z.number(),
  request: z.object({
    symbols: z.array(z.string()).optional(),
    markets: z.array(z.enum(MARKETS)),
    kinds: z.array(z.enum(KINDS)),
    since: z.number().optional(),
    until: z.number().optional(),
    streamSince: z.record(z.string(), z.number()).optional(),
    order: z.enum(['asc', 'desc']),
    datasets: z.array(z.enum(DATASET_NAMES)).optional(),
    taxSpanDays: z.number().int().optional(),
  }),
  mode: z.enum(['classic', 'uta']),
  requested: z.object({
    since: z.number().nullable(),
    until: z.number().nullable(),
    /** Per stream, where the request starts it instead of `since` (a sync's watermarks). */
    streamSince: z.record(z.string(), z.number()).optional(),
  }),
  served: z.object({ since: z.number(), until: z.number() }),
  /**
   * What each data set is asked for beyond orders' `served`: fills and bills over `served`, tax records over
   * `taxSince`…`served.since` (the part of the range older than the bills' retention, as far as they reach).
   */
  datasetRanges: z
    .record(
      z.string(),
      z.object({
        since: z.number(),
        until: z.number(),
        taxSince: z.number().nullable().optional(),
        /** Per coverage stream (src/bitget/datasetSources.ts `datasetStreamOf`), the span it is asked over. */
        streams: z.record(z.string(), z.object({ since: z.number(), until: z.number() })).optional(),
      }),
    )
    .optional(),
  notes: z.array(z.string()),
  laneIds: z.array(z.string()),
  /** Windows over which spot plan orders are searched symbol by symbol (empty when no search is needed). */
  searchWindows: z.array(windowSchema),
  needsSymbolSearch: z.boolean(),
  /** Spot symbols Bitget listed when the run was planned; their plan orders are in the `spot-plan` lane. */
  listedSpotSymbols: z.array(z.string()).default([]),
  stages: z.record(z.string(), z.object({ startedAt: z.number(), finishedAt: z.number().optional() })),
});
export type RunPlan = z.infer<typeof runPlanSchema>;

/**
 * `runs/<runId>/exchange.json`: what the caller (a sync) asked the exchange just before it started the run, so
 * that planning does not ask it again: the server time, the account mode, and the listed spot symbols when it
 * asked them. `askedAt` is the local clock when the server time was read.
 */
export const exchangeFactsSchema = z.object({
  serverTime: z.number().int(),
  askedAt: z.number().int(),
  mode: z.enum(['classic', 'uta']),
  listedSpotSymbols: z.array(z.string()).optional(),
});
export type ExchangeFacts = z.infer<typeof exchangeFactsSchema>;

export const symbolPlanSchema = z.object({
  laneIds: z.array(z.string()),
  symbols: z.array(z.object({ symbol: z.string(), orders: z.number(), more: z.boolean() })),
  createdAt: z.number(),
});
export type SymbolPlan = z.infer<typeof symbolPlanSchema>;
