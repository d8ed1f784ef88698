import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** A real S3-compatible server on loopback with one bucket, and a client configured for it. */
export interface TestS3 {
  bucket: string;
  endpoint: string;
  port: number;
  s3: S3Client;
  put(key: string, body: string | Buffer): Promise<void>;
  /**
   * Work that writes to the server in the background (a fake engine's run): close() lets it settle first, so that
   * a test file that ends while a run is still writing does not leave a write to a closed port behind (refused,
   * it would fail whichever test runs next in the worker).
   */
  hold(work: Promise<unknown>): void;
  close(): Promise<void>;
}

export async function startTestS3(bucket = 'bitget-orders-test'): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'bitget-orders-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: dir,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const held = new Set<Promise<unknown>>();
  return {
    bucket,
    endpoint,
    port: address.port,
    s3,
    async put(key, body) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    hold(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      held.add(settled);
      void settled.then(() => held.delete(settled));
    },
    async close() {
      await Promise.all(held);
      s3.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
