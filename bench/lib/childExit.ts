import type { ChildProcess } from 'node:child_process';

/** Waits for a child to end, SIGKILLing it `killAtMs` after now (null: never). */
export async function exitOf(
  child: ChildProcess,
  killAtMs: number | null,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const killer = killAtMs !== null ? setTimeout(() => child.kill('SIGKILL'), killAtMs) : null;
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) =>
    child.once('exit', (cd, s) => res([cd, s])),
  );
  if (killer) clearTimeout(killer);
  return { code, signal };
}
