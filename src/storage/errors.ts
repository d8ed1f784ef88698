import type { RunLease } from './runLease';

/** The base of the storage's errors. Each class keeps its own `name`: Step Functions' Retry matches it. */
export class StorageError extends Error {
  override readonly name: string = 'StorageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause });
  }
}

/** A storage failure worth retrying (throttling, 5xx, network): Step Functions retries on this name. */
export class StorageTransientError extends StorageError {
  override readonly name = 'StorageTransientError';
}

/** Stored data that does not have the shape the run wrote: never guessed around. */
export class StorageCorruptError extends StorageError {
  override readonly name = 'StorageCorruptError';
}

/**
 * A storage failure no retry can cure (a full disk, a denied permission, a read-only filesystem under the local
 * server): the run stops at once with this message. Step Functions does not retry on this name.
 */
export class StorageFatalError extends StorageError {
  override readonly name = 'StorageFatalError';
}

/** Another execution holds the run's lease: this one must not work the run. */
export class RunLeaseHeldError extends StorageError {
  override readonly name = 'RunLeaseHeldError';
  constructor(
    readonly runId: string,
    readonly lease: RunLease,
    now: number,
  ) {
    const by =
      lease.pid !== null
        ? `process ${lease.pid}${lease.host ? ` on ${lease.host}` : ''}`
        : 'another execution';
    super(
      `run ${runId} is already being extracted by ${by} (execution ${lease.holder}, renewed ${Math.max(0, Math.round((now - lease.renewedAt) / 1000))} s ago, expires in ${Math.max(0, Math.round((lease.expiresAt - now) / 1000))} s): wait for it, or stop it`,
    );
  }
}

/** The local S3 server did not start (its process exited, or never said it listens). */
export class LocalS3StartError extends StorageError {
  override readonly name = 'LocalS3StartError';
}

const TRANSIENT_NAMES = new Set([
  'SlowDown',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * Re-throws S3 errors as StorageTransientError when a retry may succeed, as StorageFatalError when the local
 * server's filesystem refuses the write; other errors unchanged.
 */
export function classifyStorageError(err: unknown, what: string): Error {
  if (!(err instanceof Error)) return new Error(`${what}: ${String(err)}`);
  const meta = (err as { $metadata?: { httpStatusCode?: number }; code?: string }).$metadata;
  const status = meta?.httpStatusCode;
  const code = (err as { code?: string }).code;
  if (err.name === 'LocalFilesystemError') return new StorageFatalError(err.message, { cause: err });
  if (
    TRANSIENT_NAMES.has(err.name) ||
    (code && TRANSIENT_NAMES.has(code)) ||
    (status !== undefined && status >= 500)
  ) {
    return new StorageTransientError(`${what}: ${err.name}: ${err.message}`, { cause: err });
  }
  return err;
}
