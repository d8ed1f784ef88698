/**
 * S3's conditional writes for the local server: s3rver ignores `If-None-Match` and `If-Match` on PUT (it
 * honours them only on GET), so a PUT with `If-None-Match: *` would replace an object that exists. These
 * answer 412 PreconditionFailed as S3 does. Conditional PUTs of one key are serialised (the check and the
 * write happen under one lock), so two racing creators cannot both succeed.
 */
import type S3rver from 's3rver';
import S3Error from 's3rver/lib/models/error';

interface StoreLike {
  getMetadata(bucket: string, key: string): Promise<{ etag: string }>;
}
interface ContextLike {
  method: string;
  path: string;
  querystring: string;
  headers: Record<string, string | string[] | undefined>;
}
type Next = () => Promise<unknown>;

export function honourConditionalPuts(server: S3rver): void {
  const app = server as unknown as {
    store: StoreLike;
    middleware: ((ctx: ContextLike, next: Next) => Promise<unknown>)[];
  };
  const locks = new Map<string, Promise<unknown>>();
  // Koa composes its middleware when the server starts listening: this runs before s3rver's router.
  app.middleware.unshift(async (ctx, next) => {
    const noneMatch = header(ctx, 'if-none-match');
    const match = header(ctx, 'if-match');
    if (ctx.method !== 'PUT' || (noneMatch === undefined && match === undefined)) return next();
    if (/(^|&)(uploadId|partNumber)=/.test(ctx.querystring) || header(ctx, 'x-amz-copy-source'))
      return next();
    const [, bucket, ...rest] = ctx.path.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const id = `${bucket}/${key}`;
    const before = locks.get(id) ?? Promise.resolve();
    const mine = before.then(async () => {
      const etag = await app.store.getMetadata(bucket ?? '', key).then(
        (m) => m.etag,
        () => null,
      );
      if (noneMatch !== undefined && (noneMatch === '*' ? etag !== null : noneMatch === etag))
        throw preconditionFailed('If-None-Match');
      if (match !== undefined && (etag === null || (match !== '*' && match !== etag)))
        throw preconditionFailed('If-Match');
      await next();
    });
    const settled = mine.catch(() => undefined);
    locks.set(id, settled);
    try {
      await mine;
    } finally {
      if (locks.get(id) === settled) locks.delete(id);
    }
  });
}

function header(ctx: ContextLike, name: string): string | undefined {
  const v = ctx.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function preconditionFailed(condition: string): Error {
  return new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });
}
