import { inspect } from 'node:util';
import {
  CREDENTIALS,
  api,
  connectionReset,
  defineFixture,
  envelope,
  received,
  requestsTo,
  serveTime,
  testClient,
  useNock,
} from '../../tests/fixtures/bitget/helpers';
import { BitgetApiError, BitgetFatalError, BitgetRetryableError } from './errors';

useNock();
beforeEach(() => serveTime(Date.now()));

const SPOT = '/api/v2/spot/trade/history-orders';
const FUTURES = '/api/v2/mix/order/orders-history';
const spotCalls = () => requestsTo(SPOT).length;

describe('retries', () => {
  it('retry a 429, a 5xx and a connection reset with growing delays, then succeed', async () => {
    const { client, sleeps } = testClient({ baseDelayMs: 100, maxDelayMs: 10_000 });
    const [rateLimited] = defineFixture('rate-limited.json');
    const rest = api()
      .get(SPOT)
      .query({ limit: '100' })
      .reply(502, '<html>Bad Gateway</html>')
      .get(SPOT)
      .query({ limit: '100' })
      .replyWithError(connectionReset())
      .get(SPOT)
      .query({ limit: '100' })
      .reply(200, envelope([]));
    await expect(client.getSpotHistoryOrders({ limit: 100 })).resolves.toEqual({ rows: [], next: null });
    expect(rateLimited!.isDone()).toBe(true);
    expect(rest.isDone()).toBe(true);
    expect(spotCalls()).toBe(4);
    expect(sleeps).toHaveLength(3);
    expect(sleeps[1]!).toBeGreaterThan(sleeps[0]!);
    expect(sleeps[2]!).toBeGreaterThan(sleeps[1]!);
    expect(client.stats()).toMatchObject({
      retries: 3,
      retriesByEndpoint: { spotHistoryOrders: 3 },
      http429: 1,
      http429ByEndpoint: { spotHistoryOrders: 1 },
      errors: {},
    });
  });

  it('re-sign every retry with a fresh timestamp', async () => {
    let now = 1_700_000_000_000;
    const { client } = testClient({
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    const scope = api().get(SPOT).reply(503, 'unavailable').get(SPOT).reply(200, envelope([]));
    await client.getSpotHistoryOrders();
    expect(scope.isDone()).toBe(true);
    const [first, second] = requestsTo(SPOT);
    expect(Number(second!.headers['access-timestamp'])).toBeGreaterThan(
      Number(first!.headers['access-timestamp']),
    );
    expect(second!.headers['access-sign']).not.toBe(first!.headers['access-sign']);
  });

  it.each(['45001', '40725', '40808', '40015', '40200', '429'])(
    'retry exchange code %s arriving as HTTP 200',
    async (code) => {
      const { client, sleeps } = testClient();
      const scope = api()
        .get(SPOT)
        .reply(200, envelope(null, code, 'try again'))
        .get(SPOT)
        .reply(200, envelope([]));
      await expect(client.getSpotHistoryOrders()).resolves.toEqual({ rows: [], next: null });
      expect(scope.isDone()).toBe(true);
      expect(spotCalls()).toBe(2);
      expect(sleeps).toHaveLength(1);
      expect(client.stats().retriesByEndpoint).toEqual({ spotHistoryOrders: 1 });
      expect(client.stats().http429ByEndpoint).toEqual(code === '429' ? { spotHistoryOrders: 1 } : {});
    },
  );

  it('retry a malformed JSON body as a server error', async () => {
    const { client } = testClient();
    const scope = api()
      .get(SPOT)
      .reply(200, '{"code":"00000","msg":"succ')
      .get(SPOT)
      .reply(200, envelope([]));
    await expect(client.getSpotHistoryOrders()).resolves.toEqual({ rows: [], next: null });
    expect(scope.isDone()).toBe(true);
    expect(client.stats().retries).toBe(1);
  });

  it('retry a timeout', async () => {
    const { client } = testClient({ timeoutMs: 50, retries: 1 });
    const scope = api()
      .get(SPOT)
      .delay(500)
      .reply(200, envelope([]))
      .get(SPOT)
      .delay(500)
      .reply(200, envelope([]));
    await expect(client.getSpotHistoryOrders()).rejects.toMatchObject({
      name: 'BitgetRetryableError',
      category: 'timeout',
      attempts: 2,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('give up after the configured retries with a retryable error carrying the category', async () => {
    const { client, sleeps } = testClient({ retries: 2 });
    const scope = api().get(SPOT).times(3).reply(503, 'unavailable');
    const error = await client.getSpotHistoryOrders().catch((e: unknown) => e);
    expect(scope.isDone()).toBe(true);
    expect(error).toBeInstanceOf(BitgetRetryableError);
    expect(error).toMatchObject({ category: 'server', httpStatus: 503, attempts: 3, retryable: true });
    expect(sleeps).toHaveLength(2);
    expect(client.stats().errors).toEqual({ server: 1 });
  });

  it.each([
    ['40009', 'sign signature error', 'auth'],
    ['40037', 'Apikey does not exist', 'auth'],
    ['40034', 'Parameter symbol does not exist', 'symbol_not_found'],
    ['40014', 'Incorrect permissions', 'permission'],
    ['40705', 'The start and end time cannot exceed 90 days', 'param'],
  ])('never retry %s (%s): it surfaces as %s', async (code, msg, category) => {
    const { client, sleeps } = testClient();
    // A second answer is on offer: a retry would take it and succeed, so a retry cannot go unnoticed.
    const fatal = api()
      .get(SPOT)
      .query({ symbol: 'NOPEUSDT' })
      .reply(400, envelope(null, code, msg));
    const wouldRetry = api().get(SPOT).query({ symbol: 'NOPEUSDT' }).optionally().reply(200, envelope([]));
    const error = await client.getSpotHistoryOrders({ symbol: 'NOPEUSDT' }).catch((e: unknown) => e);
    expect(fatal.isDone()).toBe(true);
    expect(wouldRetry.activeMocks()).toHaveLength(1); // not taken
    expect(error).toBeInstanceOf(BitgetFatalError);
    expect(error).toMatchObject({
      name: 'BitgetFatalError',
      category,
      exchangeCode: code,
      exchangeMessage: msg,
      attempts: 1,
    });
    expect(spotCalls()).toBe(1);
    expect(sleeps).toEqual([]);
    expect(client.stats()).toMatchObject({ retries: 0, retriesByEndpoint: {}, errors: { [category]: 1 } });
  });

  it('treat an auth code arriving as HTTP 200 as fatal too', async () => {
    const { client } = testClient();
    const scope = api()
      .get(SPOT)
      .reply(200, envelope(null, '40009', 'sign signature error'));
    await expect(client.getSpotHistoryOrders()).rejects.toMatchObject({ category: 'auth', httpStatus: 200 });
    expect(scope.isDone()).toBe(true);
    expect(spotCalls()).toBe(1);
  });
});

describe('per-endpoint counters', () => {
  it('attribute retries and 429s to the endpoint of each concurrent lane sharing one client', async () => {
    const { client } = testClient();
    let releaseSpot: () => void = () => undefined;
    const futuresDone = new Promise<void>((resolve) => {
      releaseSpot = resolve;
    });
    // Spot: a 429, then an answer held back until the futures lane has finished, so the two lanes overlap.
    const spot = api()
      .get(SPOT)
      .reply(429, envelope(null, '429', 'Too Many Requests'))
      .get(SPOT)
      .reply((_uri, _body, callback) => {
        void futuresDone.then(() => callback(null, [200, envelope([])]));
      });
    // Futures: a 503, a connection reset, then an answer.
    const futures = api()
      .get(FUTURES)
      .query(true)
      .reply(503, 'unavailable')
      .get(FUTURES)
      .query(true)
      .replyWithError(connectionReset())
      .get(FUTURES)
      .query(true)
      .reply(200, envelope({ entrustedList: [], endId: null }));

    const lane = async <T>(endpoint: 'spotHistoryOrders' | 'futuresHistoryOrders', run: () => Promise<T>) => {
      const before = client.stats();
      await run();
      const after = client.stats();
      return {
        retries: (after.retriesByEndpoint[endpoint] ?? 0) - (before.retriesByEndpoint[endpoint] ?? 0),
        http429: (after.http429ByEndpoint[endpoint] ?? 0) - (before.http429ByEndpoint[endpoint] ?? 0),
        totalRetries: after.retries - before.retries,
      };
    };
    const [spotLane, futuresLane] = await Promise.all([
      lane('spotHistoryOrders', () => client.getSpotHistoryOrders()),
      lane('futuresHistoryOrders', () =>
        client.getFuturesHistoryOrders({ productType: 'USDT-FUTURES' }).finally(() => releaseSpot()),
      ),
    ]);

    expect(spot.isDone()).toBe(true);
    expect(futures.isDone()).toBe(true);
    expect(spotLane).toMatchObject({ retries: 1, http429: 1 });
    expect(futuresLane).toMatchObject({ retries: 2, http429: 0 });
    // The client-wide delta over the spot lane's lifetime includes the futures lane's retries: the double count
    // the per-endpoint counters avoid.
    expect(spotLane.totalRetries).toBe(3);
    expect(client.stats()).toMatchObject({
      requests: { publicTime: 1, spotHistoryOrders: 2, futuresHistoryOrders: 3 },
      retries: 3,
      retriesByEndpoint: { spotHistoryOrders: 1, futuresHistoryOrders: 2 },
      http429: 1,
      http429ByEndpoint: { spotHistoryOrders: 1 },
    });
  });

  it('are copies: a snapshot does not change when the client counts on', async () => {
    const { client } = testClient();
    const scope = api()
      .get(SPOT)
      .reply(429, envelope(null, '429', 'Too Many Requests'))
      .get(SPOT)
      .reply(200, envelope([]))
      .get(SPOT)
      .reply(429, envelope(null, '429', 'Too Many Requests'))
      .get(SPOT)
      .reply(200, envelope([]));
    await client.getSpotHistoryOrders();
    const first = client.stats();
    await client.getSpotHistoryOrders();
    expect(scope.isDone()).toBe(true);
    expect(first).toMatchObject({
      retriesByEndpoint: { spotHistoryOrders: 1 },
      http429ByEndpoint: { spotHistoryOrders: 1 },
    });
    expect(client.stats()).toMatchObject({
      retries: 2,
      retriesByEndpoint: { spotHistoryOrders: 2 },
      http429: 2,
      http429ByEndpoint: { spotHistoryOrders: 2 },
    });
  });
});

describe('secrets', () => {
  const SECRETS = () => [CREDENTIALS.apiKey, CREDENTIALS.secretKey, CREDENTIALS.passphrase];

  function expectNoSecret(error: unknown, signatures: string[]): void {
    const views = [
      JSON.stringify(error),
      inspect(error, { depth: 20, showHidden: true }),
      String(error),
      (error as Error).stack ?? '',
      JSON.stringify(Object.getOwnPropertyNames(error).map((k) => (error as Record<string, unknown>)[k])),
    ];
    for (const view of views) {
      for (const secret of [...SECRETS(), ...signatures]) expect(view).not.toContain(secret);
    }
  }

  const signaturesSent = () =>
    received.map((r) => r.headers['access-sign']).filter((s): s is string => typeof s === 'string');

  it('never appear in a fatal error, even when the exchange echoes one', async () => {
    const { client } = testClient();
    const scope = api()
      .get(SPOT)
      .reply(400, envelope(null, '40012', `apikey ${CREDENTIALS.apiKey} or passphrase incorrect`));
    const error = await client.getSpotHistoryOrders().catch((e: unknown) => e);
    expect(scope.isDone()).toBe(true);
    expect(error).toBeInstanceOf(BitgetApiError);
    expect((error as BitgetApiError).exchangeMessage).toBe('apikey [redacted] or passphrase incorrect');
    const signatures = signaturesSent();
    expect(signatures.length).toBeGreaterThan(0);
    expectNoSecret(error, signatures);
    expect(error).not.toHaveProperty('config');
    expect(error).not.toHaveProperty('request');
    expect(error).not.toHaveProperty('response');
  });

  it('never appear in a network error', async () => {
    const { client } = testClient({ retries: 1 });
    const scope = api()
      .get(SPOT)
      .replyWithError(connectionReset())
      .get(SPOT)
      .replyWithError(connectionReset());
    const error = await client.getSpotHistoryOrders().catch((e: unknown) => e);
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({
      name: 'BitgetRetryableError',
      category: 'network',
      transportCode: 'ECONNRESET',
      attempts: 2,
    });
    const signatures = signaturesSent();
    expect(signatures).toHaveLength(2);
    expectNoSecret(error, signatures);
  });
});
