import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RunOutput } from '../core/engine';
import type { RunStore } from '../storage';

/** Streams the run's three result files from the bucket into `dir`. */
export async function downloadResults(store: RunStore, output: RunOutput, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    [output.ordersJsonlKey, 'orders.jsonl'],
    [output.ordersJsonKey, 'orders.json'],
    [output.summaryKey, 'summary.json'],
  ];
  const written: string[] = [];
  for (const [key, name] of files) {
    const target = join(dir, name);
    await pipeline(await store.openStream(key), createWriteStream(target));
    written.push(target);
  }
  return written;
}
