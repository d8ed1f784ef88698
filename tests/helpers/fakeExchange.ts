import type { EndpointId } from '../../src/bitget/endpoints';
import type { CanonicalOrder } from '../../src/core/order';
import { compareDecimalIds } from '../../src/core/order';
import type { FetchedPage, PageQuery } from '../../src/extraction/cursor';
import type { ExchangePort } from '../../src/extraction/exchange';
import type { SourceSpec } from '../../src/extraction/sources';
import { describeSource } from '../../src/extraction/sources';

/**
 * An in-memory exchange for unit tests of the extraction: serves pages of canned orders per source the way
 * Bitget does (newest first, idLessThan, both time bounds inclusive). Failures can be scripted per call.
 */
export class FakeExchange implements ExchangePort {
  readonly calls: PageQuery[] = [];
  /** Called before each page; throw to simulate a failure. */
  failWith: ((q: PageQuery, call: number) => Error | undefined) | undefined;

  constructor(
    private readonly streams: Map<string, CanonicalOrder[]>,
    private readonly options: { now: number; mode?: 'classic' | 'uta'; spotSymbols?: string[] } = { now: 0 },
  ) {}

  static order(i: number, cTime: number, over: Partial<CanonicalOrder> = {}): CanonicalOrder {
    const orderId = String(1_000_000_000_000_000_000n + BigInt(i));
    return {
      orderId,
      clientOid: null,
      market: 'spot',
      kind: 'normal',
      symbol: 'BTCUSDT',
      side: 'buy',
      orderType: 'limit',
      status: 'filled',
      price: '1',
      size: '1',
      priceAvg: '1',
      baseVolume: '1',
      quoteVolume: '1',
      fee: null,
      feeCoin: null,
      leverage: null,
      marginMode: null,
      posSide: null,
      tradeSide: null,
      reduceOnly: false,
      cTime,
      uTime: cTime,
      raw: { orderId },
      ...over,
    };
  }

  static key(source: SourceSpec): string {
    return describeSource(source);
  }

  serverTime = async () => this.options.now;
  accountMode = async () => this.options.mode ?? 'classic';
  spotSymbols = async () => this.options.spotSymbols ?? [];
  endpointStats = (_e: EndpointId) => ({ requests: 0, retries: 0, http429: 0 });
  rateLimit = (_e: EndpointId) => 1000;

  fetchPage = async (q: PageQuery): Promise<FetchedPage> => {
    this.calls.push(q);
    const failure = this.failWith?.(q, this.calls.length);
    if (failure) throw failure;
    await new Promise((r) => setImmediate(r));
    const all = this.streams.get(describeSource(q.source)) ?? [];
    const rows = all
      .filter(
        (o) =>
          o.cTime >= q.startTime &&
          o.cTime <= q.endTime &&
          (q.next === null || compareDecimalIds(o.orderId, q.next) < 0),
      )
      .sort((a, b) => compareDecimalIds(b.orderId, a.orderId))
      .slice(0, q.limit);
    return { records: rows, next: rows.length > 0 ? rows[rows.length - 1]!.orderId : null };
  };
}

export function retryable(message = 'HTTP 503'): Error {
  return Object.assign(new Error(message), { name: 'BitgetRetryableError', category: 'server' });
}

export function fatal(code = '40009', category = 'auth'): Error {
  return Object.assign(new Error(`sign signature error (${code})`), {
    name: 'BitgetFatalError',
    category,
    code,
  });
}
