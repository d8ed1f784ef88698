/**
 * Where the import validates its batches: in a worker thread when the compiled worker entry exists (the built
 * project: the CLI, the server, the bench), else in process (ts-jest, a bundle without it). Answers come back in
 * the order asked; a bad line rejects its batch with the same InvalidOrderRecordError either way.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DatabaseError, InvalidOrderRecordError } from './errors';
import { parseLineBatch } from './orderPayload';
import type { LineBatch, OrderPayload } from './orderPayload';

const WORKER_ENTRY = join(__dirname, 'parseWorker.js');

export type WorkerAnswer =
  | { id: number; payload: OrderPayload }
  | { id: number; invalid: { location: string; field: string; rule: string } }
  | { id: number; failed: string };

export interface BatchParser {
  /** True when batches are validated in a worker thread. */
  readonly inWorker: boolean;
  parse(batch: LineBatch): Promise<OrderPayload>;
  close(): Promise<void>;
}

export function parseWorkerAvailable(): boolean {
  return existsSync(WORKER_ENTRY);
}

/** A parser in a worker thread when `worker` is asked for and the compiled entry exists, else in process. */
export function createBatchParser(options: { worker: boolean }): BatchParser {
  if (!options.worker || !parseWorkerAvailable()) return inProcessParser();
  return workerParser(new Worker(WORKER_ENTRY));
}

function inProcessParser(): BatchParser {
  return {
    inWorker: false,
    parse: async (batch) => parseLineBatch(batch),
    close: async () => undefined,
  };
}

function workerParser(worker: Worker): BatchParser {
  const waiting = new Map<number, { resolve(p: OrderPayload): void; reject(e: Error): void }>();
  let next = 0;
  let broken: Error | undefined;
  const failAll = (error: Error) => {
    broken ??= error;
    for (const w of waiting.values()) w.reject(broken);
    waiting.clear();
  };
  worker.on('message', (answer: WorkerAnswer) => {
    const w = waiting.get(answer.id);
    if (!w) return;
    waiting.delete(answer.id);
    if (waiting.size === 0) worker.unref();
    if ('payload' in answer) w.resolve(answer.payload);
    else if ('invalid' in answer)
      w.reject(
        new InvalidOrderRecordError(answer.invalid.location, answer.invalid.field, answer.invalid.rule),
      );
    else w.reject(new DatabaseError(`the import's worker failed: ${answer.failed}`));
  });
  worker.on('error', (error) => failAll(new DatabaseError(`the import's worker failed: ${error.message}`)));
  worker.on('exit', (code) => failAll(new DatabaseError(`the import's worker exited (code ${code})`)));
  // Idle, the worker keeps no process alive; while it owes an answer, it does (nothing else may be pending).
  worker.unref();
  return {
    inWorker: true,
    parse(batch) {
      if (broken) return Promise.reject(broken);
      const id = next++;
      return new Promise<OrderPayload>((resolve, reject) => {
        if (waiting.size === 0) worker.ref();
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, batch });
      });
    },
    async close() {
      broken ??= new DatabaseError("the import's worker is closed");
      await worker.terminate();
    },
  };
}
