import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const BIN = join(ROOT, 'bin', 'bitget-orders.js');
const NODE = process.execPath; // the Node 22 running jest

/** Compiles the project once if dist/ is missing (the CLI runs from dist/). */
export function ensureBuilt(): void {
  if (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) return;
  const built = spawnSync(
    NODE,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
    },
  );
  if (built.status !== 0)
    throw new Error(`build failed: ${built.stdout.toString()}${built.stderr.toString()}`);
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Starts the CLI as a child process; `done` settles when it exits. */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcessWithoutNullStreams; done: Promise<CliRun>; stderrText: () => string } {
  const t0 = Date.now();
  const child = spawn(NODE, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((ok) =>
    child.on('close', (code, signal) => ok({ code, signal, stdout, stderr, ms: Date.now() - t0 })),
  );
  return { child, done, stderrText: () => stderr };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(args, env).done;
}

/** Resolves once `text()` matches `pattern` (polled), or rejects after `ms`. */
export async function waitFor(text: () => string, pattern: RegExp, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pattern.test(text())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; got:\n${text()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * An HTTP proxy in front of the simulator that answers `status` to the first `count` requests whose path
 * starts with `pathPrefix`, and forwards everything else.
 */
export async function startFailingProxy(
  target: string,
  rule: { pathPrefix: string; count: number; status: number },
): Promise<{ url: string; failed: () => number; close: () => Promise<void> }> {
  let failed = 0;
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '').startsWith(rule.pathPrefix) && failed < rule.count) {
      failed += 1;
      res.writeHead(rule.status, { 'content-type': 'text/plain' }).end('unavailable');
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (up: IncomingMessage) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    failed: () => failed,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
