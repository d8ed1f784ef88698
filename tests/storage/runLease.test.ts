import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { RunLeaseHeldError } from '../../src/storage/errors';
import { startTestStore } from '../helpers/localStore';

describe('conditional writes on the local S3 server', () => {
  let t: Awaited<ReturnType<typeof startTestStore>>;
  beforeAll(async () => {
    t = await startTestStore();
  });
  afterAll(() => t.close());

  const put = (Key: string, Body: string, cond: { IfNoneMatch?: string; IfMatch?: string }) =>
    t.store.s3.send(new PutObjectCommand({ Bucket: t.store.bucket, Key, Body, ...cond }));
  const body = async (Key: string) =>
    (await t.store.s3.send(new GetObjectCommand({ Bucket: t.store.bucket, Key }))).Body!.transformToString();

  it('refuses a PUT with If-None-Match: * over an object that exists with 412, and keeps the object', async () => {
    await put('c/a', 'first', { IfNoneMatch: '*' });
    await expect(put('c/a', 'second', { IfNoneMatch: '*' })).rejects.toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
    expect(await body('c/a')).toBe('first');
  });

  it('lets exactly one of ten racing If-None-Match creators win', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => put('c/race', `writer-${i}`, { IfNoneMatch: '*' })),
    );
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    expect(await body('c/race')).toBe(`writer-${won[0]}`);
  });

  it('writes with If-Match only while the ETag is the current one', async () => {
    const first = await put('c/m', 'one', {});
    await put('c/m', 'two', { IfMatch: first.ETag! });
    await expect(put('c/m', 'three', { IfMatch: first.ETag! })).rejects.toMatchObject({
      name: 'PreconditionFailed',
    });
    await expect(put('c/missing', 'x', { IfMatch: first.ETag! })).rejects.toMatchObject({
      name: 'PreconditionFailed',
    });
    expect(await body('c/m')).toBe('two');
  });
});

describe('RunStore: the run lease', () => {
  let t: Awaited<ReturnType<typeof startTestStore>>;
  beforeAll(async () => {
    t = await startTestStore();
  });
  afterAll(() => t.close());

  it('refuses a second holder while the first holds the run, naming the process', async () => {
    await t.store.acquireLease('r1', { holder: 'exec-a', pid: 4242, host: 'box', ttlMs: 60_000, now: 1_000 });
    const second = t.store.acquireLease('r1', { holder: 'exec-b', ttlMs: 60_000, now: 2_000 });
    await expect(second).rejects.toBeInstanceOf(RunLeaseHeldError);
    await expect(second).rejects.toThrow(
      'run r1 is already being extracted by process 4242 on box (execution exec-a, renewed 1 s ago, expires in 59 s)',
    );
  });

  it('lets exactly one of several executions racing for a new run take it', async () => {
    const results = await Promise.allSettled(
      ['e1', 'e2', 'e3', 'e4'].map((holder) => t.store.acquireLease('r2', { holder, ttlMs: 60_000 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason),
    ).toEqual(Array(3).fill(expect.any(RunLeaseHeldError)));
  });

  it('renews its own lease, hands an expired one over, and ignores a release by someone else', async () => {
    await t.store.acquireLease('r3', { holder: 'a', ttlMs: 1_000, now: 10_000 });
    const renewed = await t.store.acquireLease('r3', { holder: 'a', ttlMs: 1_000, now: 10_500 });
    expect(renewed).toMatchObject({ acquiredAt: 10_000, expiresAt: 11_500 });
    const taken = await t.store.acquireLease('r3', { holder: 'b', ttlMs: 1_000, now: 12_000 });
    expect(taken.holder).toBe('b');
    await t.store.releaseLease('r3', 'a');
    await expect(t.store.acquireLease('r3', { holder: 'c', ttlMs: 1_000, now: 12_100 })).rejects.toThrow(
      /execution b/,
    );
    await t.store.releaseLease('r3', 'b');
    await expect(
      t.store.acquireLease('r3', { holder: 'c', ttlMs: 1_000, now: 12_200 }),
    ).resolves.toMatchObject({
      holder: 'c',
    });
  });

  it('lets the invocations of one holder renew at once without refusing each other', async () => {
    await t.store.acquireLease('r5', { holder: 'lanes', ttlMs: 60_000 });
    const renewals = await Promise.allSettled(
      Array.from({ length: 12 }, () => t.store.acquireLease('r5', { holder: 'lanes', ttlMs: 60_000 })),
    );
    expect(renewals.filter((r) => r.status === 'rejected')).toEqual([]);
  });

  it('takes an unexpired lease over when told its holder is gone', async () => {
    await t.store.acquireLease('r4', { holder: 'dead', pid: 999_999, ttlMs: 60_000 });
    const lease = await t.store.acquireLease('r4', {
      holder: 'alive',
      ttlMs: 60_000,
      canTakeOver: (existing) => existing.pid === 999_999,
    });
    expect(lease.holder).toBe('alive');
  });
});
