/**
 * API under load on loopback (autocannon): GET /health and POST /orders.
 * - POST /orders over a stub engine that starts nothing (start() answers at once): what is measured is the
 *   API's own path (schema validation, request parsing, engine.start, the execution record and its log line
 *   written to SQLite), not an extraction.
 * - POST /orders over the real LocalEngine bound to a small simulator, bounded to a few requests: the same
 *   path with the real engine's start (the executions then run in the background and are awaited).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { localStateMachineArn, startApiServer } from '../../src/api';
import type { SymbolSource } from '../../src/api';
import type { ExecutionDescription, ExecutionEngine, StartedExecution } from '../../src/core/engine';
import { ExecutionNotFoundError } from '../../src/core/errors';
import type { ExtractionRequest } from '../../src/core/request';
import { createDatabase } from '../../src/db';
import { LOCAL_STATE_MACHINE } from '../../src/engines/LocalEngine';
import { startLocalStack } from '../../src/runtime/localStack';
import { LOCAL_BUCKET } from '../../src/runtime/localStack';
import { startSimulator } from '../../src/sim';
import { createS3Client } from '../../src/storage';
import { machineInfo } from '../lib/machine';
import type { MachineInfo } from '../lib/machine';
import { log } from '../lib/results';

const symbols: SymbolSource = {
  spotSymbols: async () => [{ symbol: 'BTCUSDT', status: 'online' }],
  futuresContracts: async () => [{ symbol: 'BTCUSDT', status: 'normal' }],
};

/** Starts nothing: answers start() at once, so the API's own cost is what is measured. */
class StubEngine implements ExecutionEngine {
  private readonly runs = new Map<string, ExecutionDescription>();
  async start(request: ExtractionRequest, name?: string): Promise<StartedExecution> {
    const runName = name ?? `bench-${randomBytes(6).toString('hex')}`;
    const executionArn = `arn:aws:states:local:000000000000:execution:bitget-orders-extraction:${runName}`;
    const startDate = new Date();
    this.runs.set(executionArn, {
      executionArn,
      name: runName,
      status: 'RUNNING',
      startDate,
      input: request,
    });
    return { executionArn, name: runName, startDate };
  }
  async describe(executionArn: string): Promise<ExecutionDescription> {
    const d = this.runs.get(executionArn);
    if (!d) throw new ExecutionNotFoundError(executionArn);
    return d;
  }
  async list(): Promise<ExecutionDescription[]> {
    return [...this.runs.values()].slice(-100);
  }
}

export interface LoadFigures {
  name: string;
  what: string;
  connections: number;
  durationS: number;
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  averageMs: number;
  requestsPerSecond: number;
}

export interface ApiBenchResult {
  scenario: 'api';
  machine: MachineInfo;
  method: string;
  results: LoadFigures[];
  targets: { noErrors: boolean; all: boolean };
}

function figures(name: string, what: string, r: autocannon.Result): LoadFigures {
  return {
    name,
    what,
    connections: r.connections,
    durationS: r.duration,
    requests: r['2xx'] + r.non2xx,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    averageMs: r.latency.average,
    requestsPerSecond: Math.round((r['2xx'] + r.non2xx) / Math.max(0.001, r.duration)),
  };
}

export async function runApiBench(options: {
  durationS: number;
  connections: number;
  realEngineRequests: number;
}): Promise<ApiBenchResult> {
  const machine = machineInfo();
  const dir = mkdtempSync(join(tmpdir(), 'bench-api-'));
  const results: LoadFigures[] = [];
  const now = Date.now();
  const body = JSON.stringify({ symbols: ['BTCUSDT'], start_ms: now - 86_400_000, end_ms: now });
  const post = { method: 'POST', body, headers: { 'content-type': 'application/json' } };
  try {
    // 1. Stub engine: the API's own cost.
    const db = await createDatabase(`sqlite:${join(dir, 'api.sqlite')}`);
    const stack = await startLocalStack({
      dataDir: join(dir, 'stub'),
      baseUrl: 'http://127.0.0.1:9',
      credentials: { apiKey: 'k', secretKey: 's', passphrase: 'p' },
    });
    const api = await startApiServer({
      host: '127.0.0.1',
      port: 0,
      engine: new StubEngine(),
      stateMachineArn: localStateMachineArn(LOCAL_STATE_MACHINE),
      // Load from one client is what is measured: the per-client limits and the cap on running executions
      // (the stub's runs never end) would answer it 429.
      rateLimit: false,
      maxRunningExecutions: Number.MAX_SAFE_INTEGER,
      db,
      s3: createS3Client(stack.s3),
      bucket: LOCAL_BUCKET,
      symbols,
    });
    try {
      const base = { connections: options.connections, duration: options.durationS };
      log('api: GET /health');
      results.push(
        figures(
          'GET /health',
          'database ping + JSON',
          await autocannon({ ...base, url: `${api.url}/health` }),
        ),
      );
      log('api: POST /orders (stub engine)');
      results.push(
        figures(
          'POST /orders (stub engine)',
          'validation + engine.start (instant) + execution record and log line in SQLite',
          await autocannon({ ...base, url: `${api.url}/orders`, ...post }),
        ),
      );
    } finally {
      await api.close();
      await stack.close();
      await db.close();
    }

    // 2. The real local engine over a small simulator, bounded.
    if (options.realEngineRequests > 0) {
      const sim = await startSimulator({ seed: 5, orders: 500, symbols: 6, latency: { medianMs: 20 } });
      const db2 = await createDatabase(`sqlite:${join(dir, 'api-real.sqlite')}`);
      const real = await startLocalStack({
        dataDir: join(dir, 'real'),
        baseUrl: sim.url,
        credentials: sim.credentials,
      });
      const api2 = await startApiServer({
        host: '127.0.0.1',
        port: 0,
        engine: real.engine,
        stateMachineArn: localStateMachineArn(LOCAL_STATE_MACHINE),
        maxRunningExecutions: options.realEngineRequests,
        db: db2,
        s3: createS3Client(real.s3),
        bucket: LOCAL_BUCKET,
        symbols,
      });
      try {
        log(`api: POST /orders (local engine, ${options.realEngineRequests} requests)`);
        results.push(
          figures(
            'POST /orders (local engine)',
            `${options.realEngineRequests} requests: validation + a real execution started on aws-local-stepfunctions (runs in the background against the simulator) + database records`,
            await autocannon({
              url: `${api2.url}/orders`,
              ...post,
              connections: 2,
              amount: options.realEngineRequests,
            }),
          ),
        );
        // Let the started executions finish before closing their store.
        for (const d of await real.engine.list(1000))
          await real.engine.wait(d.executionArn).catch(() => undefined);
      } finally {
        await api2.close();
        await real.close();
        await db2.close();
        await sim.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const noErrors = results.every((r) => r.errors === 0 && r.non2xx === 0);
  return {
    scenario: 'api',
    machine,
    method:
      'autocannon 9 on loopback against startApiServer (Fastify) with a SQLite database; fixed duration for the stub-engine runs, a fixed request count for the real engine. Latency in ms (autocannon histogram), throughput = responses ÷ duration.',
    results,
    targets: { noErrors, all: noErrors },
  };
}
