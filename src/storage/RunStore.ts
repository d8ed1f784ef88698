import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { z } from 'zod';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { RunLeaseHeldError, StorageCorruptError, classifyStorageError } from './errors';
import { runKeys } from './keys';
import type { LeaseRequest, RunLease } from './runLease';
import { runLeaseSchema } from './runLease';

/** Typed access to the run bucket: small JSON documents, NDJSON parts, streamed results. */
export class RunStore {
  constructor(
    readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async putJson(key: string, value: unknown): Promise<void> {
    await this.putText(key, JSON.stringify(value), 'application/json');
  }

  async putText(key: string, body: string, contentType = 'application/x-ndjson'): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
      );
    } catch (err) {
      throw classifyStorageError(err, `writing s3://${this.bucket}/${key}`);
    }
  }

  /** Writes a binary object (a Parquet file). */
  async putBytes(key: string, body: Uint8Array, contentType: string): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
      );
    } catch (err) {
      throw classifyStorageError(err, `writing s3://${this.bucket}/${key}`);
    }
  }

  /** Reads and validates a JSON document; null when it does not exist. */
  async getJson<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S> | null> {
    const text = await this.getText(key);
    if (text === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new StorageCorruptError(`s3://${this.bucket}/${key} is not valid JSON`);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new StorageCorruptError(
        `s3://${this.bucket}/${key} has an unexpected shape: ${issue?.path.join('.')} ${issue?.message}`,
      );
    }
    return result.data;
  }

  async getText(key: string): Promise<string | null> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await out.Body?.transformToString('utf8')) ?? '';
    } catch (err) {
      if (isNotFound(err)) return null;
      throw classifyStorageError(err, `reading s3://${this.bucket}/${key}`);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw classifyStorageError(err, `checking s3://${this.bucket}/${key}`);
    }
  }

  /** Every key under a prefix, in S3's (lexicographic) order. */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let marker: string | undefined;
    try {
      // ListObjects (v1) with Marker: s3rver's v2 continuation tokens use DES, which Node 22's OpenSSL lacks.
      do {
        const out = await this.s3.send(
          new ListObjectsCommand({ Bucket: this.bucket, Prefix: prefix, Marker: marker }),
        );
        const page = (out.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
        keys.push(...page);
        marker = out.IsTruncated ? (out.NextMarker ?? page[page.length - 1]) : undefined;
      } while (marker);
    } catch (err) {
      throw classifyStorageError(err, `listing s3://${this.bucket}/${prefix}`);
    }
    return keys;
  }

  /**
   * Copies an object within the bucket, server side (S3 CopyObject: atomic, up to 5 GB; s3rver copies the file).
   * The copy keeps the source's content type.
   */
  async copy(from: string, to: string): Promise<void> {
    try {
      await this.s3.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: to,
          CopySource: `${this.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`,
        }),
      );
    } catch (err) {
      throw classifyStorageError(err, `copying s3://${this.bucket}/${from} to ${to}`);
    }
  }

  async deleteKeys(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const chunk = keys.slice(i, i + 1000);
      try {
        await this.s3.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true },
          }),
        );
      } catch (err) {
        throw classifyStorageError(err, `deleting under s3://${this.bucket}`);
      }
    }
  }

  /** Streams an object; the body is read lazily, so memory does not grow with its size. */
  async openStream(key: string): Promise<Readable> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) throw new StorageCorruptError(`s3://${this.bucket}/${key} has no body`);
      return out.Body as Readable;
    } catch (err) {
      throw classifyStorageError(err, `reading s3://${this.bucket}/${key}`);
    }
  }

  /** The non-empty lines of an object, streamed. */
  async *readLines(key: string): AsyncGenerator<string> {
    for await (const batch of this.readLineBatches(key)) yield* batch;
  }

  /**
   * The non-empty lines of an object, streamed as the batches each chunk of the body completes: one await per
   * chunk (some tens of KiB) rather than per line. Lines end at `\n`, `\r\n` or a lone `\r`, as readline splits them.
   */
  async *readLineBatches(key: string): AsyncGenerator<string[]> {
    const body = await this.openStream(key);
    const decoder = new StringDecoder('utf8');
    let carry = '';
    let pendingCr = false;
    const take = (text: string, last: boolean): string[] => {
      let s = carry + text;
      // A '\r' that ended the previous chunk: a line break, and a '\n' right after it belongs to it.
      if (pendingCr) {
        pendingCr = false;
        if (s.startsWith('\n')) s = s.slice(1);
      }
      const out: string[] = [];
      if (s.includes('\r')) {
        if (!last && s.endsWith('\r')) {
          pendingCr = true;
          s = s.slice(0, -1) + '\n';
        }
        const parts = s.split(/\r\n|\n|\r/);
        carry = last ? '' : parts.pop()!;
        for (const line of parts) if (line.length > 0) out.push(line);
        return out;
      }
      let from = 0;
      for (let at = s.indexOf('\n'); at !== -1; at = s.indexOf('\n', from)) {
        if (at > from) out.push(s.slice(from, at));
        from = at + 1;
      }
      carry = from === 0 ? s : s.slice(from);
      if (last) {
        if (carry.length > 0) out.push(carry);
        carry = '';
      }
      return out;
    };
    for await (const chunks of readAhead(body, READ_AHEAD_BYTES)) {
      let text = '';
      for (const chunk of chunks) text += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const lines = take(text, false);
      if (lines.length > 0) yield lines;
    }
    const rest = take(decoder.end(), true);
    if (rest.length > 0) yield rest;
  }

  /**
   * The non-empty lines of an object as bytes (views of the body's chunks, without their `\n` or `\r\n`),
   * streamed as the batches each read of the body completes. For the merge, which copies lines through without
   * decoding them: no string is made of a line, so none has to be encoded again on the way out. A lone `\r`
   * does not end a line here (the product writes `\n`; in a JSON line it is whitespace).
   */
  async *readByteLineBatches(key: string): AsyncGenerator<Buffer[]> {
    const body = await this.openStream(key);
    // The start of a line the chunks so far have not ended (a line may span several chunks).
    let carry: Buffer[] = [];
    const take = (chunk: Buffer, out: Buffer[]) => {
      let from = 0;
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, from)) {
        const piece = chunk.subarray(from, at);
        pushLine(out, carry.length > 0 ? Buffer.concat([...carry, piece]) : piece);
        carry = [];
        from = at + 1;
      }
      if (from < chunk.length) carry.push(chunk.subarray(from));
    };
    for await (const chunks of readAhead(body, READ_AHEAD_BYTES)) {
      const out: Buffer[] = [];
      for (const chunk of chunks) take(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, out);
      if (out.length > 0) yield out;
    }
    const out: Buffer[] = [];
    if (carry.length > 0) pushLine(out, Buffer.concat(carry));
    if (out.length > 0) yield out;
  }

  /**
   * A writable stream uploaded with multipart upload (lib-storage): memory stays at a few part buffers
   * whatever the size. Call `done()` after ending the stream.
   */
  createUpload(key: string, contentType: string): { stream: PassThrough; done: () => Promise<void> } {
    const stream = new PassThrough({ highWaterMark: 1 << 20 });
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: stream, ContentType: contentType },
      queueSize: 2,
      partSize: 32 * 1024 * 1024,
      leavePartsOnError: false,
    });
    const finished = upload.done();
    // Surface upload failures to whoever writes, instead of an unhandled rejection.
    finished.catch((err: unknown) => stream.destroy(err instanceof Error ? err : new Error(String(err))));
    return {
      stream,
      done: async () => {
        try {
          await finished;
        } catch (err) {
          throw classifyStorageError(err, `uploading s3://${this.bucket}/${key}`);
        }
      },
    };
  }

  /**
   * Takes or renews the run's lease with S3's conditional writes: created with `If-None-Match: *` (two
   * executions racing for a new lease: exactly one wins), renewed or taken over from an expired holder with
   * `If-Match: <etag>` (a lease changed since it was read is not overwritten). Throws RunLeaseHeldError when
   * another holder's lease is alive.
   */
  async acquireLease(runId: string, request: LeaseRequest): Promise<RunLease> {
    const key = runKeys(runId).lease;
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = request.now ?? Date.now();
      const current = await this.readLease(key);
      // Our own lease, renewed by another invocation of ours since we read it (lanes renew concurrently).
      if (attempt > 0 && current?.lease.holder === request.holder) return current.lease;
      if (current && current.lease.holder !== request.holder) {
        const alive = current.lease.expiresAt > now && !(request.canTakeOver?.(current.lease) ?? false);
        if (alive) throw new RunLeaseHeldError(runId, current.lease, now);
      }
      const lease: RunLease = {
        holder: request.holder,
        pid: request.pid ?? null,
        host: request.host ?? null,
        acquiredAt: current?.lease.holder === request.holder ? current.lease.acquiredAt : now,
        renewedAt: now,
        expiresAt: now + request.ttlMs,
      };
      try {
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: JSON.stringify(lease),
            ContentType: 'application/json',
            ...(current ? { IfMatch: current.etag } : { IfNoneMatch: '*' }),
          }),
        );
        return lease;
      } catch (err) {
        // Someone else wrote the lease between our read and our write: read it again and decide again.
        if (isPreconditionFailed(err) || isNotFound(err)) continue;
        throw classifyStorageError(err, `writing s3://${this.bucket}/${key}`);
      }
    }
    const last = await this.readLease(key);
    if (last) throw new RunLeaseHeldError(runId, last.lease, request.now ?? Date.now());
    throw new StorageCorruptError(`s3://${this.bucket}/${key} changes on every read`);
  }

  /** Gives the lease up if `holder` still holds it (a lease taken over by another holder is left alone). */
  async releaseLease(runId: string, holder: string): Promise<void> {
    const key = runKeys(runId).lease;
    const current = await this.readLease(key);
    if (!current || current.lease.holder !== holder) return;
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      throw classifyStorageError(err, `deleting s3://${this.bucket}/${key}`);
    }
  }

  private async readLease(key: string): Promise<{ lease: RunLease; etag: string } | null> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const text = (await out.Body?.transformToString('utf8')) ?? '';
      const parsed = runLeaseSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new StorageCorruptError(`s3://${this.bucket}/${key} is not a run lease`);
      return { lease: parsed.data, etag: out.ETag ?? '' };
    } catch (err) {
      if (isNotFound(err)) return null;
      if (err instanceof StorageCorruptError) throw err;
      if (err instanceof SyntaxError) throw new StorageCorruptError(`s3://${this.bucket}/${key} is not JSON`);
      throw classifyStorageError(err, `reading s3://${this.bucket}/${key}`);
    }
  }

  /** A time-limited URL to download one object (results are never public). */
  async presignGet(key: string, expiresInSeconds = 3600): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: expiresInSeconds,
    });
  }
}

/** A line's bytes without a trailing `\r`, kept when not empty. */
function pushLine(out: Buffer[], line: Buffer): void {
  const end = line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length;
  if (end > 0) out.push(end === line.length ? line : line.subarray(0, end));
}

/** Bytes of a body read ahead of the reader (readLineBatches, readByteLineBatches): the socket keeps flowing while the merge works. */
const READ_AHEAD_BYTES = 1 << 20;

/**
 * A stream's chunks in flowing mode, up to `maxBytes` buffered ahead of the reader (paused beyond, resumed once
 * taken); each step gives every chunk buffered since the last. Destroys the stream when the reader stops early.
 */
async function* readAhead(stream: Readable, maxBytes: number): AsyncGenerator<(Buffer | string)[]> {
  let queue: (Buffer | string)[] = [];
  let queued = 0;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onData = (chunk: Buffer | string) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued >= maxBytes) stream.pause();
    signal();
  };
  const onEnd = () => {
    ended = true;
    signal();
  };
  const onError = (error: unknown) => {
    failure = { error };
    signal();
  };
  stream.on('data', onData);
  stream.once('end', onEnd);
  stream.once('error', onError);
  try {
    for (;;) {
      if (queue.length > 0) {
        const chunks = queue;
        queue = [];
        queued = 0;
        if (!ended) stream.resume();
        yield chunks;
        continue;
      }
      if (failure) throw failure.error;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('error', onError);
    if (!ended) stream.destroy();
  }
}

function isPreconditionFailed(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (
    err.name === 'PreconditionFailed' ||
    err.name === 'ConditionalRequestConflict' ||
    status === 412 ||
    status === 409
  );
}

function isNotFound(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || status === 404;
}
