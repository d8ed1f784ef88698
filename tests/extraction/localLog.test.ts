import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExtractionRequest } from '../../src/core/request';
import { startLocalStack } from '../../src/runtime/localStack';
import type { LocalStack } from '../../src/runtime/localStack';
import { startSimulator } from '../../src/sim';
import type { Simulator } from '../../src/sim';

jest.setTimeout(120_000);

describe('the local stack’s log', () => {
  let sim: Simulator;
  let dir: string;
  let stack: LocalStack;
  let lines: Record<string, unknown>[];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 8, orders: 600, symbols: 4, mode: 'classic' });
    dir = mkdtempSync(join(tmpdir(), 'local-log-'));
    // A short budget, so that lanes stop on their deadline and are looped.
    stack = await startLocalStack({
      dataDir: dir,
      baseUrl: sim.url,
      credentials: sim.credentials,
      invocationBudgetMs: 300,
    });
    const started = await stack.engine.start(parseExtractionRequest({}), 'logged-run');
    expect((await stack.engine.wait(started.executionArn)).status).toBe('SUCCEEDED');
    await stack.close();
    lines = readFileSync(stack.logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is appended to the data directory’s log file as Powertools JSON lines with the run id', () => {
    expect(stack.logFile).toBe(join(dir, 'logs', 'bitget-orders.log'));
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) {
      expect(l).toMatchObject({ service: 'bitget-orders', runId: 'logged-run' });
      expect(typeof l['timestamp']).toBe('string');
    }
  });

  it('says for each lane invocation its lane, pages, orders, time and why it stopped', () => {
    const lanes = lines.filter((l) => l['message'] === 'lane invocation ended');
    expect(lanes.length).toBeGreaterThanOrEqual(4);
    for (const l of lanes) {
      expect(typeof l['laneId']).toBe('string');
      expect(String(l['executionName'])).toMatch(/^logged-run/);
      expect(['done', 'deadline', 'circuit_open']).toContain(l['stop']);
      for (const k of ['pages', 'orders', 'requests', 'ms']) expect(typeof l[k]).toBe('number');
    }
    // Every lane ends done, whatever number of invocations its deadline cost it.
    const laneIds = new Set(lanes.map((l) => l['laneId']));
    const done = new Set(lanes.filter((l) => l['stop'] === 'done').map((l) => l['laneId']));
    expect(done).toEqual(laneIds);
    expect(lanes.reduce((n, l) => n + (l['orders'] as number), 0)).toBe(600);
    expect(lines.find((l) => l['message'] === 'run collected')).toMatchObject({
      complete: true,
      orders: 600,
    });
  });

  it('holds none of the Bitget keys', () => {
    const text = readFileSync(stack.logFile, 'utf8');
    for (const s of Object.values(sim.credentials)) expect(text).not.toContain(s);
  });
});
