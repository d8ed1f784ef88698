/**
 * The import's worker thread: validates batches of orders.jsonl lines into bulk-loader payloads
 * (orderPayload.ts) while the main thread writes the previous batch, so that on two cores the parsing and the
 * database's own work overlap. Runs from the compiled project only (batchParser.ts starts it).
 */
import { parentPort } from 'node:worker_threads';
import { InvalidOrderRecordError } from './errors';
import { parseLineBatch } from './orderPayload';
import type { LineBatch } from './orderPayload';
import type { WorkerAnswer } from './batchParser';

parentPort?.on('message', (message: { id: number; batch: LineBatch }) => {
  let answer: WorkerAnswer;
  try {
    answer = { id: message.id, payload: parseLineBatch(message.batch) };
  } catch (error) {
    answer =
      error instanceof InvalidOrderRecordError
        ? {
            id: message.id,
            invalid: { location: error.location, field: error.field, rule: error.rule },
          }
        : { id: message.id, failed: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(answer);
});
