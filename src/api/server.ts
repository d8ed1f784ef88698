import type { FastifyInstance } from 'fastify';
import { buildApi } from './app';
import type { ApiDeps } from './deps';

export interface StartApiServerOptions extends ApiDeps {
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

/** Binding beyond loopback without an API key would publish the API (and the Bitget account) to the network. */
export class InsecureBindError extends Error {
  override readonly name = 'InsecureBindError';
  constructor(host: string) {
    super(`refusing to listen on ${host} without an API key: set an API key or bind to 127.0.0.1`);
  }
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

export async function startApiServer(options: StartApiServerOptions): Promise<RunningApiServer> {
  const { host = DEFAULT_API_HOST, port = DEFAULT_API_PORT, ...deps } = options;
  if (!isLoopbackHost(host) && !deps.apiKey) throw new InsecureBindError(host);
  const app = buildApi(deps);
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return { app, url: `http://${urlHost}:${boundPort}`, close: () => app.close() };
}
