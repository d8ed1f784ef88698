import { UrlNotAllowedError } from './errors';

/** What save-from-url may read: this deployment's bucket, through this deployment's S3 endpoint. */
export interface BucketUrlPolicy {
  bucket: string;
  region: string;
  /** The configured S3-compatible endpoint (e.g. the local s3rver); absent on AWS. */
  endpoint?: URL;
}

export interface ObjectLocation {
  bucket: string;
  key: string;
}

const MAX_URL_LENGTH = 2048;

/**
 * Accepts `s3://<bucket>/<key>` and http(s) URLs (e.g. presigned) that address an object of the configured
 * bucket, virtual-hosted or path-style; refuses everything else (other hosts, IP literals and local addresses
 * other than the configured endpoint, userinfo, other schemes). The object is then read through the S3
 * client, never fetched over generic HTTP, so a redirect cannot take the request anywhere else.
 */
export function resolveBucketUrl(raw: string, policy: BucketUrlPolicy): ObjectLocation {
  if (raw.length > MAX_URL_LENGTH)
    throw new UrlNotAllowedError(`must be at most ${MAX_URL_LENGTH} characters`);
  if (raw.startsWith('s3://')) return fromS3Uri(raw, policy);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlNotAllowedError('is not a URL (use s3://<bucket>/<key> or a presigned URL of the bucket)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UrlNotAllowedError(`scheme ${url.protocol} is not allowed (use s3:// or https://)`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new UrlNotAllowedError('must not contain credentials (userinfo)');
  }
  const { bucket } = policy;
  const path = url.pathname;
  if (policy.endpoint) {
    const endpoint = policy.endpoint;
    if (url.protocol !== endpoint.protocol)
      throw new UrlNotAllowedError(`host ${url.host} is not this deployment's bucket`);
    if (url.host === endpoint.host) return fromPathStyle(path, bucket);
    if (url.host === `${bucket}.${endpoint.host}`) return fromVirtualHosted(path, bucket);
    throw new UrlNotAllowedError(`host ${url.host} is not this deployment's bucket`);
  }
  if (url.protocol !== 'https:') throw new UrlNotAllowedError('must use https');
  if (url.port !== '') throw new UrlNotAllowedError(`host ${url.host} is not this deployment's bucket`);
  const region = policy.region;
  const virtualHosts = [`${bucket}.s3.amazonaws.com`, `${bucket}.s3.${region}.amazonaws.com`];
  const pathHosts = ['s3.amazonaws.com', `s3.${region}.amazonaws.com`];
  if (virtualHosts.includes(url.hostname)) return fromVirtualHosted(path, bucket);
  if (pathHosts.includes(url.hostname)) return fromPathStyle(path, bucket);
  throw new UrlNotAllowedError(`host ${url.host} is not this deployment's bucket`);
}

function fromS3Uri(raw: string, policy: BucketUrlPolicy): ObjectLocation {
  const rest = raw.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  if (bucket !== policy.bucket)
    throw new UrlNotAllowedError(`bucket ${bucket} is not this deployment's bucket`);
  return { bucket, key: checkedKey(slash === -1 ? '' : rest.slice(slash + 1)) };
}

function fromPathStyle(path: string, bucket: string): ObjectLocation {
  const prefix = `/${bucket}/`;
  if (!path.startsWith(prefix))
    throw new UrlNotAllowedError("path does not address this deployment's bucket");
  return { bucket, key: checkedKey(decode(path.slice(prefix.length))) };
}

function fromVirtualHosted(path: string, bucket: string): ObjectLocation {
  return { bucket, key: checkedKey(decode(path.slice(1))) };
}

function decode(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new UrlNotAllowedError('has a malformed percent-encoding');
  }
}

function checkedKey(key: string): string {
  if (key === '') throw new UrlNotAllowedError('must name an object key');
  if (key.length > 1024) throw new UrlNotAllowedError('object key must be at most 1024 characters');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(key))
    throw new UrlNotAllowedError('object key must not contain control characters');
  if (key.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new UrlNotAllowedError('object key must not contain . or .. segments');
  }
  return key;
}
