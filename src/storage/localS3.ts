import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';
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
}

/**
 * Starts an S3-compatible server on loopback in this process, storing objects under `directory`, with `bucket`
 * created. The run talks to it with the same @aws-sdk/client-s3 code it uses against AWS.
 */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  makeWritesDurable(server);
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
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: unknown }): Promise<{
    size: number;
    md5: string;
  }>;
}

/**
 * s3rver's filesystem store answers a PUT before the object is on disk (it ends the write stream without
 * waiting for it), so a GET right after can read a truncated object: S3 itself is read-after-write consistent.
 * This writes to a temporary file, waits for it, and renames it into place (readers see the old or the new
 * object, never half of one). The temporary name does not end in s3rver's object suffix, so listings skip it.
 */
function makeWritesDurable(server: S3rver): void {
  const store = (server as unknown as { store: FilesystemStoreLike }).store;
  store.putObject = async function putObject(object) {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const temporary = `${objectPath}.${randomBytes(6).toString('hex')}.partial`;
    const md5 = createHash('md5');
    let size = 0;
    const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    await pipeline(
      content,
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          md5.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      }),
      createWriteStream(temporary),
    );
    await rename(temporary, objectPath);
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}
