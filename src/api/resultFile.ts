import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CanonicalOrder } from '../core/order';
import { InvalidOrderRecordError, parseCanonicalOrder, parseOrderLine } from '../db';
import type { ObjectLocation } from './bucketUrl';
import { NotFoundError, PayloadTooLargeError, UnprocessableContentError, UpstreamError } from './errors';

/**
 * Reads a result file through the S3 client (size checked with HeadObject first, and again while reading)
 * and validates it: `orders.json` (`{"orders":[…]}`) or NDJSON of canonical orders, no duplicates.
 */
export async function readResultFile(
  s3: S3Client,
  location: ObjectLocation,
  maxBytes: number,
): Promise<CanonicalOrder[]> {
  const where = `s3://${location.bucket}/${location.key}`;
  const head = await s3Call(where, () =>
    s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key })),
  );
  const size = head.ContentLength ?? 0;
  if (size > maxBytes)
    throw new PayloadTooLargeError(`${where} is ${size} bytes; the limit is ${maxBytes}`, 'body/url');
  const object = await s3Call(where, () =>
    s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key })),
  );
  const body = object.Body as AsyncIterable<Uint8Array> | undefined;
  if (!body) throw new UpstreamError(`${where} returned no body`);
  const chunks: Buffer[] = [];
  let read = 0;
  for await (const chunk of body) {
    read += chunk.length;
    if (read > maxBytes)
      throw new PayloadTooLargeError(`${where} is larger than ${maxBytes} bytes`, 'body/url');
    chunks.push(Buffer.from(chunk));
  }
  return parseResultFile(Buffer.concat(chunks).toString('utf8'), where);
}

/** Parse, don't cast: the text of a result file to validated canonical orders, or a 422 naming the field. */
export function parseResultFile(text: string, where: string): CanonicalOrder[] {
  if (text.trim() === '') throw new UnprocessableContentError(`${where} is empty`, 'body/url');
  let orders: CanonicalOrder[];
  try {
    orders = parseAsOrdersJson(text) ?? parseAsNdjson(text);
  } catch (error) {
    if (error instanceof InvalidOrderRecordError) {
      const field = error.field ? `${error.location}/${error.field}` : error.location;
      throw new UnprocessableContentError(`${where} is not a result file: ${error.message}`, field);
    }
    throw error;
  }
  const seen = new Set<string>();
  for (const [i, o] of orders.entries()) {
    const id = `${o.market}:${o.orderId}`;
    if (seen.has(id))
      throw new UnprocessableContentError(`${where} has order ${id} twice (record ${i + 1})`, `orders/${i}`);
    seen.add(id);
  }
  return orders;
}

/** `{"orders":[…]}`, or undefined when the text is not one JSON document with an `orders` key. */
function parseAsOrdersJson(text: string): CanonicalOrder[] | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InvalidOrderRecordError('(file)', '', 'must be {"orders":[…]} or one canonical order per line');
  }
  if (!('orders' in document)) return undefined; // a one-line NDJSON file
  const list = (document as { orders: unknown }).orders;
  if (!Array.isArray(list)) throw new InvalidOrderRecordError('orders', '', 'must be an array');
  return list.map((o: unknown, i) => parseCanonicalOrder(o, `orders/${i}`));
}

function parseAsNdjson(text: string): CanonicalOrder[] {
  const orders: CanonicalOrder[] = [];
  text.split('\n').forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed !== '') orders.push(parseOrderLine(trimmed, `line ${i + 1}`));
  });
  return orders;
}

async function s3Call<T>(where: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NotFound' || name === 'NoSuchKey') throw new NotFoundError(`${where} does not exist`);
    if (name === 'AccessDenied' || name === 'Forbidden')
      throw new UpstreamError(`${where} is not readable`, 403);
    throw new UpstreamError(`${where} could not be read`);
  }
}
