/**
 * Database import: the product's batched, resumable import (importRun) of a run's orders.jsonl from a local
 * s3rver into SQLite and MySQL, beside the row-at-a-time baseline (importRunRowByRow) on a smaller sample and
 * the database's own bulk loader on the same rows (the anchor), in the same run. Orders are realistic canonical
 * records (see canonicalLines.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createDatabase, countOrders, importRun, importRunRowByRow } from '../../src/db';
import { recordExecution } from '../../src/db/executions';
import { insertJsonIntoOrders, loadTsvIntoOrders } from '../../src/db/bulkLoad';
import { parseWorkerAvailable } from '../../src/db/batchParser';
import { rowsToTsv } from '../../src/db/localInfile';
import { orderToRow, parseOrderLine } from '../../src/db/orderRecord';
import type { OrderRow } from '../../src/db/orderRecord';
import type { Database, ImportOutcome } from '../../src/db';
import {
  createS3Client,
  localS3ProcessAvailable,
  RunStore,
  resultKeys,
  startLocalS3,
  startLocalS3Process,
} from '../../src/storage';
import { lineTemplates, renderLine } from '../lib/canonicalLines';
import { machineInfo } from '../lib/machine';
import type { MachineInfo } from '../lib/machine';
import { log, round } from '../lib/results';

const BUCKET = 'bench-db';
export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';
export const BENCH_MYSQL_DB = 'bitget_orders_bench';

export interface ImportFigures {
  database: 'sqlite' | 'mysql';
  /** The product's import, its row-at-a-time baseline, or the database's own bulk loader on the same rows. */
  method: 'batched' | 'row-by-row' | 'loader';
  /** Which of the alternating rounds of import and loader (0 for the baseline). */
  round?: number;
  orders: number;
  ms: number;
  ordersPerSecond: number;
  imported: number;
  ok: boolean;
  error?: string;
}

export interface DatabaseBenchResult {
  scenario: 'database-import';
  machine: MachineInfo;
  method: string;
  results: ImportFigures[];
  speedup: { sqlite: number | null; mysql: number | null };
  /** The database's own loader's time ÷ the product's import time, on the same rows, summed over the rounds (target ≥ 0.8). */
  versusLoader: { sqlite: number | null; mysql: number | null };
  targets: {
    sqliteSpeedup: boolean;
    mysqlSpeedup: boolean;
    sqliteLoader: boolean;
    mysqlLoader: boolean;
    allOrders: boolean;
    all: boolean;
  };
}

/** Runs statements on the server of `base`, no database selected. */
async function onMysqlServer(base: string, ...statements: string[]): Promise<void> {
  const admin = new URL(base);
  admin.pathname = '/';
  const conn = await createConnection(admin.toString());
  try {
    for (const statement of statements) await conn.query(statement);
  } finally {
    await conn.end();
  }
}

const DROP_BENCH_DB = `DROP DATABASE IF EXISTS \`${BENCH_MYSQL_DB}\``;

/** The MySQL URL of the bench database, created empty here (dropped again after the bench). */
async function createBenchMysql(base: string): Promise<string> {
  await onMysqlServer(base, DROP_BENCH_DB, `CREATE DATABASE \`${BENCH_MYSQL_DB}\``);
  const url = new URL(base);
  url.pathname = `/${BENCH_MYSQL_DB}`;
  return url.toString();
}

async function writeJsonl(store: RunStore, runId: string, n: number): Promise<string[]> {
  const templates = await lineTemplates();
  const all: string[] = [];
  const out = resultKeys(runId);
  const up = store.createUpload(out.ordersJsonl, 'application/x-ndjson');
  const t0 = Date.UTC(2025, 0, 1);
  for (let k = 0; k < n; k += 1000) {
    const chunk: string[] = [];
    for (let i = k; i < Math.min(n, k + 1000); i++) {
      const id = '1200000000' + String(i).padStart(9, '0');
      chunk.push(renderLine(templates[i % templates.length]!, id, t0 + i * 1000, t0 + i * 1000 + 500));
    }
    all.push(...chunk);
    if (!up.stream.write(chunk.join('\n') + '\n')) await new Promise((r) => up.stream.once('drain', r));
  }
  up.stream.end();
  await up.done();
  await store.putJson(out.summary, { runId, complete: true, orders: n });
  await store.putText(out.ordersJson, '{"orders":[]}\n', 'application/json');
  return all;
}

const LOADER_CHUNK = 10_000;

/**
 * The database's own bulk loader on the same rows, prepared beforehand (not timed): MySQL `LOAD DATA LOCAL
 * INFILE` of the rows as TSV, SQLite `INSERT … SELECT … FROM json_each(?)` of the rows as JSON arrays; chunks of
 * 10 000 rows in one transaction. Returns the loaded rows and the ms of the load alone.
 */
async function loadWithDatabaseLoader(db: Database, executionArn: string, rows: OrderRow[]): Promise<number> {
  await recordExecution(db, { executionArn, name: 'loader' }, Date.now());
  const chunks: OrderRow[][] = [];
  for (let i = 0; i < rows.length; i += LOADER_CHUNK) chunks.push(rows.slice(i, i + LOADER_CHUNK));
  // The statements the import itself runs (src/db/bulkLoad.ts), on payloads prepared beforehand.
  const mysql = db.kind === 'mysql';
  const payloads = chunks.map((c) => (mysql ? rowsToTsv(c) : JSON.stringify(c)));
  const t0 = performance.now();
  await db.db.transaction().execute(async (trx) => {
    for (const payload of payloads)
      await (mysql ? loadTsvIntoOrders(trx, payload) : insertJsonIntoOrders(trx, payload));
  });
  return performance.now() - t0;
}

export async function runDatabaseBench(options: {
  batchedOrders: number;
  rowByRowOrders: number;
  /** Rounds of import and loader, alternating (default 2). */
  rounds?: number;
  mysqlUrl?: string;
  skipMysql?: boolean;
  skipSqlite?: boolean;
}): Promise<DatabaseBenchResult> {
  const machine = machineInfo();
  const dir = mkdtempSync(join(tmpdir(), 'bench-db-'));
  // The S3 server in a process of its own when the project is built, as the CLI runs it (src/cli/localBucket.ts):
  // its work is not the import's.
  const s3Options = { directory: join(dir, 's3'), bucket: BUCKET };
  const s3 = localS3ProcessAvailable() ? await startLocalS3Process(s3Options) : await startLocalS3(s3Options);
  const s3Client = createS3Client(s3);
  const store = new RunStore(s3Client, BUCKET);
  const results: ImportFigures[] = [];
  const mysqlBase = options.mysqlUrl ?? process.env['MYSQL_URL'] ?? DEFAULT_MYSQL_URL;
  try {
    const runs = { batched: 'db-batched', rowByRow: 'db-row-by-row' };
    log(`database: writing ${options.batchedOrders} + ${options.rowByRowOrders} orders`);
    const lines = await writeJsonl(store, runs.batched, options.batchedOrders);
    const loaderArn = 'arn:aws:states:local:000000000000:execution:bitget-orders-extraction:db-loader';
    const batchedArn = `arn:aws:states:local:000000000000:execution:bitget-orders-extraction:${runs.batched}`;
    const rounds = Math.max(1, options.rounds ?? 2);
    const loaderRows = lines.map((l, i) => orderToRow(loaderArn, parseOrderLine(l, `line ${i + 1}`), 0));
    await writeJsonl(store, runs.rowByRow, options.rowByRowOrders);

    const kinds: { kind: 'sqlite' | 'mysql'; open: () => Promise<Database>; cleanup: () => Promise<void> }[] =
      [];
    if (!options.skipSqlite) {
      kinds.push({
        kind: 'sqlite',
        open: () => createDatabase(`sqlite:${join(dir, 'bench.sqlite')}`),
        cleanup: async () => undefined,
      });
    }
    if (!options.skipMysql) {
      kinds.push({
        kind: 'mysql',
        open: async () => createDatabase(await createBenchMysql(mysqlBase)),
        cleanup: () => onMysqlServer(mysqlBase, DROP_BENCH_DB),
      });
    }
    for (const k of kinds) {
      let db: Database | undefined;
      try {
        db = await k.open();
        const importOnce = async (
          method: 'batched' | 'row-by-row',
          runId: string,
          n: number,
          executionArn: string,
          round: number,
        ) => {
          const out = resultKeys(runId);
          const importer = method === 'batched' ? importRun : importRunRowByRow;
          log(`database: ${k.kind} ${method} ${n} orders`);
          const t0 = performance.now();
          let outcome: ImportOutcome | undefined;
          let error: string | undefined;
          try {
            outcome = await importer(db!, s3Client, {
              bucket: BUCKET,
              runId,
              ordersJsonlKey: out.ordersJsonl,
              ordersJsonKey: out.ordersJson,
              summaryKey: out.summary,
              complete: true,
              orders: n,
              executionArn,
            });
          } catch (err) {
            error = err instanceof Error ? err.message : String(err);
          }
          const ms = performance.now() - t0;
          const imported = await countOrders(db!, executionArn).catch(() => -1);
          results.push({
            database: k.kind,
            method,
            round,
            orders: n,
            ms: Math.round(ms),
            ordersPerSecond: Math.round(n / (ms / 1000)),
            imported,
            ok: outcome?.status === 'imported' && imported === n,
            error,
          });
          log(`database: ${JSON.stringify(results.at(-1))}`);
        };
        const loadOnce = async (round: number) => {
          const arn = `${loaderArn}-${round}`;
          const rows = loaderRows.map((r) => ({ ...r, execution_arn: arn }));
          log(`database: ${k.kind} loader ${rows.length} orders`);
          const loaderMs = await loadWithDatabaseLoader(db!, arn, rows);
          const loaded = await countOrders(db!, arn).catch(() => -1);
          results.push({
            database: k.kind,
            method: 'loader',
            round,
            orders: rows.length,
            ms: Math.round(loaderMs),
            ordersPerSecond: Math.round(rows.length / (loaderMs / 1000)),
            imported: loaded,
            ok: loaded === rows.length,
          });
          log(`database: ${JSON.stringify(results.at(-1))}`);
        };
        // The import and the loader alternate (import, loader, loader, import, …): on a shared machine neither
        // gets the quieter minutes, and the table grows alike under both.
        for (let round = 0; round < rounds; round++) {
          const arn = `${batchedArn}-${round}`;
          if (round % 2 === 0) {
            await importOnce('batched', runs.batched, options.batchedOrders, arn, round);
            await loadOnce(round);
          } else {
            await loadOnce(round);
            await importOnce('batched', runs.batched, options.batchedOrders, arn, round);
          }
        }
        await importOnce(
          'row-by-row',
          runs.rowByRow,
          options.rowByRowOrders,
          `arn:aws:states:local:000000000000:execution:bitget-orders-extraction:${runs.rowByRow}`,
          0,
        );
      } catch (err) {
        results.push({
          database: k.kind,
          method: 'batched',
          orders: 0,
          ms: 0,
          ordersPerSecond: 0,
          imported: 0,
          ok: false,
          error: err instanceof Error ? err.message : String(err),
        });
      } finally {
        await db?.close();
        await k.cleanup().catch(() => undefined);
      }
    }
  } finally {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const speedupOf = (kind: 'sqlite' | 'mysql') => {
    const b = results.find((r) => r.database === kind && r.method === 'batched' && r.ok);
    const r = results.find((x) => x.database === kind && x.method === 'row-by-row' && x.ok);
    return b && r ? round(b.ordersPerSecond / r.ordersPerSecond, 1) : null;
  };
  const speedup = { sqlite: speedupOf('sqlite'), mysql: speedupOf('mysql') };
  const versusLoaderOf = (kind: 'sqlite' | 'mysql') => {
    const of = (method: string) => results.filter((r) => r.database === kind && r.method === method);
    const b = of('batched');
    const l = of('loader');
    if (b.length === 0 || l.length === 0 || ![...b, ...l].every((r) => r.ok)) return null;
    const total = (rs: ImportFigures[]) => rs.reduce((n, r) => n + r.ms, 0);
    return round(total(l) / total(b), 2);
  };
  const versusLoader = { sqlite: versusLoaderOf('sqlite'), mysql: versusLoaderOf('mysql') };
  const targets = {
    sqliteSpeedup: options.skipSqlite ? true : (speedup.sqlite ?? 0) >= 20,
    mysqlSpeedup: options.skipMysql ? true : (speedup.mysql ?? 0) >= 20,
    sqliteLoader: options.skipSqlite ? true : (versusLoader.sqlite ?? 0) >= 0.8,
    mysqlLoader: options.skipMysql ? true : (versusLoader.mysql ?? 0) >= 0.8,
    allOrders: results.every((r) => r.ok),
    all: false,
  };
  targets.all =
    targets.sqliteSpeedup &&
    targets.mysqlSpeedup &&
    targets.sqliteLoader &&
    targets.mysqlLoader &&
    targets.allOrders;
  return {
    scenario: 'database-import',
    machine,
    method: `orders.jsonl of N realistic canonical orders in a local s3rver bucket (its own process when built); importRun (validated ${parseWorkerAvailable() ? 'in a worker thread' : 'in process'}, batches of 5000 — MySQL one LOAD DATA LOCAL INFILE of a TSV, SQLite multi-row INSERTs of bound parameters, 1000 rows per statement — progress committed per batch, two batches validated ahead of the one written) vs importRunRowByRow (same validation, one autocommitted INSERT per row) on a smaller sample, and the database’s own loader on the same rows prepared beforehand (MySQL LOAD DATA LOCAL INFILE, SQLite INSERT … SELECT FROM json_each, 10 000 rows per statement, one transaction; import and loader alternate over two rounds, import-loader then loader-import; versusLoader = the loader's ms ÷ importRun's ms, each summed over the rounds); SQLite file (WAL) and MariaDB database bitget_orders_bench (created and dropped here). Rows/s = orders ÷ wall time of the import call.`,
    results,
    speedup,
    versusLoader,
    targets,
  };
}
