import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { EndpointId } from '../../src/bitget/endpoints';
import type { CanonicalFill } from '../../src/core/fill';
import type { CanonicalLedgerEntry } from '../../src/core/ledgerEntry';
import { startSimulator } from '../../src/sim';
import { truthFileOf } from '../../src/sim/activityTruth';
import type { FaultOptions, SimCredentials, SimStats, SimulatorOptions, TruthRecord } from '../../src/sim';

/** The simulator as the benches see it, in process or in a child process. */
export interface BenchSim {
  url: string;
  credentials: SimCredentials;
  stats(): Promise<SimStats>;
  truth(): AsyncIterable<TruthRecord>;
  /** Every fill of the history, as the product must emit it. */
  fillTruth(): AsyncIterable<CanonicalFill>;
  /** Every ledger entry of the history, bills and tax records. */
  ledgerTruth(): AsyncIterable<CanonicalLedgerEntry>;
  setFaults(f: FaultOptions): Promise<void>;
  close(): Promise<void>;
  pid: number | null;
  orders?: number;
}

/**
 * Starts the simulator. In a child process when the compiled child script exists (make bench / make faults),
 * else in process (jest runs the TypeScript sources). The truth comes from a file the child writes.
 */
export async function startBenchSim(
  options: SimulatorOptions,
  how: { inProcess?: boolean } = {},
): Promise<BenchSim> {
  const script = join(__dirname, 'simChild.js');
  if (how.inProcess || !existsSync(script)) {
    const sim = await startSimulator(options);
    return {
      url: sim.url,
      credentials: sim.credentials,
      stats: async () => sim.stats(),
      truth: () => sim.truth(),
      fillTruth: () => sim.fillTruth(),
      ledgerTruth: () => sim.ledgerTruth(),
      setFaults: async (f) => sim.setFaults(f),
      close: () => sim.close(),
      pid: null,
      orders: options.orders ?? 2000,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-sim-'));
  const truthFile = join(dir, 'truth.ndjson');
  const child: ChildProcess = fork(script, [JSON.stringify({ ...options, truthFile })], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited ${code} before it was ready`)));
  });
  const ready = JSON.parse(line) as { url: string } & SimCredentials;
  let nextId = 0;
  const url = ready.url;
  return {
    url,
    credentials: { apiKey: ready.apiKey, secretKey: ready.secretKey, passphrase: ready.passphrase },
    pid: child.pid ?? null,
    orders: options.orders ?? 2000,
    stats: async () => (await (await fetch(`${url}/sim/stats`)).json()) as SimStats,
    truth: () => ndjsonLines<TruthRecord>(truthFile),
    fillTruth: () => ndjsonLines<CanonicalFill>(truthFileOf(truthFile, 'fills')),
    ledgerTruth: () => ndjsonLines<CanonicalLedgerEntry>(truthFileOf(truthFile, 'ledger')),
    setFaults: (f) =>
      new Promise<void>((resolve) => {
        const id = ++nextId;
        const onMessage = (m: { ack?: number }) => {
          if (m.ack === id) {
            child.off('message', onMessage);
            resolve();
          }
        };
        child.on('message', onMessage);
        child.send({ setFaults: f, id });
      }),
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function* ndjsonLines<T>(file: string): AsyncGenerator<T> {
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const l of rl) if (l) yield JSON.parse(l) as T;
}

/** Requests the exchange received on its order-history endpoints (served + refused), from the sim's stats. */
export const ORDER_ENDPOINTS = [
  'spotHistoryOrders',
  'spotPlanHistory',
  'futuresHistoryOrders',
  'futuresPlanHistory',
  'utaHistoryOrders',
  'utaStrategyHistory',
] as const;

export function orderRequestsOf(stats: SimStats): { received: number; served: number; refused429: number } {
  let served = 0;
  let refused429 = 0;
  let other = 0;
  const isOrder = (e: string) => (ORDER_ENDPOINTS as readonly string[]).includes(e);
  for (const [e, n] of Object.entries(stats.served)) {
    if (isOrder(e)) served += n ?? 0;
    else other += n ?? 0;
  }
  for (const [e, byReason] of Object.entries(stats.refused)) {
    for (const [reason, n] of Object.entries(byReason ?? {})) {
      if (!isOrder(e)) other += n ?? 0;
      else if (reason === 'rate_limit' || reason === 'ip_limit' || reason === 'ip_banned')
        refused429 += n ?? 0;
    }
  }
  // Everything that reached a route, minus what went to public/settings endpoints (faulted requests included).
  return { received: stats.requests - other, served, refused429 };
}

/** Per endpoint: requests the exchange received (served + refused for any reason) and those refused with 429. */
export function requestsByEndpoint(
  stats: SimStats,
): Map<EndpointId, { received: number; refused429: number }> {
  const out = new Map<EndpointId, { received: number; refused429: number }>();
  const at = (e: string) => {
    const id = e as EndpointId;
    const figures = out.get(id) ?? { received: 0, refused429: 0 };
    out.set(id, figures);
    return figures;
  };
  for (const [e, n] of Object.entries(stats.served)) at(e).received += n ?? 0;
  for (const [e, byReason] of Object.entries(stats.refused)) {
    for (const [reason, n] of Object.entries(byReason ?? {})) {
      at(e).received += n ?? 0;
      if (reason === 'rate_limit' || reason === 'ip_limit' || reason === 'ip_banned')
        at(e).refused429 += n ?? 0;
    }
  }
  return out;
}
