import type { ExecutionDescription, RunOutput } from '../core/engine';
import type { ExtractionRequest } from '../core/request';
import type { Database } from './connection';
import type { Selectable, Updateable } from 'kysely';
import type { ExecutionResultsTable, ImportStatus, LogLevel } from './schema';
import { IMPORT_STATUSES } from './schema';

/** An execution as stored, in the API's vocabulary. Times are epoch ms. */
export interface ExecutionRecord {
  /** The database row's id. */
  id: number;
  executionArn: string;
  name: string;
  status: string;
  request: unknown;
  startDate: number | null;
  stopDate: number | null;
  result: {
    bucket: string;
    ordersJsonlKey: string | null;
    ordersJsonKey: string | null;
    summaryKey: string | null;
  } | null;
  ordersCount: number | null;
  complete: boolean | null;
  summary: unknown;
  error: string | null;
  cause: string | null;
  import: {
    status: ImportStatus;
    importedOrders: number;
    offset: number;
    error: string | null;
    /** When the last import attempt started; with importedAt, how long the import took. */
    startedAt: number | null;
    importedAt: number | null;
  };
  createdAt: number;
  updatedAt: number;
}

/** What is known about an execution when it is recorded or refreshed; absent fields are left as they are. */
export interface ExecutionFacts {
  executionArn: string;
  name: string;
  /** Absent: a new row gets `UNKNOWN`, an existing row keeps its status. */
  status?: string;
  request?: ExtractionRequest;
  startDate?: Date;
  stopDate?: Date;
  output?: RunOutput;
  error?: string;
  cause?: string;
}

export function factsFromDescription(d: ExecutionDescription): ExecutionFacts {
  return {
    executionArn: d.executionArn,
    name: d.name,
    status: d.status,
    request: d.input,
    startDate: d.startDate,
    stopDate: d.stopDate,
    output: d.output,
    error: d.error,
    cause: d.cause,
  };
}

/** Inserts the execution if it is new, then brings its known facts up to date. Import state is untouched. */
export async function recordExecution(database: Database, facts: ExecutionFacts, now: number): Promise<void> {
  const { db } = database;
  await db
    .insertInto('execution_results')
    .ignore()
    .values({
      execution_arn: facts.executionArn,
      name: facts.name.slice(0, 80),
      status: facts.status ?? 'UNKNOWN',
      request: null,
      start_date: null,
      stop_date: null,
      result_bucket: null,
      orders_jsonl_key: null,
      orders_json_key: null,
      summary_key: null,
      orders_count: null,
      complete: null,
      summary: null,
      error: null,
      cause: null,
      import_status: 'pending',
      imported_orders: 0,
      import_offset: 0,
      import_error: null,
      import_claimed_at: null,
      import_started_at: null,
      imported_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const update: Updateable<ExecutionResultsTable> = { updated_at: now };
  if (facts.status !== undefined) update.status = facts.status;
  if (facts.request) update.request = JSON.stringify(facts.request);
  if (facts.startDate) update.start_date = facts.startDate.getTime();
  if (facts.stopDate) update.stop_date = facts.stopDate.getTime();
  if (facts.output) {
    update.result_bucket = facts.output.bucket;
    update.orders_jsonl_key = facts.output.ordersJsonlKey;
    update.orders_json_key = facts.output.ordersJsonKey;
    update.summary_key = facts.output.summaryKey;
    update.orders_count = facts.output.orders;
    update.complete = facts.output.complete ? 1 : 0;
  }
  if (facts.error !== undefined) update.error = facts.error.slice(0, 4000);
  if (facts.cause !== undefined) update.cause = facts.cause.slice(0, 4000);
  await db
    .updateTable('execution_results')
    .set(update)
    .where('execution_arn', '=', facts.executionArn)
    .execute();
}

export async function getExecution(
  database: Database,
  executionArn: string,
): Promise<ExecutionRecord | undefined> {
  const row = await database.db
    .selectFrom('execution_results')
    .selectAll()
    .where('execution_arn', '=', executionArn)
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** Newest first (by start date, then by when the row was recorded). */
export async function listExecutions(
  database: Database,
  options: { limit: number },
): Promise<ExecutionRecord[]> {
  const rows = await database.db
    .selectFrom('execution_results')
    .selectAll()
    .orderBy('start_date', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map(toRecord);
}

/** How many executions the database holds. */
export async function countExecutions(database: Database): Promise<number> {
  const row = await database.db
    .selectFrom('execution_results')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Executions recorded as RUNNING (the status last seen; the caller refreshes it from the engine), newest first. */
export async function listRunningExecutions(
  database: Database,
  options: { limit: number },
): Promise<ExecutionRecord[]> {
  const rows = await database.db
    .selectFrom('execution_results')
    .selectAll()
    .where('status', '=', 'RUNNING')
    .orderBy('start_date', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map(toRecord);
}

export interface ProcessingLog {
  level: LogLevel;
  message: string;
  createdAt: number;
}

export async function addProcessingLog(
  database: Database,
  executionArn: string,
  level: LogLevel,
  message: string,
  now: number,
): Promise<void> {
  await database.db
    .insertInto('processing_logs')
    .values({ execution_arn: executionArn, level, message: message.slice(0, 4000), created_at: now })
    .execute();
}

/** Oldest first. */
export async function listProcessingLogs(
  database: Database,
  executionArn: string,
  options: { limit: number } = { limit: 100 },
): Promise<ProcessingLog[]> {
  const rows = await database.db
    .selectFrom('processing_logs')
    .select(['level', 'message', 'created_at'])
    .where('execution_arn', '=', executionArn)
    .orderBy('created_at')
    .orderBy('id')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({ level: r.level, message: r.message, createdAt: Number(r.created_at) }));
}

function toRecord(row: Selectable<ExecutionResultsTable>): ExecutionRecord {
  return {
    id: Number(row.id),
    executionArn: row.execution_arn,
    name: row.name,
    status: row.status,
    request: parseJson(row.request),
    startDate: nullableNumber(row.start_date),
    stopDate: nullableNumber(row.stop_date),
    result:
      row.result_bucket === null
        ? null
        : {
            bucket: row.result_bucket,
            ordersJsonlKey: row.orders_jsonl_key,
            ordersJsonKey: row.orders_json_key,
            summaryKey: row.summary_key,
          },
    ordersCount: nullableNumber(row.orders_count),
    complete: row.complete === null ? null : Number(row.complete) === 1,
    summary: parseJson(row.summary),
    error: row.error,
    cause: row.cause,
    import: {
      status: parseImportStatus(row.import_status),
      importedOrders: Number(row.imported_orders),
      offset: Number(row.import_offset),
      error: row.import_error,
      startedAt: nullableNumber(row.import_started_at),
      importedAt: nullableNumber(row.imported_at),
    },
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function parseImportStatus(value: string): ImportStatus {
  return (IMPORT_STATUSES as readonly string[]).includes(value) ? (value as ImportStatus) : 'failed';
}

function nullableNumber(value: number | string | bigint | null): number | null {
  return value === null ? null : Number(value);
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
