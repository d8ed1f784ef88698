import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { generateAccount } from './generator';

/**
 * Generation is measured in a fresh Node process (jest's module sandbox slows typed-array loops about tenfold
 * and shares its heap with the other suites). The figures are printed, not asserted, except memory bounds.
 */
interface ChildMeasure {
  ms: number;
  rssMb: number;
  heapMb: number;
  count: number;
  pageRows: number;
}

async function measureInChild(orders: number): Promise<ChildMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-scale-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { generateAccount } from ${JSON.stringify(join(__dirname, 'generator'))};
       import { queryOrders } from ${JSON.stringify(join(__dirname, 'store'))};
       import { classicRow } from ${JSON.stringify(join(__dirname, 'rows'))};
       const t0 = performance.now();
       const account = generateAccount({ seed: 99, orders: ${orders}, symbols: 24, days: 90, now: 1750000000000 });
       const ms = performance.now() - t0;
       const page = queryOrders(account, { streams: [0], startTime: account.rangeStart, endTime: account.rangeEnd, limit: 100 });
       page.rows.forEach((g) => classicRow(account, g));
       const m = process.memoryUsage();
       console.log(JSON.stringify({ ms, rssMb: m.rss / 1048576, heapMb: (m.heapUsed + m.arrayBuffers) / 1048576, count: account.count, pageRows: page.rows.length }));`,
    );
    const out = join(dir, 'entry.js');
    await build({ entryPoints: [entry], bundle: true, platform: 'node', outfile: out, logLevel: 'silent' });
    const output = execFileSync(process.execPath, [out], { encoding: 'utf8' });
    return JSON.parse(output.trim()) as ChildMeasure;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scale: columnar storage keeps millions of orders in memory', () => {
  test('100,000 orders take a few MB of typed arrays', () => {
    const before = process.memoryUsage().arrayBuffers;
    const account = generateAccount({
      seed: 99,
      orders: 100_000,
      symbols: 24,
      days: 90,
      now: 1_750_000_000_000,
    });
    const grown = (process.memoryUsage().arrayBuffers - before) / 1048576;
    expect(account.count).toBe(100_000);
    expect(grown).toBeLessThan(10);
  });

  test('2,000,000 orders are generated and served in a fresh process within a bounded memory', async () => {
    const result = await measureInChild(2_000_000);
    console.log(
      `2M orders: ${result.ms.toFixed(0)} ms, rss ${result.rssMb.toFixed(0)} MB, heap+buffers ${result.heapMb.toFixed(0)} MB`,
    );
    expect(result.count).toBe(2_000_000);
    expect(result.pageRows).toBe(100);
    expect(result.rssMb).toBeLessThan(1024);
  });
});
