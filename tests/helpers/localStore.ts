import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore, createS3Client, startLocalS3 } from '../../src/storage';
import type { LocalS3 } from '../../src/storage';

/** A real S3 protocol server (s3rver) in a temp directory, for one test file. */
export async function startTestStore(bucket = 'test-runs'): Promise<{
  store: RunStore;
  s3: LocalS3;
  close: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'bitget-orders-s3-'));
  const s3 = await startLocalS3({ directory: dir, bucket });
  return {
    store: new RunStore(createS3Client(s3), bucket),
    s3,
    close: async () => {
      await s3.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
