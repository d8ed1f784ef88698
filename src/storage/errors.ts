/** A storage failure worth retrying (throttling, 5xx, network): Step Functions retries on this name. */
export class StorageTransientError extends Error {
  override readonly name = 'StorageTransientError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Stored data that does not have the shape the run wrote: never guessed around. */
export class StorageCorruptError extends Error {
  override readonly name = 'StorageCorruptError';
}

/**
 * A storage failure no retry can cure (a full disk, a denied permission, a read-only filesystem under the local
 * server): the run stops at once with this message. Step Functions does not retry on this name.
 */
export class StorageFatalError extends Error {
  override readonly name = 'StorageFatalError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
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
