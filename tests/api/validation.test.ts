import type { FastifyInstance, InjectOptions } from 'fastify';
import { DATABASE_KINDS } from '../db/support/databases';
import type { TestDatabase } from '../db/support/databases';
import { startTestS3 } from '../db/support/s3';
import type { TestS3 } from '../db/support/s3';
import { buildHarness, enc } from './support/harness';

const ARN = 'arn:aws:states:local:000000000000:execution:bitget-orders:run-1';
const START = Date.UTC(2023, 11, 1);
const END = Date.UTC(2023, 11, 31);
const orders = (extra: Record<string, unknown>) => ({
  symbols: ['BTCUSDT'],
  start_ms: START,
  end_ms: END,
  ...extra,
});

type BadInput = [
  description: string,
  request: { method: 'GET' | 'POST'; url: string; payload?: unknown; headers?: Record<string, string> },
  status: number,
  field: string,
  message: RegExp,
];

const BAD_INPUTS: BadInput[] = [
  [
    'a symbol with a slash',
    { method: 'POST', url: '/orders', payload: orders({ symbols: ['BTC/USDT'] }) },
    400,
    'body/symbols/0',
    /must match pattern/,
  ],
  [
    'an empty symbol list',
    { method: 'POST', url: '/orders', payload: orders({ symbols: [] }) },
    400,
    'body/symbols',
    /fewer than 1/,
  ],
  [
    'too many symbols',
    { method: 'POST', url: '/orders', payload: orders({ symbols: Array(2001).fill('BTCUSDT') }) },
    400,
    'body/symbols',
    /more than 2000/,
  ],
  [
    'symbols that are not an array of strings',
    { method: 'POST', url: '/orders', payload: orders({ symbols: [{ a: 1 }] }) },
    400,
    'body/symbols/0',
    /must be string/,
  ],
  [
    'a missing end_ms',
    { method: 'POST', url: '/orders', payload: { symbols: ['BTCUSDT'], start_ms: START } },
    400,
    'body/end_ms',
    /is required/,
  ],
  [
    'start after end',
    { method: 'POST', url: '/orders', payload: orders({ start_ms: END, end_ms: START }) },
    400,
    'body/start_ms',
    /before end_ms/,
  ],
  [
    'start equal to end',
    { method: 'POST', url: '/orders', payload: orders({ end_ms: START }) },
    400,
    'body/start_ms',
    /before end_ms/,
  ],
  [
    'seconds instead of milliseconds',
    { method: 'POST', url: '/orders', payload: orders({ start_ms: 1_700_000_000 }) },
    400,
    'body/start_ms',
    /must be >= 1262304000000/,
  ],
  [
    'a fractional time',
    { method: 'POST', url: '/orders', payload: orders({ start_ms: START + 0.5 }) },
    400,
    'body/start_ms',
    /must be integer/,
  ],
  [
    'an end far in the future',
    { method: 'POST', url: '/orders', payload: orders({ end_ms: Date.UTC(2030, 0, 1) }) },
    400,
    'body/end_ms',
    /future/,
  ],
  [
    'an end after 2100',
    { method: 'POST', url: '/orders', payload: orders({ end_ms: 5_000_000_000_000 }) },
    400,
    'body/end_ms',
    /must be <=/,
  ],
  [
    'an unknown market',
    { method: 'POST', url: '/orders', payload: orders({ markets: ['options'] }) },
    400,
    'body/markets/0',
    /allowed values/,
  ],
  [
    'an unknown kind',
    { method: 'POST', url: '/orders', payload: orders({ kinds: ['twap'] }) },
    400,
    'body/kinds/0',
    /allowed values/,
  ],
  [
    'an unknown order',
    { method: 'POST', url: '/orders', payload: orders({ order: 'random' }) },
    400,
    'body/order',
    /allowed values/,
  ],
  [
    'an unknown field',
    { method: 'POST', url: '/orders', payload: orders({ admin: true }) },
    400,
    'body/admin',
    /not an accepted field/,
  ],
  ['a JSON array body', { method: 'POST', url: '/orders', payload: [1, 2] }, 400, 'body', /must be object/],
  [
    'malformed JSON',
    {
      method: 'POST',
      url: '/orders',
      payload: '{"symbols":',
      headers: { 'content-type': 'application/json' },
    },
    400,
    'body',
    /JSON/,
  ],
  [
    'a text body',
    { method: 'POST', url: '/orders', payload: 'symbols=BTCUSDT', headers: { 'content-type': 'text/plain' } },
    415,
    'headers/content-type',
    /must be application\/json, not "text\/plain"/,
  ],
  [
    'an empty text/plain POST (what a cross-site form sends)',
    { method: 'POST', url: '/extract-orders', payload: '', headers: { 'content-type': 'text/plain' } },
    415,
    'headers/content-type',
    /must be application\/json/,
  ],
  [
    'a form body',
    {
      method: 'POST',
      url: '/extract-orders',
      payload: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    415,
    'headers/content-type',
    /must be application\/json/,
  ],
  [
    'an XML body',
    { method: 'POST', url: '/orders', payload: '<symbols/>', headers: { 'content-type': 'application/xml' } },
    415,
    'headers/content-type',
    /must be application\/json/,
  ],
  [
    'a body-less POST from another origin',
    { method: 'POST', url: '/extract-orders', headers: { origin: 'https://evil.example' } },
    415,
    'headers/origin',
    /refused from another origin/,
  ],
  [
    'a body-less POST from a sandboxed page (Origin: null)',
    { method: 'POST', url: '/extract-single-symbol/BTCUSDT', headers: { origin: 'null' } },
    415,
    'headers/origin',
    /refused from another origin/,
  ],
  [
    'markets as a string instead of a list (no coercion)',
    { method: 'POST', url: '/extract-orders', payload: { markets: 'spot' } },
    400,
    'body/markets',
    /must be array/,
  ],
  [
    'since as a string of digits (no coercion)',
    { method: 'POST', url: '/extract-orders', payload: { since: '1790000000000' } },
    400,
    'body/since',
    /must be integer/,
  ],
  [
    'order as a one-element list (no coercion)',
    { method: 'POST', url: '/extract-orders', payload: { order: ['desc'] } },
    400,
    'body/order',
    /must be string/,
  ],
  [
    'start_ms as a string (no coercion)',
    { method: 'POST', url: '/orders', payload: orders({ start_ms: String(START) }) },
    400,
    'body/start_ms',
    /must be integer/,
  ],
  [
    'symbols as a string (no coercion)',
    { method: 'POST', url: '/orders', payload: orders({ symbols: 'BTCUSDT' }) },
    400,
    'body/symbols',
    /must be array/,
  ],
  [
    'kinds as a string on a single-symbol run (no coercion)',
    { method: 'POST', url: '/extract-single-symbol/BTCUSDT', payload: { kinds: 'plan' } },
    400,
    'body/kinds',
    /must be array/,
  ],
  [
    'an execution of another region',
    { method: 'GET', url: `/orders/${enc(ARN.replace(':local:', ':eu-west-1:'))}` },
    404,
    'params/executionArn',
    /is not an execution of this deployment/,
  ],
  [
    'an execution of another state machine',
    { method: 'GET', url: `/orders/${enc(ARN.replace(':bitget-orders:', ':someone-else:'))}/database` },
    404,
    'params/executionArn',
    /is not an execution of this deployment/,
  ],
  [
    'an execution of another account',
    { method: 'GET', url: `/orders/${enc(ARN.replace('000000000000', '123456789012'))}/logs` },
    404,
    'params/executionArn',
    /is not an execution of this deployment/,
  ],
  [
    'an execution of another partition',
    {
      method: 'POST',
      url: `/orders/${enc(ARN.replace('arn:aws:', 'arn:aws-cn:'))}/save-from-url`,
      payload: { url: 's3://bucket/key.json' },
    },
    404,
    'params/executionArn',
    /is not an execution of this deployment/,
  ],
  [
    'save-from-url with both a body url and public_url',
    {
      method: 'POST',
      url: `/orders/${enc(ARN)}/save-from-url?public_url=${enc('s3://b/k.json')}`,
      payload: { url: 's3://b/k.json' },
    },
    400,
    'body/url',
    /not both/,
  ],
  [
    'a body over the size limit',
    { method: 'POST', url: '/orders', payload: orders({ symbols: Array(40_000).fill('BTCUSDT') }) },
    413,
    'body',
    /too large/i,
  ],
  [
    'since after until (ultra)',
    { method: 'POST', url: '/extract-orders', payload: { since: END, until: START } },
    400,
    'body/since',
    /since must be before until/,
  ],
  [
    'an unknown field (ultra)',
    { method: 'POST', url: '/extract-orders', payload: { symbol: 'BTCUSDT' } },
    400,
    'body/symbol',
    /not an accepted field/,
  ],
  [
    'a symbol with a space in the path',
    { method: 'POST', url: '/extract-single-symbol/BTC%20USDT' },
    400,
    'params/symbol',
    /must match pattern/,
  ],
  [
    'symbols in the body of a single-symbol run',
    { method: 'POST', url: '/extract-single-symbol/BTCUSDT', payload: { symbols: ['ETHUSDT'] } },
    400,
    'body/symbols',
    /not an accepted field/,
  ],
  [
    'an ARN of another service',
    { method: 'GET', url: `/orders/${enc('arn:aws:s3:::bucket')}` },
    400,
    'params/executionArn',
    /must match pattern/,
  ],
  [
    'an ARN with an injected path',
    { method: 'GET', url: `/orders/${enc(`${ARN}/../../etc`)}` },
    400,
    'params/executionArn',
    /must match pattern/,
  ],
  [
    'an ARN with a bad account',
    { method: 'GET', url: `/orders/${enc('arn:aws:states:local:0:execution:m:n')}` },
    400,
    'params/executionArn',
    /must match pattern/,
  ],
  [
    'an ARN with SQL in it',
    { method: 'GET', url: `/orders/${enc(`${ARN}' OR 1=1 --`)}/database` },
    400,
    'params/executionArn',
    /must match pattern/,
  ],
  [
    'a page larger than 100',
    { method: 'GET', url: `/orders/${enc(ARN)}/database?limit=101` },
    400,
    'querystring/limit',
    /must be <= 100/,
  ],
  [
    'a zero limit',
    { method: 'GET', url: `/orders/${enc(ARN)}/database?limit=0` },
    400,
    'querystring/limit',
    /must be >= 1/,
  ],
  [
    'a negative skip',
    { method: 'GET', url: `/orders/${enc(ARN)}/database?skip=-1` },
    400,
    'querystring/skip',
    /must be >= 0/,
  ],
  [
    'a non-numeric limit',
    { method: 'GET', url: `/orders/${enc(ARN)}/database?limit=ten` },
    400,
    'querystring/limit',
    /must be integer/,
  ],
  [
    'an unknown query parameter',
    { method: 'GET', url: `/orders/${enc(ARN)}/database?sort=desc` },
    400,
    'querystring/sort',
    /not an accepted field/,
  ],
  [
    'a list limit above 100',
    { method: 'GET', url: '/orders/list?limit=1000' },
    400,
    'querystring/limit',
    /must be <= 100/,
  ],
  [
    'save-from-url without url',
    { method: 'POST', url: `/orders/${enc(ARN)}/save-from-url`, payload: {} },
    400,
    'body/url',
    /is required/,
  ],
  [
    'save-from-url without a body and without public_url',
    { method: 'POST', url: `/orders/${enc(ARN)}/save-from-url` },
    400,
    'body/url',
    /is required/,
  ],
  [
    'a non-numeric page skip',
    { method: 'GET', url: `/orders/${enc(ARN)}/database?skip=first` },
    400,
    'querystring/skip',
    /must be integer/,
  ],
  [
    'a fractional page limit',
    { method: 'GET', url: `/orders/${enc(ARN)}/database?limit=2.5` },
    400,
    'querystring/limit',
    /must be integer/,
  ],
  [
    'save-from-url with a number',
    { method: 'POST', url: `/orders/${enc(ARN)}/save-from-url`, payload: { url: { href: 's3://x/y' } } },
    400,
    'body/url',
    /must be string/,
  ],
];

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3.close();
});

describe.each(DATABASE_KINDS)('bad input on %s', (_kind, open) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await open();
    app = buildHarness(t, s3).app;
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it.each(BAD_INPUTS)(
    'answers %s with its 4xx, naming the field',
    async (_d, request, status, field, message) => {
      const res = await app.inject(request as InjectOptions);
      expect(res.statusCode).toBe(status);
      const body = res.json();
      expect(body).toMatchObject({ statusCode: status, error: expect.any(String), field });
      expect(body.message).toMatch(message);
    },
  );

  it('answers an unknown route with a 404 body, not an HTML page', async () => {
    const res = await app.inject('/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'Not Found' });
  });
});
