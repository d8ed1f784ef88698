import type { RunOutput } from '../../../src/core/engine';
import type { CanonicalOrder } from '../../../src/core/order';

const BASE_TIME = 1_700_235_036_937;

/** A canonical order with amounts in Bitget's spelling (trailing zeros kept), unique per index. */
export function makeOrder(i: number, overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  const orderId = String(1_100_000_000_000_000_000n + BigInt(i));
  return {
    orderId,
    clientOid: `client-${i}`,
    market: i % 2 === 0 ? 'spot' : 'usdt-futures',
    kind: 'normal',
    symbol: i % 3 === 0 ? 'ETHUSDT' : 'BTCUSDT',
    side: i % 2 === 0 ? 'buy' : 'sell',
    orderType: 'limit',
    status: 'filled',
    price: '37012.500000000000',
    size: '0.000079400000',
    priceAvg: '37012.5',
    baseVolume: '0.0000794',
    quoteVolume: '2.93879250',
    fee: '0.00293879',
    feeCoin: 'USDT',
    leverage: i % 2 === 0 ? null : '10',
    marginMode: i % 2 === 0 ? null : 'crossed',
    posSide: null,
    tradeSide: null,
    reduceOnly: false,
    cTime: BASE_TIME + i * 1000,
    uTime: BASE_TIME + i * 1000 + 67,
    raw: { orderId, size: '0.000079400000', cTime: String(BASE_TIME + i * 1000) },
    ...overrides,
  };
}

export function makeOrders(count: number): CanonicalOrder[] {
  return Array.from({ length: count }, (_, i) => makeOrder(i));
}

export function toJsonl(orders: readonly CanonicalOrder[]): string {
  return orders.map((o) => JSON.stringify(o)).join('\n') + (orders.length > 0 ? '\n' : '');
}

export function runOutput(bucket: string, runId: string, orders: number): RunOutput {
  return {
    bucket,
    runId,
    ordersJsonlKey: `runs/${runId}/orders.jsonl`,
    ordersJsonKey: `runs/${runId}/orders.json`,
    summaryKey: `runs/${runId}/summary.json`,
    complete: true,
    orders,
  };
}

/** Writes orders.jsonl, orders.json and summary.json of a run to S3 and returns its RunOutput. */
export async function writeRun(
  put: (key: string, body: string) => Promise<void>,
  bucket: string,
  runId: string,
  orders: readonly CanonicalOrder[],
): Promise<RunOutput> {
  const output = runOutput(bucket, runId, orders.length);
  await put(output.ordersJsonlKey, toJsonl(orders));
  await put(output.ordersJsonKey, JSON.stringify({ orders }));
  await put(output.summaryKey, JSON.stringify({ runId, orders: orders.length, complete: true }));
  return output;
}

export function localArn(name: string): string {
  return `arn:aws:states:local:000000000000:execution:bitget-orders:${name}`;
}
