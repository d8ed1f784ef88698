import type { FastifyRequest } from 'fastify';
import { MisdirectedRequestError, UnsupportedMediaTypeError } from './errors';

/**
 * The Host values a server bound to loopback answers: `localhost`, `127.0.0.1`, `[::1]` and the bound address,
 * each with the port (and without it only on port 80, where browsers omit it).
 */
export function loopbackHosts(boundHost: string, port: number): ReadonlySet<string> {
  const bound = boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost;
  const names = new Set(['localhost', '127.0.0.1', '[::1]', bound.toLowerCase()]);
  const hosts = new Set<string>();
  for (const name of names) {
    hosts.add(`${name}:${port}`);
    if (port === 80) hosts.add(name);
  }
  return hosts;
}

/**
 * Refuses a request whose Host is not one of `allowed()` with 421. A web page that rebinds its own name to
 * 127.0.0.1 sends that name as Host, so it never reaches a route.
 */
export function hostGuard(allowed: () => ReadonlySet<string>) {
  return async (request: FastifyRequest): Promise<void> => {
    const host = request.headers.host?.toLowerCase();
    if (host === undefined || !allowed().has(host)) {
      throw new MisdirectedRequestError(
        `Host ${host === undefined ? '(none)' : JSON.stringify(host)} is not this server: on loopback only localhost, 127.0.0.1 and [::1] with the port are answered`,
      );
    }
  };
}

/**
 * Cross-site requests a browser sends without asking first ("simple" requests: text/plain, form bodies, or
 * no body) cannot start anything:
 *
 * - a POST that carries a body (Content-Length above 0, chunked, or any Content-Type) must be
 *   `application/json`, which a browser only sends cross-site after a CORS preflight this API never grants;
 * - a POST without a body is accepted from clients that send no Origin (curl, scripts) and from the server's
 *   own origin (the /docs page), and refused with 415 when its Origin is any other, `null` included.
 */
export async function postGuard(request: FastifyRequest): Promise<void> {
  if (request.method !== 'POST') return;
  const { headers } = request;
  const contentType = headers['content-type'];
  const length = headers['content-length'];
  const hasBody =
    headers['transfer-encoding'] !== undefined || (length !== undefined && length.trim() !== '0');
  if (hasBody || contentType !== undefined) {
    if (!isJsonMediaType(contentType)) {
      throw new UnsupportedMediaTypeError(
        `a POST body must be application/json, not ${contentType === undefined ? 'a body without Content-Type' : JSON.stringify(contentType)}`,
      );
    }
    return;
  }
  const origin = headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, headers.host)) {
    throw new UnsupportedMediaTypeError(
      `a POST without a body is refused from another origin (${JSON.stringify(origin)}): send Content-Type: application/json with a JSON body`,
      'headers/origin',
    );
  }
}

function isJsonMediaType(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
}
