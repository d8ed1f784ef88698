/** The local bucket under --data-dir (the S3 server the local stack uses), for commands that need no exchange. */
import { join } from 'node:path';
import { LOCAL_BUCKET } from '../runtime/localStack';
import {
  RunStore,
  createS3Client,
  localS3ProcessAvailable,
  startLocalS3,
  startLocalS3Process,
} from '../storage';

export async function openLocalBucket(dataDir: string): Promise<{ store: RunStore; close(): Promise<void> }> {
  const options = { directory: join(dataDir, 's3'), bucket: LOCAL_BUCKET };
  const s3 = localS3ProcessAvailable() ? await startLocalS3Process(options) : await startLocalS3(options);
  return { store: new RunStore(createS3Client(s3), LOCAL_BUCKET), close: () => s3.close() };
}
