import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../../src/api';
import type { ApiDeps, SymbolSource } from '../../../src/api';
import type { CanonicalOrder } from '../../../src/core/order';
import { makeOrders } from '../../db/support/orders';
import type { TestDatabase } from '../../db/support/databases';
import type { TestS3 } from '../../db/support/s3';
import { FakeEngine } from './fakeEngine';

export const fakeSymbols: SymbolSource = {
  async spotSymbols() {
    return [
      { symbol: 'BTCUSDT', status: 'online' },
      { symbol: 'ETHUSDT', status: 'online' },
      { symbol: 'LUNAUSDT', status: 'offline' },
    ];
  },
  async futuresContracts(productType) {
    if (productType === 'USDT-FUTURES') return [{ symbol: 'BTCUSDT', status: 'normal' }];
    if (productType === 'USDC-FUTURES') return [{ symbol: 'BTCPERP', status: 'normal' }];
    return [
      { symbol: 'BTCUSD', status: 'normal' },
      { symbol: 'ETHUSD', status: 'maintain' },
    ];
  },
};

/** The state machine of the fake engine's ARNs (tests/db/support/orders.ts `localArn`). */
export const FAKE_STATE_MACHINE_ARN = 'arn:aws:states:local:000000000000:stateMachine:bitget-orders';

export interface Harness {
  app: FastifyInstance;
  engine: FakeEngine;
  deps: ApiDeps;
}

/** An API over a fake engine (runs write `orders` to the real S3), the given database and bucket. */
export function buildHarness(
  t: TestDatabase,
  s3: TestS3,
  options: {
    orders?: (n: number) => CanonicalOrder[];
    count?: number;
    apiKey?: string;
    prefix?: string;
    /** Default: no cap (the fake engine's runs end at once); the cap's own tests set one. */
    maxRunningExecutions?: number;
  } = {},
): Harness {
  const count = options.count ?? 250;
  const engine = new FakeEngine(
    s3,
    () => (options.orders ?? makeOrders)(count),
    options.prefix ?? `run-${t.kind}`,
  );
  const deps: ApiDeps = {
    engine,
    stateMachineArn: FAKE_STATE_MACHINE_ARN,
    maxRunningExecutions: options.maxRunningExecutions ?? Number.MAX_SAFE_INTEGER,
    db: t.database,
    s3: s3.s3,
    bucket: s3.bucket,
    symbols: fakeSymbols,
    now: () => Date.UTC(2024, 0, 1, 1),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  };
  return { app: buildApi(deps), engine, deps };
}

/** Repeats `poll` until `done` holds (at most `attempts` times, yielding between tries). */
export async function pollUntil<T>(
  poll: () => Promise<T>,
  done: (value: T) => boolean,
  attempts = 500,
): Promise<T> {
  let value = await poll();
  for (let i = 0; i < attempts && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    value = await poll();
  }
  return value;
}

export const enc = encodeURIComponent;
