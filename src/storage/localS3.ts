import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import type { S3Location } from './s3Client';

export interface LocalS3 extends S3Location {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

/** s3rver's fixed development credentials: not a secret, the local server accepts only these. */
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Starts an S3-compatible server on loopback, storing objects under `directory`, with `bucket` created.
 * The run talks to it with the same @aws-sdk/client-s3 code it uses against AWS.
 */
export async function startLocalS3(options: {
  directory: string;
  bucket: string;
  port?: number;
}): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  const address = (await server.run()) as AddressInfo;
  return {
    bucket: options.bucket,
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${address.port}`,
    credentials: LOCAL_CREDENTIALS,
    close: () => server.close(),
  };
}
