import { inspect } from 'node:util';
import {
  CREDENTIALS,
  envelope,
  loadFixture,
  serveTime,
  testClient,
} from '../../tests/fixtures/bitget/helpers';
import { ReplayServer } from '../../tests/fixtures/bitget/replay-server';
import { BitgetApiError, BitgetFatalError, BitgetRetryableError } from './errors';

const server = new ReplayServer();
beforeAll(() => server.start());
afterAll(() => server.close());
beforeEach(() => serveTime(server, Date.now()));
afterEach(() => {
  expect(server.unmatched.map((r) => r.url)).toEqual([]);
  server.reset();
});

const SPOT = '/api/v2/spot/trade/history-orders';
const ok = { status: 200, body: envelope([]) };
const spotCalls = () => server.received.filter((r) => r.url.startsWith(SPOT)).length;

describe('retries', () => {
  it('retry a 429, a 5xx and a connection reset with growing delays, then succeed', async () => {
    const { client, sleeps } = testClient(server, { baseDelayMs: 100, maxDelayMs: 10_000 });
    server.define(loadFixture('rate-limited.json'));
    server.on(SPOT, { status: 502, body: '<html>Bad Gateway</html>' }, { anyQuery: true });
    server.on(SPOT, { reset: true }, { anyQuery: true });
    server.on(SPOT, ok, { anyQuery: true });
    await expect(client.getSpotHistoryOrders({ limit: 100 })).resolves.toEqual({ rows: [], next: null });
    expect(spotCalls()).toBe(4);
    expect(sleeps).toHaveLength(3);
    expect(sleeps[1]!).toBeGreaterThan(sleeps[0]!);
    expect(sleeps[2]!).toBeGreaterThan(sleeps[1]!);
    expect(client.stats()).toMatchObject({ retries: 3, http429: 1, errors: {} });
  });

  it.each(['45001', '40725', '40808', '40015', '40200', '429'])(
    'retry exchange code %s arriving as HTTP 200',
    async (code) => {
      const { client, sleeps } = testClient(server);
      server.on(SPOT, { status: 200, body: envelope(null, code, 'try again') }, { anyQuery: true });
      server.on(SPOT, ok, { anyQuery: true });
      await expect(client.getSpotHistoryOrders()).resolves.toEqual({ rows: [], next: null });
      expect(spotCalls()).toBe(2);
      expect(sleeps).toHaveLength(1);
    },
  );

  it('retry a malformed JSON body as a server error', async () => {
    const { client } = testClient(server);
    server.on(SPOT, { status: 200, body: '{"code":"00000","msg":"succ' }, { anyQuery: true });
    server.on(SPOT, ok, { anyQuery: true });
    await expect(client.getSpotHistoryOrders()).resolves.toEqual({ rows: [], next: null });
    expect(client.stats().retries).toBe(1);
  });

  it('retry a timeout', async () => {
    const { client } = testClient(server, { timeoutMs: 50, retries: 1 });
    server.on(SPOT, { status: 200, body: envelope([]), delayMs: 500 }, { anyQuery: true });
    server.on(SPOT, { status: 200, body: envelope([]), delayMs: 500 }, { anyQuery: true });
    await expect(client.getSpotHistoryOrders()).rejects.toMatchObject({
      name: 'BitgetRetryableError',
      category: 'timeout',
      attempts: 2,
    });
  });

  it('give up after the configured retries with a retryable error carrying the category', async () => {
    const { client, sleeps } = testClient(server, { retries: 2 });
    for (let i = 0; i < 3; i++) server.on(SPOT, { status: 503, body: 'unavailable' }, { anyQuery: true });
    const error = await client.getSpotHistoryOrders().catch((e: unknown) => e);
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
    const { client, sleeps } = testClient(server);
    server.on(SPOT, { status: 400, body: envelope(null, code, msg) }, { anyQuery: true });
    const error = await client.getSpotHistoryOrders({ symbol: 'NOPEUSDT' }).catch((e: unknown) => e);
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
  });

  it('treat an auth code arriving as HTTP 200 as fatal too', async () => {
    const { client } = testClient(server);
    server.on(
      SPOT,
      { status: 200, body: envelope(null, '40009', 'sign signature error') },
      { anyQuery: true },
    );
    await expect(client.getSpotHistoryOrders()).rejects.toMatchObject({ category: 'auth', httpStatus: 200 });
    expect(spotCalls()).toBe(1);
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

  it('never appear in a fatal error, even when the exchange echoes one', async () => {
    const { client } = testClient(server);
    server.on(
      SPOT,
      { status: 400, body: envelope(null, '40012', `apikey ${CREDENTIALS.apiKey} or passphrase incorrect`) },
      { anyQuery: true },
    );
    const error = await client.getSpotHistoryOrders().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BitgetApiError);
    expect((error as BitgetApiError).exchangeMessage).toBe('apikey [redacted] or passphrase incorrect');
    const signatures = server.received
      .map((r) => String(r.headers['access-sign']))
      .filter((s) => s !== 'undefined');
    expect(signatures.length).toBeGreaterThan(0);
    expectNoSecret(error, signatures);
    expect(error).not.toHaveProperty('config');
    expect(error).not.toHaveProperty('request');
    expect(error).not.toHaveProperty('response');
  });

  it('never appear in a network error', async () => {
    const { client } = testClient(server, { retries: 1 });
    server.on(SPOT, { reset: true }, { anyQuery: true });
    server.on(SPOT, { reset: true }, { anyQuery: true });
    const error = await client.getSpotHistoryOrders().catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'BitgetRetryableError',
      category: 'network',
      transportCode: 'ECONNRESET',
    });
    const signatures = server.received
      .map((r) => String(r.headers['access-sign']))
      .filter((s) => s !== 'undefined');
    expectNoSecret(error, signatures);
  });
});
