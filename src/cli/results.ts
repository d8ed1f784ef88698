import { createWriteStream, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RunOutput } from '../core/engine';
import type { RunStore } from '../storage';
import { resultKeys } from '../storage/keys';

/**
 * Streams the run's result files (and its report.html when there is one) from the bucket into `dir`, atomically: each is written under a
 * temporary name, and only once all three are complete are they renamed into place. A failure leaves the
 * previous files as they were and no temporary file behind.
 */
export async function downloadResults(store: RunStore, output: RunOutput, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  // report.html when the collector could draw it (it never holds a complete result back).
  const report = resultKeys(output.runId).report;
  const files: [string, string][] = [
    [output.ordersJsonlKey, 'orders.jsonl'],
    [output.ordersJsonKey, 'orders.json'],
    ...(output.fillsJsonlKey ? [[output.fillsJsonlKey, 'fills.jsonl'] as [string, string]] : []),
    ...(output.ledgerJsonlKey ? [[output.ledgerJsonlKey, 'ledger.jsonl'] as [string, string]] : []),
    ...((await store.exists(report)) ? [[report, 'report.html'] as [string, string]] : []),
    [output.summaryKey, 'summary.json'],
  ];
  const suffix = `.${process.pid}-${Date.now()}.partial`;
  const temporaries = files.map(([, name]) => join(dir, `${name}${suffix}`));
  try {
    for (const [i, [key]] of files.entries())
      await pipeline(await store.openStream(key), createWriteStream(temporaries[i]!));
    // summary.json last: a directory whose summary names a run holds that run's complete result.
    for (const [i, [, name]] of files.entries()) await rename(temporaries[i]!, join(dir, name));
  } catch (err) {
    await Promise.all(temporaries.map((t) => rm(t, { force: true })));
    throw err;
  }
  return files.map(([, name]) => join(dir, name));
}
