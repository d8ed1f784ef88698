import { S3Client } from '@aws-sdk/client-s3';

/** Where the run bucket lives: AWS S3 (no endpoint) or an S3-compatible server such as the local s3rver. */
export interface S3Location {
  bucket: string;
  region?: string;
  /** e.g. http://127.0.0.1:4569 for the local server; omitted on AWS. */
  endpoint?: string;
  /** Static credentials for the local server; on AWS the default provider chain is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** One S3 client for AWS and for S3-compatible servers (path-style, checksums only when required). */
export function createS3Client(location: S3Location): S3Client {
  return new S3Client({
    region: location.region ?? 'us-east-1',
    ...(location.endpoint
      ? {
          endpoint: location.endpoint,
          forcePathStyle: true,
          // Recent SDKs send checksum headers some S3-compatible servers reject.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
    ...(location.credentials ? { credentials: location.credentials } : {}),
    maxAttempts: 5,
    // The collector streams up to MERGE_FAN_IN parts at once beside its uploads; leave room for concurrent runs.
    requestHandler: { httpAgent: { maxSockets: 256 }, httpsAgent: { maxSockets: 256 } },
  });
}
