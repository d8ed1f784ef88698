import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { RunOutput } from '../core/engine';
import type { CanonicalOrder } from '../core/order';
import type { Database } from './connection';
import { ImportFailedError } from './errors';
import { addProcessingLog, recordExecution } from './executions';
import { createBatchParser } from './batchParser';
import { insertValuesIntoOrders, loadTsvIntoOrders } from './bulkLoad';
import { lineBatchesWithOffsets } from './lines';
import { rowsPayload } from './orderPayload';
import type { OrderPayload, PayloadFormat } from './orderPayload';
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
  /** Rows per batch (MySQL: one LOAD DATA; SQLite: multi-row INSERTs of 1000 rows; default 5000), each in its own transaction with the progress it makes. */
  batchSize?: number;
  /** Validate the lines in a worker thread when the compiled worker exists (default true; see batchParser.ts). */
  parseInWorker?: boolean;
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

/**
 * A source of orders that can start at a recorded offset (bytes for S3 NDJSON) or only from the start: lines to
 * validate (a result file) or orders validated already (a file fetched by save-from-url).
 */
interface OrderSource {
  resumable: boolean;
  /** Names the lines in errors (the object's key). */
  name: string;
  /** True when the source yields orders validated already (no lines to parse). */
  validated: boolean;
  /** The items from `offset`, a batch at a time (a chunk of the body's lines: one await per chunk). */
  read(offset: number): AsyncIterable<readonly SourceItem[]>;
}

type SourceItem = { line: string; number: number; end: number } | { order: CanonicalOrder; end: number };

const DEFAULT_BATCH = 5000;
/** Batches validated ahead of the one being written. */
const PARSE_AHEAD = 2;

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
    name: 'orders',
    validated: true,
    async *read() {
      yield orders.map((order) => ({ order, end: 0 }));
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
  const batchSize = mode === 'row-by-row' ? 1 : (options.batchSize ?? DEFAULT_BATCH);
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
  const format = await payloadFormat(database);
  // Batches are validated (in a worker thread when there is one) up to PARSE_AHEAD ahead of the one being
  // written: on two cores the reading, the parsing and the database's own work overlap. Batches still commit
  // one after another, in order, each with its end offset.
  const parser =
    mode === 'batched'
      ? createBatchParser({
          worker: (options.parseInWorker ?? true) && !source.validated && expectedOrders > batchSize,
        })
      : null;
  // Batches are written one after another, in order, by one chain: the loop goes on reading (and the parser on
  // validating) while a batch is written. A failed batch stops the chain: no later batch is written after it.
  let writing: Promise<void> = Promise.resolve();
  const unwritten: Promise<void>[] = [];
  const enqueue = (payload: Promise<OrderPayload>, end: number) => {
    writing = writing.then(async () => {
      insertedNow += await insertBatch(database, arn, await payload, source.resumable ? end : 0, now());
    });
    const written = writing;
    // A failure surfaces when the loop waits for this batch, or at the end; never unobserved.
    written.catch(() => undefined);
    unwritten.push(written);
  };
  try {
    let lines: string[] = [];
    let numbers: number[] = [];
    let orders: CanonicalOrder[] = [];
    let batchEnd = startOffset;
    const flush = async () => {
      if (lines.length + orders.length === 0) return;
      const payload =
        lines.length > 0
          ? parser!.parse({
              source: source.name,
              executionArn: arn,
              storedAt: now(),
              lines,
              numbers,
              format,
            })
          : Promise.resolve(
              rowsPayload(
                orders.map((o) => orderToRow(arn, o, now())),
                format,
              ),
            );
      // A batch that fails validation fails when its turn to be written comes (the batches before it are written).
      payload.catch(() => undefined);
      enqueue(payload, batchEnd);
      lines = [];
      numbers = [];
      orders = [];
      while (unwritten.length > PARSE_AHEAD) await unwritten.shift();
    };
    for await (const items of source.read(startOffset)) {
      for (const item of items) {
        if (mode === 'row-by-row') {
          const order = 'order' in item ? item.order : parseOrderLine(item.line, lineName(source, item));
          insertedNow += await insertRow(database, orderToRow(arn, order, now()));
          continue;
        }
        if ('order' in item) orders.push(item.order);
        else {
          lines.push(item.line);
          numbers.push(item.number);
        }
        batchEnd = item.end;
        if (lines.length + orders.length >= batchSize) await flush();
      }
    }
    await flush();
    await writing;
  } catch (error) {
    // Batches read before a failed read are still written; nothing is written after a failed batch.
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
  } finally {
    await parser?.close();
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

const lineName = (source: OrderSource, item: { number: number }) => `${source.name} line ${item.number}`;

/** One bulk-loader statement that skips rows already present, committed together with the progress it makes. */
async function insertBatch(
  database: Database,
  arn: string,
  payload: OrderPayload,
  endOffset: number,
  now: number,
): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    const inserted = await writePayload(database, trx, payload);
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

async function writePayload(
  database: Database,
  trx: Transaction<Tables>,
  payload: OrderPayload,
): Promise<number> {
  if (payload.format === 'values') return insertValuesIntoOrders(trx, database.kind, payload.values);
  try {
    return await loadTsvIntoOrders(trx, payload.payload);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && LOCAL_INFILE_REFUSED.has(code)) loadDataUsable.set(database, false);
    throw error;
  }
}

async function insertRow(database: Database, row: OrderRow): Promise<number> {
  const result = await database.db.insertInto('orders').ignore().values(row).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/** Per open MySQL database: whether the server permits LOAD DATA LOCAL INFILE. */
const loadDataUsable = new WeakMap<Database, boolean>();

/** Server errors that mean LOCAL INFILE is not permitted (local_infile=OFF, or the client flag refused). */
const LOCAL_INFILE_REFUSED = new Set(['ER_NOT_ALLOWED_COMMAND', 'ER_LOAD_INFILE_CAPABILITY_DISABLED']);

/**
 * The payload of a batch: MySQL a TSV for its own loader, `LOAD DATA LOCAL INFILE` (inside the batch's
 * transaction: InnoDB commits the rows and the progress together), when the server's `local_infile` is on; SQLite
 * (and MySQL without LOCAL INFILE) the values for multi-row INSERTs of bound parameters, which SQLite runs for
 * less CPU than its `json_each` loader. A server that refuses LOCAL INFILE all the same fails that batch; the
 * import's next attempt uses INSERTs (see writePayload).
 */
async function payloadFormat(database: Database): Promise<PayloadFormat> {
  if (database.kind === 'sqlite') return 'values';
  let usable = loadDataUsable.get(database);
  if (usable === undefined) {
    const { rows } = await sql<{ v: unknown }>`SELECT @@GLOBAL.local_infile AS v`.execute(database.db);
    usable = Number(rows[0]?.v) === 1;
    loadDataUsable.set(database, usable);
  }
  return usable ? 'tsv' : 'values';
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
    name: run.ordersJsonlKey,
    validated: false,
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
      for await (const lines of lineBatchesWithOffsets(body, offset)) {
        const items: SourceItem[] = [];
        for (const line of lines) {
          if (line.text.trim() !== '') items.push({ line: line.text, number: line.number, end: line.end });
        }
        yield items;
      }
    },
  };
}
