import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';
import S3Error from 's3rver/lib/models/error';
import type { WriteFault } from './localFilesystemErrors';
import {
  LOCAL_FILESYSTEM_ERROR,
  describeFilesystemError,
  injectedFilesystemError,
  isFatalFilesystemError,
} from './localFilesystemErrors';
import { honourConditionalPuts } from './localS3Conditions';
import type { S3Location } from './s3Client';

export interface LocalS3 extends S3Location {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

/** s3rver's fixed development credentials: not a secret, the local server accepts only these. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface LocalS3Options {
  directory: string;
  bucket: string;
  port?: number;
  /** Tests only: make writes fail as a full disk, a denied permission or a read-only filesystem would. */
  writeFault?: WriteFault;
}

/**
 * Starts an S3-compatible server on loopback in this process, storing objects under `directory`, with `bucket`
 * created. The run talks to it with the same @aws-sdk/client-s3 code it uses against AWS.
 */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  // The objects are the account's orders: the directory (and any parent it creates) is the user's alone.
  mkdirSync(options.directory, { recursive: true, mode: 0o700 });
  chmodSync(options.directory, 0o700);
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  makeWritesDurable(server, options);
  honourConditionalPuts(server);
  const address = (await server.run()) as AddressInfo;
  return {
    bucket: options.bucket,
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${address.port}`,
    credentials: LOCAL_CREDENTIALS,
    close: () => server.close(),
  };
}

interface FilesystemStoreLike {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: unknown }): Promise<{
    size: number;
    md5: string;
  }>;
  putPart(
    bucket: string,
    uploadId: string,
    partNumber: number,
    content: Readable,
  ): Promise<{ size: number; md5: string }>;
  putObjectMultipart(
    bucket: string,
    uploadId: string,
    parts: { number: number }[],
  ): Promise<{ size: number; md5: string }>;
}

type WriteAtomically = (path: string, content: Readable, hash?: (chunk: Buffer) => void) => Promise<number>;

/**
 * Copies `content` into a temporary file beside `path`, waits until it is on disk, and renames it into place.
 * A failed write removes its temporary file; a full disk, a denied permission or a read-only filesystem is
 * answered as `LocalFilesystemError` (HTTP 507) with a sentence naming the directory, which the run treats as
 * fatal: retrying cannot cure it, and re-downloading from the exchange would only fill the disk again.
 */
function atomicWriter(options: LocalS3Options): WriteAtomically {
  let written = 0;
  const fault = options.writeFault;
  return async (path, content, hash) => {
    const temporary = `${path}.${randomBytes(6).toString('hex')}.partial`;
    let size = 0;
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await pipeline(
        content,
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            written += chunk.length;
            if (fault && written > fault.afterBytes) return callback(injectedFilesystemError(fault.code));
            hash?.(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        }),
        createWriteStream(temporary, { mode: 0o600 }),
      );
      await rename(temporary, path);
      return size;
    } catch (err) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw err;
    }
  };
}

/** `fn` with a fatal filesystem error answered as LocalFilesystemError (HTTP 507) in words. */
function answeringFilesystemErrors<A extends unknown[], R>(
  directory: string,
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (!isFatalFilesystemError(err)) throw err;
      const failure = new S3Error(LOCAL_FILESYSTEM_ERROR, await describeFilesystemError(err, directory), {
        Errno: err.code ?? '',
      });
      failure.status = 507;
      throw failure;
    }
  };
}

/** Bytes per read when a multipart upload's parts are concatenated. */
const CONCAT_CHUNK = 1 << 20;

/**
 * s3rver's filesystem store answers a PUT (of an object or of a multipart part) before the bytes are on disk (it
 * ends the write stream without waiting for it), so a GET, or the completion of a multipart upload, right after can
 * read a truncated file: S3 itself is read-after-write consistent. These write to a temporary file, wait for it,
 * and rename it into place (readers see the old or the new object, never half of one). The temporary name does not
 * end in s3rver's object suffix, so listings skip it.
 *
 * Completing a multipart upload concatenates the parts without hashing the whole object again (a second MD5 pass
 * over the whole object: docs/BENCHMARKS.md, "Profiles behind the local S3 server's design"); the ETag is S3's
 * own multipart form, the MD5 of the parts' MD5s and the number of parts.
 */
function makeWritesDurable(server: S3rver, options: LocalS3Options): void {
  const writeAtomically = atomicWriter(options);
  const store = (server as unknown as { store: FilesystemStoreLike }).store;
  const uploadDir = (bucket: string, uploadId: string) =>
    join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);

  store.putObject = answeringFilesystemErrors(options.directory, async function putObject(object) {
    const md5 = createHash('md5');
    const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    const size = await writeAtomically(
      store.getResourcePath(object.bucket, object.key, 'object'),
      content,
      (c) => md5.update(c),
    );
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  });

  store.putPart = answeringFilesystemErrors(
    options.directory,
    async function putPart(bucket: string, uploadId: string, partNumber: number, content: Readable) {
      const partPath = join(uploadDir(bucket, uploadId), String(partNumber));
      const md5 = createHash('md5');
      const size = await writeAtomically(partPath, content, (c) => md5.update(c));
      const digest = md5.digest('hex');
      await writeFile(`${partPath}.md5`, digest);
      return { size, md5: digest };
    },
  );

  store.putObjectMultipart = answeringFilesystemErrors(
    options.directory,
    async function putObjectMultipart(bucket: string, uploadId: string, parts: { number: number }[]) {
      const dir = uploadDir(bucket, uploadId);
      const [key, metadata] = await Promise.all([
        readFile(join(dir, 'key'), 'utf8'),
        readFile(join(dir, 'metadata'), 'utf8').then((text) => JSON.parse(text) as unknown),
      ]);
      const numbers = parts.map((p) => p.number).sort((x, y) => x - y);
      const partMd5s = await Promise.all(numbers.map((n) => readFile(join(dir, `${n}.md5`), 'utf8')));
      const etag = `${createHash('md5')
        .update(Buffer.concat(partMd5s.map((hex) => Buffer.from(hex.trim(), 'hex'))))
        .digest('hex')}-${numbers.length}`;
      async function* concatenated() {
        // Read in chunks of 1 MiB, not the default 64 KiB: a sixteenth of the reads, writes and pipeline callbacks
        // (measured alone, seven 32 MiB parts: 0.67 s instead of 1.45 s).
        for (const n of numbers)
          yield* createReadStream(join(dir, String(n)), { highWaterMark: CONCAT_CHUNK });
      }
      const size = await writeAtomically(
        store.getResourcePath(bucket, key, 'object'),
        Readable.from(concatenated()),
      );
      await store.putMetadata(bucket, key, metadata, etag);
      await rm(dir, { recursive: true, force: true });
      return { size, md5: etag };
    },
  );
}
