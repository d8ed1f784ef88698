export { createS3Client } from './s3Client';
export type { S3Location } from './s3Client';
export { startLocalS3 } from './localS3';
export type { LocalS3, LocalS3Options } from './localS3';
export { localS3ProcessAvailable, startLocalS3Process } from './localS3Process';
export { RunStore } from './RunStore';
export {
  LocalS3StartError,
  RunLeaseHeldError,
  StorageError,
  StorageTransientError,
  StorageCorruptError,
  StorageFatalError,
  classifyStorageError,
} from './errors';
export { runKeys, resultKeys, LATEST_RESULT_KEY, RUN_ID_PATTERN } from './keys';
