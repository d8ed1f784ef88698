/**
 * What the stages say about their work, as ports: the library never imports a logging or metrics library.
 * On Lambda these are Powertools (src/observability/lambda.ts); locally a Powertools logger writing to the data
 * directory's log file; in tests whatever the test passes (or nothing: the silent defaults).
 */
import type { DatasetName } from '../core/dataset';

export type LogFields = Record<string, unknown>;

export interface LogPort {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that writes `keys` (run id, lane id, execution name) on every line, besides its own fields. */
  child(keys: LogFields): LogPort;
}

/** Why one lane invocation stopped working. */
export type LaneStop =
  /** Every cursor finished (none broken). */
  | 'done'
  /** The invocation's deadline came first: the state machine loops the lane. */
  | 'deadline'
  /** Every cursor is finished or broken, and at least one circuit is open: the run will be incomplete. */
  | 'circuit_open'
  /** An error no retry fixes (auth, permission, parameters, account mode): the run stops. */
  | 'fatal'
  /** Anything else thrown (a checkpoint that could not be written): the state machine retries the step. */
  | 'error';

/** One invocation of a lane (symbol-processor or symbol-searcher), in this invocation's numbers only. */
export interface LaneReport {
  runId: string;
  laneId: string;
  executionName?: string;
  /** The endpoint the lane paginates: its rate-limit bucket, and the metrics' dimension. */
  endpoint: string;
  stop: LaneStop;
  /** The data set of the lane's rows. */
  dataset: DatasetName;
  pages: number;
  /** Orders fetched: the rows of an order lane, 0 on a fills or ledger lane (its rows are `records`). */
  orders: number;
  /** Rows fetched, of the lane's data set. */
  records: number;
  /** Page requests started by the lane (the client's retries are counted apart). */
  requests: number;
  retries: number;
  http429: number;
  /** Wall-clock time of the invocation. */
  ms: number;
  cursors: { open: number; finished: number; broken: number; skipped: number };
  /** Cursors whose circuit opened during this invocation. */
  circuitsOpened: number;
  /** The lane's totals so far, over every invocation. */
  total: { orders: number; requests: number; invocations: number };
  /** Set when the invocation threw: the error's name, category and message (never a request's headers). */
  error?: { name: string; message: string; category?: string; code?: string };
}

export interface MetricsPort {
  /** One lane invocation: orders, pages, requests, retries, 429s and time, attributed to its endpoint. */
  laneInvocation(report: LaneReport): void;
  /** A run's result was collected (complete or not). */
  runCollected(result: { complete: boolean; orders: number }): void;
}

const silent: LogPort = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

/** The default when the caller passes no logger. */
export const SILENT_LOG: LogPort = silent;

/** The default when the caller passes no metrics. */
export const NO_METRICS: MetricsPort = { laneInvocation: () => undefined, runCollected: () => undefined };

/** `{name, message, category, code}` of a thrown value: what a log line may say about an error. */
export function describeError(err: unknown): NonNullable<LaneReport['error']> {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const e = err as Error & {
    category?: unknown;
    code?: unknown;
    info?: { category?: unknown; code?: unknown };
  };
  const category = e.category ?? e.info?.category;
  const code = e.code ?? e.info?.code;
  return {
    name: err.name,
    message: err.message,
    ...(typeof category === 'string' ? { category } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  };
}
