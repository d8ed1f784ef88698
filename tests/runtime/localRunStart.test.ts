/**
 * How a local run starts: the exchange's time, mode and listed symbols are asked while the stack starts and
 * saved as the run's exchange facts, so planning asks nothing again; a resumed run (its plan saved) keeps its
 * plan and the facts it was planned with (the stack still asks while it starts: it cannot know yet that the run
 * is resumed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExtractionRequest } from '../../src/core/request';
import { BitgetClient } from '../../src/bitget/BitgetClient';
import { bitgetExchange } from '../../src/extraction/bitgetExchange';
import { askExchangeFacts } from '../../src/extraction/exchangeFacts';
import { RunRepository } from '../../src/extraction/RunRepository';
import { runLocalExtraction } from '../../src/runtime/runExtraction';
import { startSimulator } from '../../src/sim';
import type { Simulator } from '../../src/sim';

jest.setTimeout(180_000);

describe('a local run asks the planning questions while its stack starts', () => {
  let sim: Simulator;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 21, orders: 300, symbols: 4 });
    dir = mkdtempSync(join(tmpdir(), 'run-start-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const served = (endpoint: string) => sim.stats().served[endpoint as never] ?? 0;
  const refused = (endpoint: string) =>
    Object.values(sim.stats().refused[endpoint] ?? {}).reduce((a, b) => a + (b ?? 0), 0);
  /** Requests of the planning questions so far (a classic account's mode question is answered by a refusal). */
  const planning = () => ({
    time: served('publicTime'),
    mode: served('utaSettings') + refused('utaSettings'),
    symbols: served('spotSymbols'),
  });
  const since = (before: ReturnType<typeof planning>) => {
    const now = planning();
    return {
      time: now.time - before.time,
      mode: now.mode - before.mode,
      symbols: now.symbols - before.symbols,
    };
  };
  const extract = async () => {
    const run = await runLocalExtraction({
      dataDir: dir,
      baseUrl: sim.url,
      credentials: sim.credentials,
      request: parseExtractionRequest({ datasets: ['orders'] }),
      runId: 'start-facts',
      retryIntervalMs: 10,
    });
    try {
      const repo = new RunRepository(run.stack.store, run.runId);
      return { run, facts: await repo.getExchangeFacts(), plan: await repo.getPlan() };
    } finally {
      await run.stack.close();
    }
  };

  let first: Awaited<ReturnType<typeof extract>> | undefined;

  it('saves the facts it asked once each, and plans with them', async () => {
    // What asking the questions once costs, by a client of its own (it syncs its clock for the private one).
    const alone = planning();
    await askExchangeFacts(
      bitgetExchange(new BitgetClient({ baseUrl: sim.url, credentials: sim.credentials })),
      parseExtractionRequest({ datasets: ['orders'] }),
    );
    const once = since(alone);
    expect(once.symbols).toBe(1);

    const before = planning();
    first = await extract();
    const { run, facts, plan } = first;
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.resumed).toBe(false);
    // Planning asked nothing again: the whole run asked them as often as one askExchangeFacts.
    expect(since(before)).toEqual(once);
    expect(facts).not.toBeNull();
    expect(facts!.mode).toBe('classic');
    expect(plan!.mode).toBe('classic');
    // The plan's listed symbols are those the facts hold, not asked a second time.
    expect(plan!.listedSpotSymbols).toEqual([
      ...new Set(facts!.listedSpotSymbols!.map((s) => s.toUpperCase())),
    ]);
  });

  it('a resumed run keeps its plan and the facts it was planned with', async () => {
    expect(first).toBeDefined();
    const again = await extract();
    expect(again.run.resumed).toBe(true);
    expect(again.run.execution.status).toBe('SUCCEEDED');
    expect(again.plan).toEqual(first!.plan);
    expect(again.facts).toEqual(first!.facts);
  });
});
