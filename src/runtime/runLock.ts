import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { RunLockedError } from './errors';

export interface RunLock {
  release(): Promise<void>;
}

/**
 * A lock on one run id in one data directory (proper-lockfile: an atomic mkdir, refreshed every few seconds, so a
 * process killed with -9 stops holding it within `staleMs`). The holder's pid is written inside the lock, so a
 * refusal names it. A process that loses its lock (it was blocked longer than `staleMs`) is told on stderr.
 */
export async function lockRun(
  dataDir: string,
  runId: string,
  options: { staleMs?: number; onCompromised?: (err: Error) => void } = {},
): Promise<RunLock> {
  const dir = join(dataDir, 'locks');
  mkdirSync(dir, { recursive: true });
  const target = join(dir, runId);
  const lockPath = `${target}.lock`;
  // Beside the lock, not in it: proper-lockfile removes its directory with rmdir, which needs it empty.
  const holderPath = `${target}.holder.json`;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      lockfilePath: lockPath,
      stale: options.staleMs ?? 10_000,
      update: Math.max(1000, Math.floor((options.staleMs ?? 10_000) / 4)),
      onCompromised: options.onCompromised ?? (() => undefined),
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED')
      throw new RunLockedError(runId, readHolder(holderPath));
    throw err;
  }
  writeFileSync(holderPath, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: Date.now() }));
  return { release: () => release().catch(() => undefined) };
}

function readHolder(holderPath: string): { pid: number; startedAt: number } | null {
  try {
    const h = JSON.parse(readFileSync(holderPath, 'utf8')) as { pid?: unknown; startedAt?: unknown };
    return typeof h.pid === 'number' && typeof h.startedAt === 'number'
      ? { pid: h.pid, startedAt: h.startedAt }
      : null;
  } catch {
    return null;
  }
}

/** True when `pid` is a live process on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
