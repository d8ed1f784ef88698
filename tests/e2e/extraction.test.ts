import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExtractionRequest } from '../../src/core/request';
import { startLocalStack } from '../../src/runtime/localStack';
import type { LocalStack } from '../../src/runtime/localStack';
import { startSimulator } from '../../src/sim';
import type { Simulator } from '../../src/sim';
import { compareWithTruth, resultOf, truthOf } from '../helpers/truth';

jest.setTimeout(240_000);

async function withRun(
  sim: Simulator,
  opts: { budgetMs?: number } = {},
): Promise<{ stack: LocalStack; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-'));
  const stack = await startLocalStack({
    dataDir: dir,
    baseUrl: sim.url,
    credentials: sim.credentials,
    ...(opts.budgetMs !== undefined ? { invocationBudgetMs: opts.budgetMs } : {}),
    retryIntervalMs: 10,
  });
  return { stack, dir };
}

describe('the whole run against the simulator: the deployed ASL in aws-local-stepfunctions, s3rver, the client', () => {
  it('fetches every order of a classic account exactly once, sorted, discovering spot plan symbols', async () => {
    const sim = await startSimulator({ seed: 7, orders: 3000, symbols: 12, mode: 'classic' });
    const { stack, dir } = await withRun(sim);
    try {
      const started = await stack.engine.start(parseExtractionRequest({}), 'classic-run');
      const ended = await stack.engine.wait(started.executionArn);
      expect(ended).toMatchObject({ status: 'SUCCEEDED', output: { complete: true } });
      const truth = await truthOf(sim);
      const result = await resultOf(stack.store, ended.output!.ordersJsonlKey);
      expect(compareWithTruth(result, truth)).toEqual({
        missing: 0,
        unexpected: 0,
        duplicates: 0,
        unsorted: 0,
      });
      expect(result).toHaveLength(truth.length);
      const byId = new Map(truth.map((t) => [`${t.market}:${t.orderId}`, t]));
      for (const o of result) expect(o.raw).toEqual(byId.get(`${o.market}:${o.orderId}`)!.raw);
      expect(new Set(result.map((o) => o.kind))).toEqual(new Set(['normal', 'tpsl', 'plan']));
    } finally {
      await stack.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
