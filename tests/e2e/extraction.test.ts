import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExtractionRequestInput } from '../../src/core/request';
import { parseExtractionRequest } from '../../src/core/request';
import { startLocalStack } from '../../src/runtime/localStack';
import type { LocalStack } from '../../src/runtime/localStack';
import { startSimulator } from '../../src/sim';
import type { Simulator, SimulatorOptions } from '../../src/sim';
import { noFieldMismatches, readResultOrders, verifyAgainstTruth } from '../../src/verify/verifyAgainstTruth';

jest.setTimeout(300_000);

interface Env {
  sim: Simulator;
  dir: string;
  stack: (budgetMs?: number) => Promise<LocalStack>;
  close: () => Promise<void>;
}

async function environment(simOptions: SimulatorOptions): Promise<Env> {
  const sim = await startSimulator(simOptions);
  const dir = mkdtempSync(join(tmpdir(), 'e2e-'));
  const stacks: LocalStack[] = [];
  return {
    sim,
    dir,
    stack: async (budgetMs?: number) => {
      const s = await startLocalStack({
        dataDir: dir,
        baseUrl: sim.url,
        credentials: sim.credentials,
        ...(budgetMs !== undefined ? { invocationBudgetMs: budgetMs } : {}),
        retryIntervalMs: 10,
      });
      stacks.push(s);
      return s;
    },
    close: async () => {
      for (const s of stacks) await s.close().catch(() => undefined);
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Truth restricted to what a request asks for (markets, kinds and symbols). */
async function* truthFor(sim: Simulator, request: ExtractionRequestInput) {
  for await (const t of sim.truth()) {
    if (request.markets && !request.markets.includes(t.market)) continue;
    if (request.kinds && !request.kinds.includes(t.kind)) continue;
    if (request.symbols && !request.symbols.includes(t.symbol)) continue;
    yield t;
  }
}

async function extractAndVerify(
  env: Env,
  input: ExtractionRequestInput,
  opts: { budgetMs?: number; name: string },
) {
  const stack = await env.stack(opts.budgetMs);
  const request = parseExtractionRequest(input);
  const started = await stack.engine.start(request, opts.name);
  const ended = await stack.engine.wait(started.executionArn);
  expect(ended).toMatchObject({ status: 'SUCCEEDED', output: { complete: true } });
  const v = await verifyAgainstTruth(
    readResultOrders(stack.store, ended.output!.ordersJsonlKey),
    truthFor(env.sim, input),
    request.order,
  );
  const summary = JSON.parse((await stack.store.getText(ended.output!.summaryKey))!);
  return { v, summary, stack };
}

/** Every order once, sorted, raw intact, and every canonical field as the truth says (a count of 0 per field). */
const PERFECT = {
  ok: true,
  missing: 0,
  duplicates: 0,
  unexpected: 0,
  unsorted: 0,
  alteredRaw: 0,
  mismatched: 0,
  fields: noFieldMismatches(),
};

describe('the whole run: the deployed ASL in aws-local-stepfunctions, s3rver, the client, the simulator', () => {
  describe('a classic account', () => {
    let env: Env;
    beforeAll(async () => {
      env = await environment({ seed: 7, orders: 3000, symbols: 12, mode: 'classic' });
    });
    afterAll(async () => env.close());

    it('fetches every order exactly once, sorted, discovering spot plan symbols', async () => {
      const { v, summary } = await extractAndVerify(env, {}, { name: 'classic' });
      expect(v).toMatchObject({ ...PERFECT, received: 3000 });
      expect(Object.keys(summary.byKind).sort()).toEqual(['normal', 'plan', 'tpsl']);
      expect(summary.lanes.map((l: { laneId: string }) => l.laneId)).toEqual(
        expect.arrayContaining(['spot-history', 'futures-history', 'futures-plan', 'search-w0']),
      );
    });

    it('with a processor budget small enough to force many loops, still exactly once, descending', async () => {
      const { v, summary } = await extractAndVerify(env, { order: 'desc' }, { name: 'loops', budgetMs: 150 });
      expect(v).toMatchObject(PERFECT);
      const invocations = summary.lanes.reduce(
        (n: number, l: { invocations: number }) => n + l.invocations,
        0,
      );
      expect(invocations).toBeGreaterThan(summary.lanes.length * 2);
    });

    it('with named symbols, only those symbols, spot plan orders included without a search', async () => {
      const symbols: string[] = [];
      for await (const t of env.sim.truth())
        if (t.market === 'spot' && !symbols.includes(t.symbol)) symbols.push(t.symbol);
      const pick = symbols.slice(0, 3);
      const { v, summary } = await extractAndVerify(
        env,
        { symbols: pick, markets: ['spot'] },
        { name: 'named' },
      );
      expect(v).toMatchObject(PERFECT);
      expect(v.received).toBeGreaterThan(0);
      // The order lanes, and the fills and bills lanes of the spot market (all three data sets by default).
      expect(summary.lanes.map((l: { laneId: string }) => l.laneId).sort()).toEqual([
        'spot-bills',
        'spot-fills',
        'spot-history',
        'spot-plan',
      ]);
    });
  });

  describe('a unified (UTA) account', () => {
    let env: Env;
    beforeAll(async () => {
      env = await environment({ seed: 11, orders: 2500, symbols: 10, mode: 'uta' });
    });
    afterAll(async () => env.close());

    it.each([['plan'], ['tpsl']] as const)(
      'with only %s orders asked for, keeps only those of the strategy endpoint, which lists both',
      async (kind) => {
        const { v, summary } = await extractAndVerify(env, { kinds: [kind] }, { name: `uta-${kind}` });
        expect(v).toMatchObject(PERFECT);
        expect(v.received).toBeGreaterThan(0);
        expect(Object.keys(summary.byKind)).toEqual([kind]);
      },
    );

    it('detects the mode and fetches everything through v3 in 30-day windows', async () => {
      const { v, summary } = await extractAndVerify(env, {}, { name: 'uta' });
      expect(v).toMatchObject({ ...PERFECT, received: 2500 });
      // Trigger and trailing orders from history-strategy-orders are plan orders, TP/SL orders tpsl.
      expect(Object.keys(summary.byKind).sort()).toEqual(['normal', 'plan', 'tpsl']);
      expect(summary.mode).toBe('uta');
      // The order lanes, and the v3 fills and financial-records lanes (all three data sets by default).
      expect(summary.lanes.map((l: { laneId: string }) => l.laneId).sort()).toEqual([
        'uta-fills',
        'uta-financial-records',
        'uta-history',
        'uta-strategy',
      ]);
    });
  });

  describe('a run killed and resumed', () => {
    let env: Env;
    beforeAll(async () => {
      env = await environment({
        seed: 3,
        orders: 4000,
        symbols: 10,
        mode: 'classic',
        latency: { fixedMs: 20 },
      });
    });
    afterAll(async () => env.close());

    it('resumes from its saved cursors and loses nothing', async () => {
      const first = await env.stack(200);
      const request = parseExtractionRequest({});
      const started = await first.engine.start(request, 'killed');
      // Let it save some cursors, then stop it mid-run.
      for (let i = 0; i < 200 && (await first.store.list('runs/killed/parts/')).length < 3; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      first.engine.abort(started.executionArn);
      const aborted = await first.engine.wait(started.executionArn);
      expect(aborted.status).toBe('ABORTED');
      expect(await first.store.exists('results/killed/orders.jsonl')).toBe(false);
      await new Promise((r) => setTimeout(r, 1000)); // the in-flight invocation finishes its budget
      await first.close();

      const second = await env.stack(200);
      const resumed = await second.engine.start(request, 'killed');
      const ended = await second.engine.wait(resumed.executionArn);
      expect(ended).toMatchObject({ status: 'SUCCEEDED', output: { complete: true, orders: 4000 } });
      const v = await verifyAgainstTruth(
        readResultOrders(second.store, ended.output!.ordersJsonlKey),
        env.sim.truth(),
      );
      expect(v).toMatchObject({ ...PERFECT, received: 4000 });
    });
  });

  describe('an exchange that goes down mid-run', () => {
    it('stops the run as incomplete, and the same run id completes in a new process once it is back', async () => {
      const env = await environment({ seed: 8, orders: 3000, symbols: 6, latency: { fixedMs: 10 } });
      const quick = {
        dataDir: env.dir,
        baseUrl: env.sim.url,
        credentials: env.sim.credentials,
        retryIntervalMs: 10,
        client: { retries: 1, baseDelayMs: 5, maxDelayMs: 20 },
        settings: { failureBackoffMs: 10 },
      };
      try {
        const first = await startLocalStack(quick);
        const request = parseExtractionRequest({});
        const started = await first.engine.start(request, 'outage');
        for (let i = 0; i < 200 && (await first.store.list('runs/outage/parts/')).length < 1; i++) {
          await new Promise((r) => setTimeout(r, 20));
        }
        env.sim.setFaults({ serverErrorRate: 1 });
        const failed = await first.engine.wait(started.executionArn);
        expect(failed.status).toBe('FAILED');
        expect(await first.store.exists('results/outage/orders.jsonl')).toBe(false);
        await first.close();

        env.sim.setFaults({});
        const second = await startLocalStack(quick);
        const resumed = await second.engine.start(request, 'outage');
        const ended = await second.engine.wait(resumed.executionArn);
        expect(ended).toMatchObject({ status: 'SUCCEEDED', output: { complete: true, orders: 3000 } });
        const v = await verifyAgainstTruth(
          readResultOrders(second.store, ended.output!.ordersJsonlKey),
          env.sim.truth(),
        );
        expect(v).toMatchObject({ ...PERFECT, received: 3000 });
        await second.close();
      } finally {
        await env.close();
      }
    });
  });

  describe('an account whose keys are wrong', () => {
    it('fails fast with the exchange code, writes a summary marked incomplete, never a result', async () => {
      const env = await environment({ seed: 5, orders: 100, symbols: 4 });
      try {
        const stack = await startLocalStack({
          dataDir: env.dir,
          baseUrl: env.sim.url,
          credentials: { ...env.sim.credentials, secretKey: 'not-the-secret' },
          retryIntervalMs: 10,
        });
        try {
          const started = await stack.engine.start(parseExtractionRequest({}), 'badkeys');
          const ended = await stack.engine.wait(started.executionArn);
          expect(ended.status).toBe('FAILED');
          expect(ended.error).toBe('ExtractionIncomplete');
          expect(ended.cause).toMatch(/40009/);
          expect(ended.cause).not.toContain('not-the-secret');
          const summary = JSON.parse((await stack.store.getText('results/badkeys/summary.json'))!);
          expect(summary).toMatchObject({ complete: false });
          expect(await stack.store.exists('results/badkeys/orders.jsonl')).toBe(false);
        } finally {
          await stack.close();
        }
      } finally {
        await env.close();
      }
    });
  });
});
