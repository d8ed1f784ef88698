import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LocalS3StartError } from './errors';
import { LOCAL_CREDENTIALS } from './localS3';
import type { LocalS3, LocalS3Options } from './localS3';

/** The compiled entry of the child (absent under ts-jest, which runs the sources uncompiled). */
const CHILD_ENTRY = join(__dirname, 'localS3Child.js');

/**
 * The only variables the S3 server's process inherits: what Node and the OS need to start a process and name its
 * temporary files. Nothing else reaches it — not the Bitget keys, not AWS credentials, not a database URL: it
 * serves files on loopback and signs nothing.
 */
export const CHILD_ENVIRONMENT = [
  'PATH',
  'HOME',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LC_ALL',
  'TZ',
  'SYSTEMROOT',
  'SystemRoot',
] as const;

/** `env` narrowed to CHILD_ENVIRONMENT. */
export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(CHILD_ENVIRONMENT.flatMap((k) => (env[k] !== undefined ? [[k, env[k]]] : [])));
}

/** True when the S3 server can run in a process of its own (the project is built). */
export function localS3ProcessAvailable(): boolean {
  return existsSync(CHILD_ENTRY);
}

/**
 * The local S3 server (s3rver, as startLocalS3 runs it) in a process of its own. In the run's process, s3rver's
 * MD5 hashing took a large share of the collector's CPU (figures: docs/BENCHMARKS.md, "Profiles behind the local
 * S3 server's design"), and its request handling and file writes shared the event loop with the lanes' request
 * timers; in a child it uses another core. The child exits when its parent does, however the parent ends (its
 * IPC channel closes), and never keeps the parent alive.
 */
export async function startLocalS3Process(options: LocalS3Options): Promise<LocalS3 & { pid: number }> {
  if (!localS3ProcessAvailable())
    throw new LocalS3StartError(`${CHILD_ENTRY} does not exist: build the project first (npm run build)`);
  const child = fork(CHILD_ENTRY, [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
    env: childEnvironment(),
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { endpoint?: unknown; error?: unknown }) => {
      if (typeof m.endpoint === 'string') resolve(m.endpoint);
      else reject(new LocalS3StartError(`local S3 server did not start: ${String(m.error)}`));
    });
    child.once('error', (err) =>
      reject(new LocalS3StartError(`local S3 server did not start: ${err.message}`)),
    );
    child.once('exit', (code, signal) =>
      reject(
        new LocalS3StartError(`local S3 server exited before it was ready (${signal ?? `code ${code}`})`),
      ),
    );
  });
  child.unref();
  child.channel?.unref();
  let closed: Promise<void> | undefined;
  return {
    pid: child.pid!,
    bucket: options.bucket,
    region: 'us-east-1',
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    close: () => {
      closed ??= child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : stop();
      return closed;
    },
  };

  function stop(): Promise<void> {
    // Held again while it stops: whoever awaits close() must see the child's exit, not an emptied event loop.
    child.ref();
    child.kill('SIGTERM');
    return exited;
  }
}
