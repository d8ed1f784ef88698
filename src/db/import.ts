import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { RunOutput } from '../core/engine';
import type { CanonicalOrder } from '../core/order';
import type { Database } from './connection';
import { ImportFailedError } from './errors';
import { addProcessingLog, recordExecution } from './executions';
import { linesWithOffsets } from './lines';
import { INFILE_COLUMNS, rowsToTsv, withInfile } from './localInfile';
import { orderToRow, parseOrderLine } from './orderRecord';
import type { OrderRow } from './orderRecord';
import { countOrders } from './orders';
import type { ImportStatus, Tables } from './schema';

/** A finished run to import: the state machine's output plus the execution it belongs to. */
export interface ImportableRun extends RunOutput {
  executionArn: string;
  /** Execution name, recorded when the execution is not in the database yet (default: the ARN's last part). */
  name?: string;
}

export interface ImportOptions {
  /** Rows per batch (MySQL: one LOAD DATA, default 5000; SQLite: one multi-row INSERT, default 1000), each in its own transaction with the progress it makes. */
  batchSize?: number;
  now?: () => number;
  /** An `importing` claim older than this is considered abandoned (a crashed process) and taken over. */
  staleClaimMs?: number;
  /** Import even when already imported (inserts nothing new; used by save-from-url). */
  force?: boolean;
}

export type ImportOutcome =
  | { status: 'imported'; executionArn: string; importedOrders: number; insertedNow: number }
  | { status: 'already-imported'; executionArn: string; importedOrders: number; insertedNow: 0 }
  | { status: 'in-progress'; executionArn: string; importedOrders: number; insertedNow: 0 };

/** A source of orders that can start at a recorded offset (bytes for S3 NDJSON) or only from the start. */
interface OrderSource {
  resumable: boolean;
  read(offset: number): AsyncIterable<{ order: CanonicalOrder; end: number }>;
}

const DEFAULT_STALE_CLAIM_MS = 15 * 60 * 1000;

/**
 * Streams the run's orders.jsonl from S3 line by line, validates every line as a canonical order and inserts
 * them in batches, idempotently. Progress (byte offset) is committed with each batch, so an interrupted import
 * resumes where it stopped. The execution is marked `imported` only when the database holds exactly the
 * number of orders the run reports.
 */
export async function importRun(
  database: Database,
  s3: S3Client,
  run: ImportableRun,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const outcome = await runImport(
    database,
    { ...run, output: run },
    s3JsonlSource(s3, run),
    run.orders,
    'batched',
    options,
  );
  if (outcome.status === 'imported') await storeSummary(database, s3, run);
  return outcome;
}

const MAX_SUMMARY_BYTES = 1024 * 1024;

/** Keeps summary.json with the execution (best effort: the orders are what the import promises). */
async function storeSummary(database: Database, s3: S3Client, run: ImportableRun): Promise<void> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: run.bucket, Key: run.summaryKey }));
    if ((object.ContentLength ?? 0) > MAX_SUMMARY_BYTES || !object.Body) return;
    const text = await object.Body.transformToString('utf8');
    JSON.parse(text);
    await database.db
      .updateTable('execution_results')
      .set({ summary: text })
      .where('execution_arn', '=', run.executionArn)
      .execute();
  } catch {
    // A missing or unreadable summary does not make the import incomplete.
  }
}

/** The naive baseline: same validation, one autocommitted INSERT per row, progress recorded at the end only. */
export async function importRunRowByRow(
  database: Database,
  s3: S3Client,
  run: ImportableRun,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  return runImport(
    database,
    { ...run, output: run },
    s3JsonlSource(s3, run),
    run.orders,
    'row-by-row',
    options,
  );
}

/** Imports already validated orders (e.g. a result file fetched by save-from-url) into an execution. */
export async function importOrders(
  database: Database,
  execution: { executionArn: string; name?: string; output?: RunOutput },
  orders: readonly CanonicalOrder[],
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const source: OrderSource = {
    resumable: false,
    async *read() {
      for (let i = 0; i < orders.length; i++) yield { order: orders[i]!, end: 0 };
    },
  };
  return runImport(database, execution, source, orders.length, 'batched', options);
}

async function runImport(
  database: Database,
  execution: { executionArn: string; name?: string; output?: RunOutput },
  source: OrderSource,
  expectedOrders: number,
  mode: 'batched' | 'row-by-row',
  options: ImportOptions,
): Promise<ImportOutcome> {
  const now = options.now ?? Date.now;
  const arn = execution.executionArn;
  const batchSize =
    mode === 'row-by-row' ? 1 : (options.batchSize ?? (database.kind === 'mysql' ? 5000 : 1000));
  await recordExecution(
    database,
    {
      executionArn: arn,
      name: execution.name ?? arn.split(':').pop() ?? arn,
      // A run with an output has succeeded; a file saved from a URL leaves the status as the engine reported it.
      status: execution.output ? 'SUCCEEDED' : undefined,
      output: execution.output,
    },
    now(),
  );
  const claim = await claimImport(
    database,
    arn,
    now(),
    options.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS,
    options.force,
  );
  if (claim.status !== 'claimed')
    return { status: claim.status, executionArn: arn, importedOrders: claim.imported, insertedNow: 0 };

  const startOffset = source.resumable ? claim.offset : 0;
  await addProcessingLog(database, arn, 'info', `import started at offset ${startOffset}`, now());
  let insertedNow = 0;
  // One batch is written while the next is read and validated: the database (a server, or SQLite's own
  // work) and the parsing overlap. Batches still commit one after another, each with its end offset.
  let writing: Promise<void> = Promise.resolve();
  try {
    let batch: OrderRow[] = [];
    let batchEnd = startOffset;
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      const end = batchEnd;
      batch = [];
      await writing;
      writing = (async () => {
        insertedNow +=
          mode === 'batched'
            ? await insertBatch(database, arn, rows, source.resumable ? end : 0, now())
            : await insertRow(database, rows[0]!);
      })();
      // A failed write surfaces at the next flush, or below; never unobserved.
      writing.catch(() => undefined);
    };
    for await (const { order, end } of source.read(startOffset)) {
      batch.push(orderToRow(arn, order, now()));
      batchEnd = end;
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await writing;
  } catch (error) {
    await writing.catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    await markFailed(database, arn, `import interrupted: ${reason}`, now(), { resetOffset: false });
    throw new ImportFailedError(
      arn,
      `import of ${arn} interrupted after ${insertedNow} new orders: ${reason}`,
      {
        cause: error,
      },
    );
  }

  const stored = await countOrders(database, arn);
  if (stored !== expectedOrders) {
    const reason = `the database holds ${stored} orders for this execution but the result has ${expectedOrders}`;
    await markFailed(database, arn, reason, now(), { resetOffset: true });
    throw new ImportFailedError(arn, `import of ${arn} incomplete: ${reason}`);
  }
  await database.db
    .updateTable('execution_results')
    .set({
      import_status: 'imported',
      imported_orders: stored,
      import_error: null,
      imported_at: now(),
      updated_at: now(),
      // Kysely leaves a column whose value is undefined as it is: a resumable source keeps its offset.
      import_offset: source.resumable ? undefined : 0,
    })
    .where('execution_arn', '=', arn)
    .execute();
  await addProcessingLog(database, arn, 'info', `imported ${stored} orders (${insertedNow} new)`, now());
  return { status: 'imported', executionArn: arn, importedOrders: stored, insertedNow };
}

type Claim =
  | { status: 'claimed'; offset: number; imported: number }
  | { status: 'already-imported' | 'in-progress'; imported: number };

/** Atomically moves the execution to `importing`; only one importer wins (also across processes). */
async function claimImport(
  database: Database,
  arn: string,
  now: number,
  staleClaimMs: number,
  force = false,
): Promise<Claim> {
  const claimable: ImportStatus[] = force ? ['pending', 'failed', 'imported'] : ['pending', 'failed'];
  const result = await database.db
    .updateTable('execution_results')
    .set({
      import_status: 'importing',
      import_claimed_at: now,
      import_started_at: now,
      import_error: null,
      updated_at: now,
    })
    .where('execution_arn', '=', arn)
    .where((eb) =>
      eb.or([
        eb('import_status', 'in', claimable),
        eb.and([eb('import_status', '=', 'importing'), eb('import_claimed_at', '<', now - staleClaimMs)]),
      ]),
    )
    .executeTakeFirst();
  const row = await database.db
    .selectFrom('execution_results')
    .select(['import_status', 'import_offset', 'imported_orders'])
    .where('execution_arn', '=', arn)
    .executeTakeFirstOrThrow();
  if (Number(result.numUpdatedRows) === 0) {
    const status = row.import_status === 'imported' ? 'already-imported' : 'in-progress';
    return { status, imported: Number(row.imported_orders) };
  }
  const stored = await countOrders(database, arn);
  await database.db
    .updateTable('execution_results')
    .set({ imported_orders: stored })
    .where('execution_arn', '=', arn)
    .execute();
  return { status: 'claimed', offset: Number(row.import_offset), imported: stored };
}

/** One multi-row INSERT that skips rows already present, committed together with the progress it makes. */
async function insertBatch(
  database: Database,
  arn: string,
  rows: OrderRow[],
  endOffset: number,
  now: number,
): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    const inserted =
      database.kind === 'mysql' && loadDataUsable.get(database) !== false
        ? await loadDataIgnoringDuplicates(database, trx, rows)
        : await insertIgnoringDuplicates(trx, rows);
    await trx
      .updateTable('execution_results')
      .set({
        import_offset: endOffset,
        imported_orders: sql<number>`imported_orders + ${inserted}`,
        import_claimed_at: now,
        updated_at: now,
      })
      .where('execution_arn', '=', arn)
      .execute();
    return inserted;
  });
}

async function insertRow(database: Database, row: OrderRow): Promise<number> {
  const result = await database.db.insertInto('orders').ignore().values(row).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/**
 * `INSERT IGNORE` on MySQL, `INSERT OR IGNORE` on SQLite: a row whose (execution_arn, order_id, market) is
 * already stored is skipped. Safe here because every row was validated to fit its columns beforehand.
 */
async function insertIgnoringDuplicates(trx: Transaction<Tables>, rows: OrderRow[]): Promise<number> {
  const result = await trx.insertInto('orders').ignore().values(rows).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/** Per open MySQL database: false once the server refused LOAD DATA LOCAL INFILE (multi-row INSERTs then). */
const loadDataUsable = new WeakMap<Database, boolean>();

/** Server errors that mean LOCAL INFILE is not permitted (local_infile=OFF, or the client flag refused). */
const LOCAL_INFILE_REFUSED = new Set(['ER_NOT_ALLOWED_COMMAND', 'ER_LOAD_INFILE_CAPABILITY_DISABLED']);

/**
 * MySQL's own bulk loader on the validated rows: `LOAD DATA LOCAL INFILE … IGNORE` of a TSV payload held in
 * memory, inside the batch's transaction (InnoDB: the rows and the progress commit together). Rows already
 * stored are skipped by the unique key, as with INSERT IGNORE. Falls back to multi-row INSERTs, for this
 * batch and the rest, when the server does not permit LOCAL INFILE.
 */
async function loadDataIgnoringDuplicates(
  database: Database,
  trx: Transaction<Tables>,
  rows: OrderRow[],
): Promise<number> {
  try {
    const result = await withInfile(rowsToTsv(rows), (name) =>
      sql`LOAD DATA LOCAL INFILE ${name} IGNORE INTO TABLE orders CHARACTER SET utf8mb4 (${sql.join(
        INFILE_COLUMNS.map((c) => sql.id(c)),
      )})`.execute(trx),
    );
    loadDataUsable.set(database, true);
    return Number(result.numAffectedRows ?? 0n);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (
      loadDataUsable.get(database) === undefined &&
      typeof code === 'string' &&
      LOCAL_INFILE_REFUSED.has(code)
    ) {
      loadDataUsable.set(database, false);
      return insertIgnoringDuplicates(trx, rows);
    }
    throw error;
  }
}

async function markFailed(
  database: Database,
  arn: string,
  reason: string,
  now: number,
  options: { resetOffset: boolean },
): Promise<void> {
  try {
    const stored = await countOrders(database, arn);
    await database.db
      .updateTable('execution_results')
      .set({
        import_status: 'failed',
        import_error: reason.slice(0, 4000),
        imported_orders: stored,
        updated_at: now,
        import_offset: options.resetOffset ? 0 : undefined,
      })
      .where('execution_arn', '=', arn)
      .execute();
    await addProcessingLog(database, arn, 'error', reason, now);
  } catch {
    // The database itself is failing: the row stays `importing` and its claim goes stale, then is retried.
  }
}

function s3JsonlSource(s3: S3Client, run: ImportableRun): OrderSource {
  return {
    resumable: true,
    async *read(offset: number) {
      if (offset > 0) {
        const head = await s3.send(new HeadObjectCommand({ Bucket: run.bucket, Key: run.ordersJsonlKey }));
        if ((head.ContentLength ?? 0) <= offset) return;
      }
      const object = await s3.send(
        new GetObjectCommand({
          Bucket: run.bucket,
          Key: run.ordersJsonlKey,
          Range: offset > 0 ? `bytes=${offset}-` : undefined,
        }),
      );
      const body = object.Body as AsyncIterable<Uint8Array> | undefined;
      if (!body || typeof body[Symbol.asyncIterator] !== 'function') {
        throw new Error(`s3://${run.bucket}/${run.ordersJsonlKey} returned no readable body`);
      }
      for await (const line of linesWithOffsets(body, offset)) {
        if (line.text.trim() === '') continue;
        yield {
          order: parseOrderLine(line.text, `${run.ordersJsonlKey} line ${line.number}`),
          end: line.end,
        };
      }
    },
  };
}
