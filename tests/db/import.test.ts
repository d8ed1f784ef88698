import { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  getExecution,
  ImportFailedError,
  importRun,
  importRunRowByRow,
  listOrders,
  listProcessingLogs,
  countOrders,
} from '../../src/db';
import { sql } from 'kysely';
import { insertValuesIntoOrders } from '../../src/db/bulkLoad';
import { recordExecution } from '../../src/db/executions';
import { rowsPayload } from '../../src/db/orderPayload';
import { orderToRow } from '../../src/db/orderRecord';
import { DATABASE_KINDS } from './support/databases';
import type { TestDatabase } from './support/databases';
import { localArn, makeOrder, makeOrders, toJsonl, writeRun } from './support/orders';
import { startTestS3 } from './support/s3';
import type { TestS3 } from './support/s3';

/** Makes the next GetObject body deliver `bytes` bytes and then fail, like a connection dropped midway. */
function failGetObjectAfter(s3: S3Client, bytes: number): jest.SpyInstance {
  const original = s3.send.bind(s3);
  const spy = jest.spyOn(s3, 'send') as unknown as jest.SpyInstance;
  spy.mockImplementationOnce(async (command: unknown) => {
    const result = (await original(command as GetObjectCommand)) as { Body: AsyncIterable<Uint8Array> };
    const source = result.Body;
    async function* truncated() {
      let sent = 0;
      for await (const chunk of source) {
        const room = bytes - sent;
        if (chunk.length >= room) {
          yield Buffer.from(chunk).subarray(0, room);
          throw new Error('socket hang up');
        }
        sent += chunk.length;
        yield chunk;
      }
    }
    return { ...result, Body: Readable.from(truncated()) };
  });
  return spy;
}

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3.close();
});

describe.each(DATABASE_KINDS)('importing a run into %s', (_kind, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t?.dispose();
  });
  afterEach(() => jest.restoreAllMocks());

  const put = (key: string, body: string) => s3.put(key, body);

  it('imports every order in batches and marks the execution imported', async () => {
    const arn = localArn(`batched-${t.kind}`);
    const run = await writeRun(put, s3.bucket, `batched-${t.kind}`, makeOrders(2500));
    const outcome = await importRun(t.database, s3.s3, { ...run, executionArn: arn }, { batchSize: 1000 });
    expect(outcome).toEqual({
      status: 'imported',
      executionArn: arn,
      importedOrders: 2500,
      insertedNow: 2500,
    });
    const record = await getExecution(t.database, arn);
    expect(record?.import.status).toBe('imported');
    expect(record?.import.importedOrders).toBe(2500);
    expect(record?.ordersCount).toBe(2500);
    expect(record?.status).toBe('SUCCEEDED');
    expect(record?.summary).toEqual({ runId: `batched-${t.kind}`, orders: 2500, complete: true });
  });

  it('adds nothing when the same execution is imported again', async () => {
    const arn = localArn(`twice-${t.kind}`);
    const run = await writeRun(put, s3.bucket, `twice-${t.kind}`, makeOrders(30));
    await importRun(t.database, s3.s3, { ...run, executionArn: arn });
    const again = await importRun(t.database, s3.s3, { ...run, executionArn: arn });
    const forced = await importRun(t.database, s3.s3, { ...run, executionArn: arn }, { force: true });
    expect(again.status).toBe('already-imported');
    expect(forced).toMatchObject({ status: 'imported', importedOrders: 30, insertedNow: 0 });
    expect(await countOrders(t.database, arn)).toBe(30);
  });

  it('reads amounts back as the exact decimal strings that were imported', async () => {
    const arn = localArn(`amounts-${t.kind}`);
    const order = makeOrder(1, { size: '0.000079400000', price: '123456789.123456789012', fee: '1E-8' });
    const run = await writeRun(put, s3.bucket, `amounts-${t.kind}`, [order]);
    await importRun(t.database, s3.s3, { ...run, executionArn: arn });
    const page = await listOrders(t.database, arn, { skip: 0, limit: 10 });
    expect(page.orders[0]).toEqual(order);
    expect(page.orders[0]!.size).toBe('0.000079400000');
  });

  it('leaves an interrupted import not imported, and a retry resumes it to the exact count', async () => {
    const arn = localArn(`interrupted-${t.kind}`);
    const orders = makeOrders(500);
    const run = await writeRun(put, s3.bucket, `interrupted-${t.kind}`, orders);
    const half = Math.floor(Buffer.byteLength(toJsonl(orders)) / 2);
    failGetObjectAfter(s3.s3, half);

    await expect(
      importRun(t.database, s3.s3, { ...run, executionArn: arn }, { batchSize: 50 }),
    ).rejects.toThrow(ImportFailedError);
    const interrupted = await getExecution(t.database, arn);
    expect(interrupted?.import.status).toBe('failed');
    expect(interrupted?.import.error).toMatch(/socket hang up/);
    expect(interrupted?.import.offset).toBeGreaterThan(0);
    expect(interrupted?.import.importedOrders).toBeGreaterThan(0);
    expect(interrupted?.import.importedOrders).toBeLessThan(500);

    jest.restoreAllMocks();
    const send = jest.spyOn(s3.s3, 'send');
    const retried = await importRun(t.database, s3.s3, { ...run, executionArn: arn }, { batchSize: 50 });
    expect(retried).toMatchObject({ status: 'imported', importedOrders: 500 });
    expect(retried.insertedNow).toBe(500 - interrupted!.import.importedOrders);
    const get = send.mock.calls
      .map(([c]) => c)
      .find((c) => c instanceof GetObjectCommand) as GetObjectCommand;
    expect(get.input.Range).toBe(`bytes=${interrupted!.import.offset}-`);
    expect(await countOrders(t.database, arn)).toBe(500);
  });

  it('marks the execution failed when a line is not a canonical order, naming the line and field', async () => {
    const arn = localArn(`invalid-${t.kind}`);
    const run = await writeRun(put, s3.bucket, `invalid-${t.kind}`, makeOrders(3));
    const lines = toJsonl(makeOrders(3)).split('\n');
    lines[1] = JSON.stringify({ ...makeOrder(1), price: 37012.5 });
    await s3.put(run.ordersJsonlKey, lines.join('\n'));
    await expect(importRun(t.database, s3.s3, { ...run, executionArn: arn })).rejects.toThrow(
      /line 2: price/,
    );
    expect((await getExecution(t.database, arn))?.import.status).toBe('failed');
  });

  it('writes every batch before a bad line, validated ahead or not, and resumes there once the file is fixed', async () => {
    const arn = localArn(`bad-raw-${t.kind}`);
    const orders = makeOrders(300);
    const run = await writeRun(put, s3.bucket, `bad-raw-${t.kind}`, orders);
    const lines = toJsonl(orders).split('\n');
    lines[129] = JSON.stringify({ ...orders[129]!, raw: ['not', 'an', 'object'] });
    await s3.put(run.ordersJsonlKey, lines.join('\n'));
    await expect(
      importRun(t.database, s3.s3, { ...run, executionArn: arn }, { batchSize: 50 }),
    ).rejects.toThrow(/line 130: raw must be a JSON object/);
    const failed = await getExecution(t.database, arn);
    // Lines 1-100 (two batches) are committed with their offset; nothing of the batch holding line 130.
    expect(failed?.import).toMatchObject({ status: 'failed', importedOrders: 100 });
    expect(failed?.import.offset).toBe(Buffer.byteLength(lines.slice(0, 100).join('\n') + '\n'));
    expect(await countOrders(t.database, arn)).toBe(100);

    await s3.put(run.ordersJsonlKey, toJsonl(orders));
    const retried = await importRun(t.database, s3.s3, { ...run, executionArn: arn }, { batchSize: 50 });
    expect(retried).toMatchObject({ status: 'imported', importedOrders: 300, insertedNow: 200 });
  });

  it('never calls an execution imported when the file holds fewer orders than the run reports', async () => {
    const arn = localArn(`short-${t.kind}`);
    const run = await writeRun(put, s3.bucket, `short-${t.kind}`, makeOrders(10));
    await expect(importRun(t.database, s3.s3, { ...run, orders: 11, executionArn: arn })).rejects.toThrow(
      /holds 10 orders .* has 11/,
    );
    const record = await getExecution(t.database, arn);
    expect(record?.import.status).toBe('failed');
    expect(record?.import.importedOrders).toBe(10);
  });

  it('lets only one of two concurrent imports of the same execution do the work', async () => {
    const arn = localArn(`concurrent-${t.kind}`);
    const run = await writeRun(put, s3.bucket, `concurrent-${t.kind}`, makeOrders(200));
    const outcomes = await Promise.all([
      importRun(t.database, s3.s3, { ...run, executionArn: arn }, { batchSize: 20 }),
      importRun(t.database, s3.s3, { ...run, executionArn: arn }, { batchSize: 20 }),
    ]);
    const statuses = outcomes.map((o) => o.status).sort();
    expect(statuses.filter((s) => s === 'imported')).toHaveLength(1);
    expect(outcomes.reduce((n, o) => n + o.insertedNow, 0)).toBe(200);
    expect(await countOrders(t.database, arn)).toBe(200);
  });

  it('imports the same orders row by row (the benchmark baseline)', async () => {
    const arn = localArn(`row-by-row-${t.kind}`);
    const run = await writeRun(put, s3.bucket, `row-by-row-${t.kind}`, makeOrders(120));
    const outcome = await importRunRowByRow(t.database, s3.s3, { ...run, executionArn: arn });
    expect(outcome).toMatchObject({ status: 'imported', importedOrders: 120, insertedNow: 120 });
  });

  it('keeps text with tabs, newlines, backslashes, quotes and non-ASCII exactly as it was', async () => {
    const arn = localArn(`escapes-${t.kind}`);
    const order = makeOrder(7, {
      clientOid: 'a\tb\\n\\c"d\'e',
      orderType: 'limit\\N',
      raw: { note: 'line1\nline2\r\tend \\ \u0000 ümlaut 注文', nested: { q: '"x"' } },
    });
    const run = await writeRun(put, s3.bucket, `escapes-${t.kind}`, [order, makeOrder(8)]);
    await importRun(t.database, s3.s3, { ...run, executionArn: arn });
    const page = await listOrders(t.database, arn, { skip: 0, limit: 10 });
    expect(page.orders).toEqual([order, makeOrder(8)]);
  });

  it('records what the import did in the processing logs', async () => {
    const arn = localArn(`logs-${t.kind}`);
    const run = await writeRun(put, s3.bucket, `logs-${t.kind}`, makeOrders(5));
    await importRun(t.database, s3.s3, { ...run, executionArn: arn });
    const logs = await listProcessingLogs(t.database, arn);
    expect(logs.map((l) => l.message)).toEqual(['import started at offset 0', 'imported 5 orders (5 new)']);
  });
});

describe('importing into MySQL with its own bulk loader', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await DATABASE_KINDS.find(([kind]) => kind === 'mysql')![1]();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('loads each batch with LOAD DATA LOCAL INFILE, skipping rows already stored', async () => {
    const loads = async () => {
      const { rows } = await sql<{ Value: string }>`SHOW GLOBAL STATUS LIKE 'Com_load'`.execute(
        t.database.db,
      );
      return Number(rows[0]!.Value);
    };
    const arn = localArn('load-data');
    const orders = makeOrders(250);
    const run = await writeRun((k, b) => s3.put(k, b), s3.bucket, 'load-data', orders);
    const before = await loads();
    const outcome = await importRun(t.database, s3.s3, { ...run, executionArn: arn }, { batchSize: 100 });
    expect(outcome).toMatchObject({ status: 'imported', importedOrders: 250, insertedNow: 250 });
    expect((await loads()) - before).toBeGreaterThanOrEqual(3);
    const forced = await importRun(t.database, s3.s3, { ...run, executionArn: arn }, { force: true });
    expect(forced).toMatchObject({ status: 'imported', importedOrders: 250, insertedNow: 0 });
  });

  it("loads a batch larger than the server's max_allowed_packet (the payload is sent in packets under it)", async () => {
    const { rows } = await sql<{ max: string }>`SELECT @@max_allowed_packet AS max`.execute(t.database.db);
    const maxPacket = Number(rows[0]!.max);
    const batch = 5000;
    const pad = 'x'.repeat(Math.ceil((maxPacket * 1.25) / batch));
    if (pad.length > 64 * 1024) throw new Error(`max_allowed_packet ${maxPacket} is too large for this test`);
    const orders = Array.from({ length: batch }, (_, i) => makeOrder(i, { raw: { pad } }));
    const arn = localArn('large-batch');
    const run = await writeRun((k, b) => s3.put(k, b), s3.bucket, 'large-batch', orders);
    const outcome = await importRun(t.database, s3.s3, { ...run, executionArn: arn }, { batchSize: batch });
    expect(outcome).toMatchObject({ status: 'imported', importedOrders: batch, insertedNow: batch });
    expect(await countOrders(t.database, arn)).toBe(batch);
  });

  it('writes the same rows with multi-row INSERTs where LOCAL INFILE is off, skipping rows already stored', async () => {
    const arn = localArn('values-mysql');
    await recordExecution(t.database, { executionArn: arn, name: 'values-mysql' }, 1);
    const rows = makeOrders(2300).map((o) => orderToRow(arn, o, 5));
    const payload = rowsPayload(rows, 'values');
    if (payload.format !== 'values') throw new Error('not a values payload');
    expect(await insertValuesIntoOrders(t.database.db, 'mysql', payload.values)).toBe(2300);
    expect(await insertValuesIntoOrders(t.database.db, 'mysql', payload.values)).toBe(0);
    const stored = await t.database.db
      .selectFrom('orders')
      .selectAll()
      .where('execution_arn', '=', arn)
      .orderBy('id')
      .execute();
    expect(stored.map(({ id: _id, ...row }) => row)).toEqual(rows);
  });
});
