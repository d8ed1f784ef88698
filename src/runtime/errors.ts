import type { ExtractionRequest } from '../core/request';

/** The base of the runtime's errors (the local stack, the Lambda wiring, the run's lease and lock). */
export class RuntimeError extends Error {
  override readonly name: string = 'RuntimeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause });
  }
}

/** The exchange address is not one a run can use: said in words, with no resume advice (nothing to resume). */
export class ExchangeUnreachableError extends RuntimeError {
  override readonly name = 'ExchangeUnreachableError';
}

/** An exchange address that is not an http(s) URL: refused before anything starts. */
export class InvalidBaseUrlError extends RuntimeError {
  override readonly name = 'InvalidBaseUrlError';
}

/** Another process on this machine works the same run in the same data directory. */
export class RunLockedError extends RuntimeError {
  override readonly name = 'RunLockedError';
  constructor(
    readonly runId: string,
    readonly holder: { pid: number; startedAt: number } | null,
  ) {
    super(
      holder
        ? `run ${runId} is already being extracted by process ${holder.pid} (since ${new Date(holder.startedAt).toISOString()}): wait for it to finish, or stop it with kill -INT ${holder.pid}`
        : `run ${runId} is already being extracted by another process: wait for it to finish`,
    );
  }
}

/** The execution that would work a run another execution holds: refused, and not retried. */
export class RunInProgressError extends RuntimeError {
  override readonly name = 'RunInProgressError';
}

/** The options given for a resumed run differ from the ones it was planned with. */
export class RunOptionsMismatchError extends RuntimeError {
  override readonly name = 'RunOptionsMismatchError';
  constructor(
    readonly runId: string,
    readonly differences: { option: keyof ExtractionRequest; run: unknown; given: unknown }[],
  ) {
    super(
      `run ${runId} was started with ${differences.map((d) => `${d.option} ${show(d.run)}`).join(', ')}, not ${differences
        .map((d) => `${d.option} ${show(d.given)}`)
        .join(', ')}: resume it without those options, or start a new run (without --run-id)`,
    );
  }
}

function show(v: unknown): string {
  if (v === undefined) return '(not set)';
  return Array.isArray(v) ? v.join(',') : String(v);
}
