import type { ExecutionDescription } from '../core/engine';
import type { ExecutionRecord, StoredOrder } from '../db';
import { humanDuration, preciseDuration } from './duration';
import { stateMachineOf } from './executionArn';
import type { RunSummaryFacts } from './resultSummary';
import { sourceSummary } from './resultSummary';

export function executionLinks(executionArn: string): Record<string, string> {
  const base = `/orders/${encodeURIComponent(executionArn)}`;
  return { status: base, database: `${base}/database`, logs: `${base}/logs` };
}

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();
const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);

/** Timing of an execution: ISO dates, duration in ms and as people read it ("2m 3s"). */
export function timing(startMs: number | null, stopMs: number | null, now: number) {
  const end = stopMs ?? now;
  const durationMs = startMs === null ? null : Math.max(0, end - startMs);
  return {
    startDate: iso(startMs),
    stopDate: iso(stopMs),
    durationMs,
    duration: durationMs === null ? null : humanDuration(durationMs),
    running: stopMs === null,
  };
}

/** The symbols a request named, or null when it asked for every symbol. */
export function requestedSymbols(request: unknown): string[] | null {
  const symbols = (request as { symbols?: unknown } | null)?.symbols;
  return Array.isArray(symbols) && symbols.every((s) => typeof s === 'string') ? symbols : null;
}

/** What a status read adds to a succeeded execution's result beyond the engine's and the database's facts. */
export interface ResultFacts {
  summary: RunSummaryFacts | null;
  /** Signed for this read; null when there is no complete result file to sign. */
  s3DataUrl: string | null;
  presignSeconds: number;
  ordersInDb: number;
}

/** The full view of one execution: the engine's facts when known, the database's import state. */
export function executionView(
  executionArn: string,
  description: ExecutionDescription | undefined,
  record: ExecutionRecord | undefined,
  now: number,
  facts?: ResultFacts,
) {
  const startMs = description?.startDate.getTime() ?? record?.startDate ?? null;
  const stopMs = description?.stopDate?.getTime() ?? record?.stopDate ?? null;
  const output = description?.output;
  const times = timing(startMs, stopMs, now);
  const request = description?.input ?? record?.request ?? null;
  const files = output
    ? {
        bucket: output.bucket,
        ordersJsonlKey: output.ordersJsonlKey,
        ordersJsonKey: output.ordersJsonKey,
        summaryKey: output.summaryKey,
        orders: output.orders,
        complete: output.complete,
      }
    : record?.result
      ? { ...record.result, orders: record.ordersCount, complete: record.complete }
      : null;
  return {
    executionArn,
    name: description?.name ?? record?.name ?? executionArn.split(':').pop(),
    status: description?.status ?? record?.status ?? 'UNKNOWN',
    startDate: times.startDate,
    processing_time_seconds: seconds(times.durationMs),
    request,
    timing: times,
    result: files && {
      ...files,
      ...sourceResult(executionArn, files, times, record, requestedSymbols(request), facts),
    },
    error: description?.error ?? record?.error ?? null,
    cause: description?.cause ?? record?.cause ?? null,
    import: record
      ? {
          status: record.import.status,
          importedOrders: record.import.importedOrders,
          error: record.import.error,
          importedAt: iso(record.import.importedAt),
        }
      : { status: 'pending', importedOrders: 0, error: null, importedAt: null },
    links: executionLinks(executionArn),
  };
}

/** The source system's fields of `result`: success, message, summary, the signed URL, AWS timing, database. */
function sourceResult(
  executionArn: string,
  files: { orders: number | null; complete: boolean | null },
  times: ReturnType<typeof timing>,
  record: ExecutionRecord | undefined,
  symbols: string[] | null,
  facts: ResultFacts | undefined,
) {
  const success = files.complete === true;
  const durationSeconds = seconds(times.durationMs);
  const formatted = times.durationMs === null ? null : preciseDuration(times.durationMs);
  const importMs =
    record?.import.status === 'imported' &&
    record.import.startedAt !== null &&
    record.import.importedAt !== null
      ? Math.max(0, record.import.importedAt - record.import.startedAt)
      : null;
  return {
    success,
    message: success
      ? `extracted ${files.orders ?? 0} orders, each once, sorted by cTime`
      : 'the run did not fetch everything: no complete result',
    summary: facts?.summary ? sourceSummary(facts.summary, symbols) : null,
    s3_data_url: facts?.s3DataUrl ?? null,
    s3_data_url_expires_in_seconds: facts?.s3DataUrl ? facts.presignSeconds : null,
    aws_total_duration_seconds: durationSeconds,
    aws_total_duration_formatted: formatted,
    aws_execution_details: {
      startDate: times.startDate,
      stopDate: times.stopDate,
      duration_seconds: durationSeconds,
      duration_formatted: formatted,
      stateMachineArn: stateMachineOf(executionArn),
    },
    database_info: {
      orders_in_db: facts?.ordersInDb ?? record?.import.importedOrders ?? 0,
      processing_time_seconds: seconds(importMs),
      created_at: iso(record?.createdAt),
    },
  };
}

/** One line of GET /orders/list. */
export function executionSummary(
  description: ExecutionDescription | undefined,
  record: ExecutionRecord | undefined,
  now: number,
) {
  const arn = description?.executionArn ?? record!.executionArn;
  const view = executionView(arn, description, record, now);
  const orders = view.result?.orders ?? null;
  return {
    executionArn: arn,
    name: view.name,
    status: view.status,
    startDate: view.timing.startDate,
    stopDate: view.timing.stopDate,
    duration: view.timing.duration,
    orders,
    import: { status: view.import.status, importedOrders: view.import.importedOrders },
    links: view.links,
    id: record?.id ?? null,
    execution_arn: arn,
    symbols: requestedSymbols(view.request),
    total_orders: orders,
    created_at: iso(record?.createdAt),
    updated_at: iso(record?.updatedAt),
  };
}

/** One order of GET /orders/{executionArn}/database: the canonical record and the source system's columns. */
export function storedOrderView(stored: StoredOrder) {
  const { order } = stored;
  return {
    ...order,
    id: stored.id,
    order_id: order.orderId,
    c_time: order.cTime,
    created_at: iso(stored.storedAt),
  };
}
