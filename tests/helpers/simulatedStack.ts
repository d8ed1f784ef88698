import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../../src/db';
import type { Database } from '../../src/db';
import { startLocalStack } from '../../src/runtime/localStack';
import type { LocalStack } from '../../src/runtime/localStack';
import { startSimulator } from '../../src/sim';
import type { Simulator, SimulatorOptions } from '../../src/sim';

/** The simulator, the local stack (S3 server, client, engine) over it, and a SQLite file, in one temporary dir. */
export interface SimulatedStack {
  sim: Simulator;
  stack: LocalStack;
  db: Database;
  dir: string;
  /** Closes the database, the stack and the simulator, and removes the directory. */
  close(): Promise<void>;
}

/** What the API, page and importer suites start before each describe block: a simulated account behind a stack. */
export async function startSimulatedStack(
  simulator: SimulatorOptions,
  dirPrefix: string,
): Promise<SimulatedStack> {
  const sim = await startSimulator(simulator);
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  const stack = await startLocalStack({
    dataDir: dir,
    baseUrl: sim.url,
    credentials: sim.credentials,
    retryIntervalMs: 10,
  });
  const db = await createDatabase(`sqlite:${join(dir, 'orders.sqlite')}`);
  return {
    sim,
    stack,
    db,
    dir,
    async close() {
      await db.close();
      await stack.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
