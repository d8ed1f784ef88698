/** A simulated account with a clock, a local stack, and syncs of its archive (the archive suites share it). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BeforeWrite, Manifest, SyncOptions, SyncReport } from '../../src/archive';
import { ORDERS, openArchive, readRecords, runSync } from '../../src/archive';
import { ENDPOINTS, type EndpointId } from '../../src/bitget/endpoints';
import type { CanonicalOrder } from '../../src/core/order';
import type { Database } from '../../src/db';
import type { ExtractionSettings } from '../../src/extraction/stages';
import { startLocalStack, type LocalStack } from '../../src/runtime/localStack';
import { startSimulator, type Simulator, type SimulatorOptions, type TruthRecord } from '../../src/sim';

export const DAY = 86_400_000;

/** Budgets high enough that a test never waits on a limiter (the rate-limit machinery still runs). */
const FAST = Object.fromEntries(Object.keys(ENDPOINTS).map((id) => [id, 1000])) as Record<EndpointId, number>;

export interface ArchiveEnv {
  sim: Simulator;
  stack: LocalStack;
  dir: string;
  sync(beforeWrite?: BeforeWrite, options?: SyncOptions): Promise<SyncReport>;
  records(): Promise<CanonicalOrder[]>;
  manifest(): Promise<Manifest>;
  truth(): Promise<TruthRecord[]>;
  close(): Promise<void>;
}

export async function archiveEnv(
  options: SimulatorOptions,
  database?: Database,
  settings?: Partial<ExtractionSettings>,
): Promise<ArchiveEnv> {
  const sim = await startSimulator({
    symbols: 4,
    ...options,
    rateLimits: {
      perSecond: Object.fromEntries(Object.keys(ENDPOINTS).map((id) => [id, 1e6])),
      ipPerMinute: 1e9,
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'archive-'));
  const stack = await startLocalStack({
    dataDir: dir,
    baseUrl: sim.url,
    credentials: sim.credentials,
    retryIntervalMs: 10,
    client: { rateLimits: { ratePerSecond: FAST, ipPerMinute: 1e9 } },
    settings,
  });
  const deps = {
    store: stack.store,
    client: stack.client,
    engine: stack.engine,
    ...(database ? { database } : {}),
  };
  return {
    sim,
    stack,
    dir,
    sync: (beforeWrite, options) => runSync({ ...deps, ...(beforeWrite ? { beforeWrite } : {}) }, options),
    records: async () => {
      const { archive, manifest } = await openArchive(stack.store);
      const out: CanonicalOrder[] = [];
      for await (const r of readRecords(archive, manifest, ORDERS)) out.push(r);
      return out;
    },
    manifest: async () => (await openArchive(stack.store)).manifest,
    truth: async () => {
      const out: TruthRecord[] = [];
      for await (const t of sim.truth()) out.push(t);
      return out;
    },
    close: async () => {
      await stack.close().catch(() => undefined);
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const keyOf = (r: { market: string; orderId: string }): string => `${r.market}|${r.orderId}`;
