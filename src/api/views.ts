import type { ExecutionDescription } from '../core/engine';
import type { ExecutionRecord } from '../db';
import { humanDuration } from './duration';

export function executionLinks(executionArn: string): Record<string, string> {
  const base = `/orders/${encodeURIComponent(executionArn)}`;
  return { status: base, database: `${base}/database`, logs: `${base}/logs` };
}

/** Timing of an execution: ISO dates, duration in ms and as people read it ("2m 3s"). */
export function timing(startMs: number | null, stopMs: number | null, now: number) {
  const end = stopMs ?? now;
  const durationMs = startMs === null ? null : Math.max(0, end - startMs);
  return {
    startDate: startMs === null ? null : new Date(startMs).toISOString(),
    stopDate: stopMs === null ? null : new Date(stopMs).toISOString(),
    durationMs,
    duration: durationMs === null ? null : humanDuration(durationMs),
    running: stopMs === null,
  };
}

/** The full view of one execution: the engine's facts when known, the database's import state. */
export function executionView(
  executionArn: string,
  description: ExecutionDescription | undefined,
  record: ExecutionRecord | undefined,
  now: number,
) {
  const startMs = description?.startDate.getTime() ?? record?.startDate ?? null;
  const stopMs = description?.stopDate?.getTime() ?? record?.stopDate ?? null;
  const output = description?.output;
  return {
    executionArn,
    name: description?.name ?? record?.name ?? executionArn.split(':').pop(),
    status: description?.status ?? record?.status ?? 'UNKNOWN',
    request: description?.input ?? record?.request ?? null,
    timing: timing(startMs, stopMs, now),
    result: output
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
        : null,
    error: description?.error ?? record?.error ?? null,
    cause: description?.cause ?? record?.cause ?? null,
    import: record
      ? {
          status: record.import.status,
          importedOrders: record.import.importedOrders,
          error: record.import.error,
          importedAt:
            record.import.importedAt === null ? null : new Date(record.import.importedAt).toISOString(),
        }
      : { status: 'pending', importedOrders: 0, error: null, importedAt: null },
    links: executionLinks(executionArn),
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
  return {
    executionArn: arn,
    name: view.name,
    status: view.status,
    startDate: view.timing.startDate,
    stopDate: view.timing.stopDate,
    duration: view.timing.duration,
    orders: view.result?.orders ?? null,
    import: { status: view.import.status, importedOrders: view.import.importedOrders },
    links: view.links,
  };
}
