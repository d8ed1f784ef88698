import type { FastifyInstance } from 'fastify';
import { buildApi } from './app';
import type { ApiDeps } from './deps';
import { InsecureBindError, WeakApiKeyError } from './errors';
import { MIN_API_KEY_LENGTH } from './limits';
import { loopbackHosts } from './requestGuards';

export interface StartApiServerOptions extends Omit<ApiDeps, 'allowedHosts'> {
  /** Default 127.0.0.1. Any other host than loopback requires `apiKey`. */
  host?: string;
  /** Default 3000; 0 picks a free port. */
  port?: number;
}

export interface RunningApiServer {
  app: FastifyInstance;
  /** http://host:port actually bound. */
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_API_HOST = '127.0.0.1';
export const DEFAULT_API_PORT = 3000;

/** Throws WeakApiKeyError for a key shorter than MIN_API_KEY_LENGTH (`where` says what is refused). */
export function assertStrongApiKey(apiKey: string, where: string): void {
  if (apiKey.length < MIN_API_KEY_LENGTH) throw new WeakApiKeyError(where, apiKey.length);
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

export async function startApiServer(options: StartApiServerOptions): Promise<RunningApiServer> {
  const { host = DEFAULT_API_HOST, port = DEFAULT_API_PORT, ...deps } = options;
  const loopback = isLoopbackHost(host);
  if (!loopback && !deps.apiKey) throw new InsecureBindError(host);
  if (!loopback && deps.apiKey) assertStrongApiKey(deps.apiKey, `listen on ${host}`);
  let hosts: ReadonlySet<string> | undefined;
  const app = buildApi({
    ...deps,
    // On loopback only loopback names are answered: a page that rebinds its own name to 127.0.0.1 is refused.
    ...(loopback ? { allowedHosts: () => (hosts ??= loopbackHosts(host, boundPortOf(app, port))) } : {}),
  });
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const boundPort = boundPortOf(app, port);
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return { app, url: `http://${urlHost}:${boundPort}`, close: () => app.close() };
}

function boundPortOf(app: FastifyInstance, fallback: number): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : fallback;
}
