import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { ExportError, writeOrders } from '../archive/exportFormats';
import type { CanonicalOrder } from '../core/order';
import { parseOrderLine } from '../db';
import { reportKey } from '../report/writeRunReport';
import { resultKeys, RUN_ID_PATTERN } from '../storage/keys';
import type { RunStore } from '../storage/RunStore';
import { BadRequestError, NotFoundError, UpstreamError } from './errors';

/** How result files reach a client: streamed through the API (local) or a redirect to a presigned URL (AWS). */
export type ResultDelivery = 'stream' | 'presign';

interface ResultFile {
  contentType: string;
  key: (runId: string) => string;
  /** Derived files are written from orders.jsonl on first request (with the archive's exporters) and kept. */
  derived?: 'csv' | 'parquet';
}

/** The files of a run's result a client may download, by name. */
export const RESULT_FILES: Record<string, ResultFile> = {
  'orders.jsonl': { contentType: 'application/x-ndjson', key: (r) => resultKeys(r).ordersJsonl },
  'orders.json': { contentType: 'application/json', key: (r) => resultKeys(r).ordersJson },
  'summary.json': { contentType: 'application/json', key: (r) => resultKeys(r).summary },
  'report.html': { contentType: 'text/html; charset=utf-8', key: reportKey },
  'orders.csv': {
    contentType: 'text/csv; charset=utf-8',
    key: (r) => `results/${r}/orders.csv`,
    derived: 'csv',
  },
  'orders.parquet': {
    contentType: 'application/vnd.apache.parquet',
    key: (r) => `results/${r}/orders.parquet`,
    derived: 'parquet',
  },
};
export const RESULT_FILE_NAMES = Object.keys(RESULT_FILES);

export function assertRunId(runId: string): void {
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new BadRequestError('params/runId must be 1-80 letters, digits, _ or -', 'params/runId');
  }
}

export function resultFile(name: string): ResultFile {
  const file = RESULT_FILES[name];
  if (!file) {
    throw new NotFoundError(
      `params/name must be one of ${RESULT_FILE_NAMES.join(', ')}, got ${JSON.stringify(name)}`,
    );
  }
  return file;
}

async function* ordersOf(store: RunStore, runId: string): AsyncGenerator<CanonicalOrder> {
  let n = 0;
  for await (const line of store.readLines(resultKeys(runId).ordersJsonl)) {
    n += 1;
    yield parseOrderLine(line, `line ${n}`);
  }
}

const deriving = new Map<string, Promise<void>>();

/** The object key of a run's file, writing a derived file (CSV, Parquet) from orders.jsonl when it is missing. */
export async function ensureResultFile(store: RunStore, runId: string, name: string): Promise<string> {
  assertRunId(runId);
  const file = resultFile(name);
  const key = file.key(runId);
  if (await store.exists(key)) return key;
  if (!file.derived) throw new NotFoundError(`run ${runId} has no ${name}`);
  if (!(await store.exists(resultKeys(runId).ordersJsonl))) {
    throw new NotFoundError(`run ${runId} has no result (no orders.jsonl to write ${name} from)`);
  }
  // Two requests for the same missing file share one conversion.
  let running = deriving.get(key);
  if (!running) {
    running = derive(store, runId, file.derived, key, file.contentType).finally(() => deriving.delete(key));
    deriving.set(key, running);
  }
  await running;
  return key;
}

async function derive(
  store: RunStore,
  runId: string,
  format: 'csv' | 'parquet',
  key: string,
  contentType: string,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bitget-orders-file-'));
  try {
    const path = join(dir, `orders.${format}`);
    try {
      await writeOrders(format, ordersOf(store, runId), path);
    } catch (error) {
      // The exporter's library is missing here: say so (503), the other files stay downloadable.
      if (error instanceof ExportError) throw new UpstreamError(error.message, 503);
      throw error;
    }
    const upload = store.createUpload(key, contentType);
    await pipeline(createReadStream(path), upload.stream);
    await upload.done();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function openResultFile(store: RunStore, key: string): Promise<Readable> {
  return store.openStream(key);
}
