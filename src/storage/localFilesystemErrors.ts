import { statfs } from 'node:fs/promises';

/** Filesystem failures no retry can cure: the run stops at once and says which directory and why. */
export const FATAL_FILESYSTEM_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS']);

/** The S3 error code the local server answers for them (S3 has none: the name is the product's). */
export const LOCAL_FILESYSTEM_ERROR = 'LocalFilesystemError';

export function isFatalFilesystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && FATAL_FILESYSTEM_CODES.has((err as NodeJS.ErrnoException).code ?? '');
}

/** One sentence naming the directory and what to do: `no space left on /data/s3 (1.2 MB free): …`. */
export async function describeFilesystemError(
  err: NodeJS.ErrnoException,
  directory: string,
): Promise<string> {
  switch (err.code) {
    case 'ENOSPC':
    case 'EDQUOT': {
      const free = await freeMegabytes(directory);
      return `no space left on ${directory}${free === null ? '' : ` (${free} MB free)`}: free some space, then resume the run`;
    }
    case 'EROFS':
      return `${directory} is on a read-only filesystem: choose another --data-dir`;
    default:
      return `permission denied writing ${directory} (${err.code}): check the directory's owner and mode, or choose another --data-dir`;
  }
}

async function freeMegabytes(directory: string): Promise<string | null> {
  try {
    const s = await statfs(directory);
    return ((s.bavail * s.bsize) / 1e6).toFixed(1);
  } catch {
    return null;
  }
}

/** A write fault for tests: after `afterBytes` bytes have been written, every write fails with `code`. */
export interface WriteFault {
  code: 'ENOSPC' | 'EACCES' | 'EROFS';
  afterBytes: number;
}

export function injectedFilesystemError(code: WriteFault['code']): NodeJS.ErrnoException {
  const text = {
    ENOSPC: 'no space left on device',
    EACCES: 'permission denied',
    EROFS: 'read-only file system',
  };
  return Object.assign(new Error(`${code}: ${text[code]}, write`), { code, errno: -1, syscall: 'write' });
}
