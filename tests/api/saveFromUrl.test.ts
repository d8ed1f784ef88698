import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { FastifyInstance } from 'fastify';
import { DATABASE_KINDS } from '../db/support/databases';
import type { TestDatabase } from '../db/support/databases';
import { makeOrder, makeOrders, toJsonl } from '../db/support/orders';
import { startTestS3 } from '../db/support/s3';
import type { TestS3 } from '../db/support/s3';
import { buildHarness, enc } from './support/harness';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
  await s3.put('saved/orders.json', JSON.stringify({ orders: makeOrders(40) }));
  await s3.put('saved/orders.jsonl', toJsonl(makeOrders(25)));
  await s3.put('saved/bad.jsonl', toJsonl([makeOrder(1), { ...makeOrder(2), side: 'long' } as never]));
  await s3.put('saved/array.json', JSON.stringify(makeOrders(2)));
  await s3.put('saved/big.jsonl', toJsonl(makeOrders(2000)));
});
afterAll(async () => {
  await s3.close();
});

describe.each(DATABASE_KINDS)('save-from-url on %s', (kind, open) => {
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

  const arn = (name: string) =>
    `arn:aws:states:local:000000000000:execution:bitget-orders:saved-${kind}-${name}`;
  const save = (name: string, url: string) =>
    app.inject({ method: 'POST', url: `/orders/${enc(arn(name))}/save-from-url`, payload: { url } });

  it('imports an orders.json of the bucket given as s3://, and adds nothing when saved again', async () => {
    const first = await save('json', `s3://${s3.bucket}/saved/orders.json`);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      orders: 40,
      status: 'imported',
      importedOrders: 40,
      insertedNow: 40,
    });
    const again = await save('json', `s3://${s3.bucket}/saved/orders.json`);
    expect(again.json()).toMatchObject({
      orders: 40,
      status: 'imported',
      importedOrders: 40,
      insertedNow: 0,
    });
    const page = (await app.inject(`/orders/${enc(arn('json'))}/database?limit=5`)).json();
    expect(page).toMatchObject({ total: 40, has_more: true });
  });

  it('imports NDJSON through a presigned URL of the configured endpoint', async () => {
    const url = await getSignedUrl(
      s3.s3,
      new GetObjectCommand({ Bucket: s3.bucket, Key: 'saved/orders.jsonl' }),
    );
    const res = await save('presigned', url);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ source: `s3://${s3.bucket}/saved/orders.jsonl`, importedOrders: 25 });
  });

  it.each([
    ['another host', 'https://evil.example/orders.json'],
    ['the instance metadata address', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['localhost on another port', `http://127.0.0.1:1/${'bitget-orders-test'}/saved/orders.json`],
    ['localhost by name', 'http://localhost:PORT/bitget-orders-test/saved/orders.json'],
    ['the IPv6 loopback', 'http://[::1]:PORT/bitget-orders-test/saved/orders.json'],
    ['a redirecting URL', 'https://evil.example/redirect?to=s3://bitget-orders-test/saved/orders.json'],
    ['a file URL', 'file:///etc/passwd'],
    ['a gopher URL', 'gopher://127.0.0.1:PORT/_GET'],
    [
      'userinfo pointing elsewhere',
      'http://127.0.0.1:PORT@evil.example/bitget-orders-test/saved/orders.json',
    ],
    ['userinfo on the endpoint', 'http://user:pass@127.0.0.1:PORT/bitget-orders-test/saved/orders.json'],
    ['another bucket via s3://', 's3://other-bucket/saved/orders.json'],
    ['another bucket on the endpoint', 'http://127.0.0.1:PORT/other-bucket/saved/orders.json'],
    ['a path escaping the bucket', 'http://127.0.0.1:PORT/bitget-orders-test/../other-bucket/x.json'],
    ['an encoded dot-dot key', 'http://127.0.0.1:PORT/bitget-orders-test/a/%2e%2e%2fb/x.json'],
    ['https instead of the endpoint scheme', 'https://127.0.0.1:PORT/bitget-orders-test/saved/orders.json'],
    ['not a URL', 'orders.json'],
  ])('refuses %s', async (_d, template) => {
    const res = await save('ssrf', template.replace(/PORT/g, String(s3.port)));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'body/url', message: expect.stringMatching(/^body\/url /) });
  });

  it('answers 404 for an object that does not exist', async () => {
    const res = await save('missing', `s3://${s3.bucket}/saved/nothing.json`);
    expect(res.statusCode).toBe(404);
  });

  it('answers 422 naming the record and field when a line is not a canonical order', async () => {
    const res = await save('bad', `s3://${s3.bucket}/saved/bad.jsonl`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ field: 'line 2/side' });
    const array = await save('array', `s3://${s3.bucket}/saved/array.json`);
    expect(array.statusCode).toBe(422);
  });

  it('answers 413 for an object larger than the limit, checked before reading it', async () => {
    const small = buildHarness(t, s3).deps;
    const limited = (await import('../../src/api')).buildApi({ ...small, maxResultFileBytes: 10_000 });
    const res = await limited.inject({
      method: 'POST',
      url: `/orders/${enc(arn('big'))}/save-from-url`,
      payload: { url: `s3://${s3.bucket}/saved/big.jsonl` },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toMatch(/limit is 10000/);
    await limited.close();
  });
});
