import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExtractionRequest } from '../../src/core/request';
import { runLocalExtraction } from '../../src/runtime/runExtraction';
import { startSimulator } from '../../src/sim';
import type { Simulator } from '../../src/sim';

jest.setTimeout(120_000);

/**
 * A small tmpfs cannot be mounted here (and root ignores a read-only mode), so the filesystem error is injected
 * at the storage layer: the local S3 server's writes fail with ENOSPC / EACCES / EROFS after a few kilobytes, as
 * a full or read-only data directory makes them fail.
 */
describe('a data directory that refuses writes', () => {
  let sim: Simulator;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, orders: 400, symbols: 4 });
    dir = mkdtempSync(join(tmpdir(), 'disk-full-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const served = () => Object.values(sim.stats().served).reduce((a, b) => a + (b ?? 0), 0);
  const partials = (root: string): string[] =>
    readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.partial'));

  async function extract(
    dataDir: string,
    fault?: { code: 'ENOSPC' | 'EACCES' | 'EROFS'; afterBytes: number },
  ) {
    const run = await runLocalExtraction({
      dataDir,
      baseUrl: sim.url,
      credentials: sim.credentials,
      request: parseExtractionRequest({ markets: ['spot'] }),
      runId: 'disk',
      ...(fault ? { s3WriteFault: fault } : {}),
    });
    await run.stack.close();
    return run;
  }

  it('stops at once on a full disk, names it, leaves no partial file, and a resume after space is freed completes', async () => {
    const baseline = served();
    const complete = await extract(join(dir, 'baseline'));
    expect(complete.execution.output?.complete).toBe(true);
    const needed = served() - baseline;

    const dataDir = join(dir, 'full');
    const before = served();
    const full = await extract(dataDir, { code: 'ENOSPC', afterBytes: 20_000 });
    expect(full.execution.status).toBe('FAILED');
    expect(full.execution.cause).toMatch(/no space left on .*s3 \(\d+\.\d MB free\): free some space/);
    // No retry of the lanes: the exchange was asked at most what one complete run asks.
    expect(served() - before).toBeLessThanOrEqual(needed);
    expect(partials(dataDir)).toEqual([]);

    const resumed = await extract(dataDir);
    expect(resumed.execution.output).toMatchObject({
      complete: true,
      orders: complete.execution.output!.orders,
    });
  });

  it.each([
    ['EACCES', /permission denied writing .*s3 \(EACCES\)/],
    ['EROFS', /s3 is on a read-only filesystem: choose another --data-dir/],
  ] as const)('names %s in words and stops at once', async (code, message) => {
    const dataDir = join(dir, code);
    const run = await extract(dataDir, { code, afterBytes: 20_000 });
    expect(run.execution.status).toBe('FAILED');
    expect(run.execution.cause).toMatch(message);
    expect(partials(dataDir)).toEqual([]);
  });
});
