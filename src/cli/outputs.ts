import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { FATAL_FILESYSTEM_CODES, describeFilesystemError } from '../storage/localFilesystemErrors';
import { OutputPathError } from './errors';

const summaryHead = z.object({ runId: z.string(), orders: z.number().optional() });

/**
 * Checks a directory the run will write into: it is (or can be made) a directory, and a file can be created in
 * it. For `--out`, a directory that holds another run's result is refused unless `force`.
 */
export async function checkWritableDir(
  dir: string,
  what: string,
  options: { runId?: string; force?: boolean } = {},
): Promise<void> {
  const path = resolve(dir);
  try {
    const s = statSync(path, { throwIfNoEntry: false });
    if (s && !s.isDirectory()) throw new OutputPathError(`${what} ${path} is a file: name a directory`);
    mkdirSync(path, { recursive: true });
    const probe = join(path, `.bitget-orders-probe-${process.pid}`);
    writeFileSync(probe, 'probe');
    rmSync(probe, { force: true });
  } catch (err) {
    if (err instanceof OutputPathError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (FATAL_FILESYSTEM_CODES.has(e.code ?? ''))
      throw new OutputPathError(`${what}: ${await describeFilesystemError(e, path)}`, { cause: err });
    if (e.code === 'ENOTDIR' || e.code === 'EEXIST')
      throw new OutputPathError(`${what} ${path}: a part of the path is a file: name a directory`, {
        cause: err,
      });
    throw new OutputPathError(`${what} ${path} cannot be written: ${e.message}`, { cause: err });
  }
  if (options.runId === undefined) return;
  const previous = readPreviousResult(path);
  if (previous && previous.runId !== options.runId && !options.force) {
    throw new OutputPathError(
      `--out ${path} holds the result of run ${previous.runId}${previous.orders !== undefined ? ` (${previous.orders} orders)` : ''}: pass --force to replace it, or choose another --out`,
    );
  }
}

function readPreviousResult(dir: string): z.output<typeof summaryHead> | null {
  try {
    const parsed = summaryHead.safeParse(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')));
    return parsed.success ? parsed.data : { runId: '(unknown)' };
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : { runId: '(unreadable summary.json)' };
  }
}
