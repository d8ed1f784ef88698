import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** bench/results of the repository (BENCH_RESULTS_DIR overrides it: the CI smoke tests write to a temp dir). */
export function resultsDir(): string {
  const dir = process.env['BENCH_RESULTS_DIR'] ?? resolve(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeResult(name: string, value: unknown): string {
  const file = join(resultsDir(), `${name}.json`);
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
  return file;
}

export const round = (n: number, digits = 3): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
