import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { RunStore, StorageCorruptError, createS3Client, startLocalS3 } from '../../src/storage';
import type { LocalS3 } from '../../src/storage';

describe('RunStore against a real S3 protocol server (s3rver)', () => {
  let dir: string;
  let s3: LocalS3;
  let store: RunStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runstore-'));
    s3 = await startLocalS3({ directory: dir, bucket: 'test-bucket' });
    store = new RunStore(createS3Client(s3), s3.bucket);
  });
  afterAll(async () => {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips validated JSON and answers null for a missing key', async () => {
    await store.putJson('runs/a/plan.json', { n: 1 });
    await expect(store.getJson('runs/a/plan.json', z.object({ n: z.number() }))).resolves.toEqual({ n: 1 });
    await expect(store.getJson('runs/a/missing.json', z.object({}))).resolves.toBeNull();
  });

  it('refuses stored JSON of the wrong shape with an error naming the key', async () => {
    await store.putJson('runs/a/bad.json', { n: 'one' });
    await expect(store.getJson('runs/a/bad.json', z.object({ n: z.number() }))).rejects.toThrow(
      StorageCorruptError,
    );
  });

  it('lists past one page of keys', async () => {
    const keys = Array.from({ length: 1005 }, (_, i) => `runs/list/${String(i).padStart(5, '0')}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((k) => store.putText(k, 'x')));
    }
    const listed = await store.list('runs/list/');
    expect(listed).toEqual(keys);
    await store.deleteKeys(listed);
    await expect(store.list('runs/list/')).resolves.toEqual([]);
  });

  it('streams an upload of 200,000 lines and reads it back line by line', async () => {
    const { stream, done } = store.createUpload('results/r/big.jsonl', 'application/x-ndjson');
    const lines = 200_000;
    const line = (i: number) => JSON.stringify({ i, pad: 'x'.repeat(40) });
    for (let i = 0; i < lines; i++) {
      if (!stream.write(line(i) + '\n')) await new Promise((r) => stream.once('drain', r));
    }
    stream.end();
    await done();
    let count = 0;
    for await (const l of store.readLines('results/r/big.jsonl')) {
      expect(l).toBe(line(count));
      count++;
    }
    expect(count).toBe(lines);
  });

  it('splits lines as readline does: LF, CRLF and a lone CR, empty lines dropped, multi-byte characters across chunks', async () => {
    // Over 1 MiB, so that the body comes in many chunks and some of them end inside a character or a CRLF.
    const pieces: string[] = [];
    let length = 0;
    for (let i = 0; length < 1_500_000; i++) {
      const piece = `{"i":${i},"s":"é€😀${'z'.repeat(i % 50)}"}${['\n', '\r\n', '\r', '\n\n'][i % 4]}`;
      pieces.push(piece);
      length += piece.length;
    }
    const text = pieces.join('') + 'last line without a break';
    await store.putText('results/r/mixed.jsonl', text);
    const expected: string[] = [];
    for await (const l of createInterface({ input: Readable.from([text]), crlfDelay: Infinity }))
      if (l.length > 0) expected.push(l);
    const lines: string[] = [];
    for await (const l of store.readLines('results/r/mixed.jsonl')) lines.push(l);
    expect(lines.length).toBeGreaterThan(10_000);
    expect(lines).toEqual(expected);
  });

  it('reads lines as bytes: LF and CRLF end them (a lone CR does not), empty lines dropped, every byte kept across chunks', async () => {
    // Over 1 MiB with multi-byte characters: chunks end inside characters, inside CRLFs and inside lines.
    const expected: Buffer[] = [];
    const pieces: Buffer[] = [];
    let length = 0;
    for (let i = 0; length < 1_500_000; i++) {
      const line = Buffer.from(`{"i":${i},"s":"é€😀\r${'z'.repeat(i % 700)}"}`);
      const end = ['\n', '\r\n', '\n\n'][i % 3]!;
      pieces.push(line, Buffer.from(end));
      expected.push(line);
      length += line.length + end.length;
    }
    const last = Buffer.from('{"last":"line without a break"}');
    pieces.push(last);
    expected.push(last);
    await store.putText('results/r/bytes.jsonl', Buffer.concat(pieces).toString('utf8'));
    const lines: Buffer[] = [];
    let batches = 0;
    for await (const batch of store.readByteLineBatches('results/r/bytes.jsonl')) {
      batches++;
      lines.push(...batch);
    }
    expect(batches).toBeGreaterThan(1);
    expect(lines.length).toBe(expected.length);
    expect(lines.every((l, i) => l.equals(expected[i]!))).toBe(true);
  });

  it("assembles a multipart upload of several parts intact, with S3's multipart ETag (MD5 of the parts' MD5s)", async () => {
    const { stream, done } = store.createUpload('results/r/parts.jsonl', 'application/x-ndjson');
    const part = 32 * 1024 * 1024;
    const size = 1024; // a part holds a whole number of lines
    const line = (i: number) => `${String(i).padStart(9, '0')} ${'y'.repeat(size - 11)}\n`;
    const lines = (2.5 * part) / size;
    const whole = createHash('md5');
    for (let i = 0; i < lines; i++) {
      whole.update(line(i));
      if (!stream.write(line(i))) await new Promise((r) => stream.once('drain', r));
    }
    stream.end();
    await done();
    const bytes = lines * size;
    const partMd5s = [0, 1, 2].map((k) =>
      createHash('md5')
        .update(
          Buffer.concat(
            Array.from({ length: Math.min(part, bytes - k * part) / size }, (_, j) =>
              Buffer.from(line(k * (part / size) + j)),
            ),
          ),
        )
        .digest(),
    );
    const head = await createS3Client(s3).send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: 'results/r/parts.jsonl' }),
    );
    expect(head.ContentLength).toBe(bytes);
    expect(head.ETag).toBe(`"${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-3"`);
    const back = createHash('md5');
    let count = 0;
    for await (const l of store.readLines('results/r/parts.jsonl')) {
      back.update(l + '\n');
      count++;
    }
    expect(count).toBe(lines);
    expect(back.digest('hex')).toBe(whole.digest('hex'));
  });

  it('presigns a GET URL that downloads the object without credentials', async () => {
    await store.putText('results/r/summary.json', '{"ok":true}', 'application/json');
    const url = await store.presignGet('results/r/summary.json', 600);
    expect(url).toContain('X-Amz-Signature=');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});
