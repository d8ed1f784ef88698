/**
 * The ground truth: every generated order with the canonical fields the product must emit for it
 * (canonical.ts) and the exact row the simulator serves for it.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Account } from './generator';
import { orderIdOf } from './generator';
import { canonicalOf } from './canonical';
import { rowFor } from './rows';
import { STREAMS } from './streams';
import type { AccountMode, TruthRecord } from './types';

export function truthRecord(account: Account, g: number, mode: AccountMode): TruthRecord {
  const def = STREAMS[account.stream[g] as number]!;
  return {
    orderId: orderIdOf(account, g),
    ...canonicalOf(account, g, mode),
    ...(def.planType ? { planType: def.planType } : {}),
    raw: rowFor(account, g, mode),
  };
}

/** Ascending by (cTime, orderId); one record materialised at a time. */
export function* truthRecords(account: Account, mode: AccountMode): Generator<TruthRecord> {
  for (let g = 0; g < account.count; g++) yield truthRecord(account, g, mode);
}

export async function* truthIterable(account: Account, mode: AccountMode): AsyncGenerator<TruthRecord> {
  yield* truthRecords(account, mode);
}

/** Streams the truth as NDJSON with back-pressure; resolves with the number of lines written. */
export async function writeTruthFile(account: Account, mode: AccountMode, file: string): Promise<number> {
  const out = createWriteStream(file);
  const failed = once(out, 'error').then(([err]) => {
    throw err;
  });
  failed.catch(() => undefined);
  let batch = '';
  const flush = async (): Promise<void> => {
    if (!batch) return;
    const chunk = batch;
    batch = '';
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  for (let g = 0; g < account.count; g++) {
    batch += JSON.stringify(truthRecord(account, g, mode)) + '\n';
    if (batch.length > 1 << 16) await flush();
  }
  await flush();
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return account.count;
}
