import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExtractionRequest } from '../../src/core/request';
import { startLocalStack } from '../../src/runtime/localStack';
import { startSimulator } from '../../src/sim';

jest.setTimeout(120_000);

describe('one execution per run id (the lease in the bucket, as on AWS)', () => {
  it('refuses a second execution of a run id while the first works it, and the first completes', async () => {
    const sim = await startSimulator({ seed: 3, orders: 500, symbols: 4 });
    const dir = mkdtempSync(join(tmpdir(), 'lease-'));
    // Two executions in one engine, as two StartExecution calls on AWS: no data-directory lock between them.
    const stack = await startLocalStack({ dataDir: dir, baseUrl: sim.url, credentials: sim.credentials });
    try {
      const request = parseExtractionRequest({ markets: ['spot'] });
      const a = await stack.engine.start(request, 'shared');
      const b = await stack.engine.start(request, 'shared');
      const [first, second] = await Promise.all([
        stack.engine.wait(a.executionArn),
        stack.engine.wait(b.executionArn),
      ]);
      const outcomes = [first, second].sort((x, y) => x.status.localeCompare(y.status));
      expect(outcomes.map((o) => o.status)).toEqual(['FAILED', 'SUCCEEDED']);
      expect(outcomes[0]!.cause).toMatch(
        /run shared is already being extracted by process \d+ .*\(execution shared-/,
      );
      expect(outcomes[1]!.output?.complete).toBe(true);
      expect(await stack.store.exists('runs/shared/lease.json')).toBe(false);
    } finally {
      await stack.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
