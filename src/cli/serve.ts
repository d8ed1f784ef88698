import { runSync } from '../archive';
import { Command } from 'commander';
import {
  startApiServer,
  DEFAULT_API_PORT,
  InsecureBindError,
  localStateMachineArn,
  WeakApiKeyError,
} from '../api';
import { bitgetSymbolSource } from '../api/bitgetSymbolSource';
import { DEFAULT_BASE_URL } from '../bitget/BitgetClient';
import { loadCredentials } from '../config/credentials';
import { CredentialsError } from '../config/errors';
import type { Credentials } from '../config/credentials';
import { createDatabase, DEFAULT_DATABASE_URL, redactDatabaseUrl } from '../db';
import { LOCAL_STATE_MACHINE } from '../engines/LocalEngine';
import { startLocalStack } from '../runtime/localStack';
import { startSimulator } from '../sim';
import type { Simulator } from '../sim';
import { parseCommand, parseIntArg } from './args';
import type { CliIo } from './extract';
import { explainDatabaseError, explainListenError } from './explain';

interface ServeFlags {
  port: number;
  host: string;
  dataDir: string;
}

/**
 * `serve`: the HTTP API on the embedded defaults: executions on the local engine, the local S3 server, the
 * SQLite file (DATABASE_URL for MySQL). With no Bitget keys in the environment it serves the bundled simulator
 * as the exchange, and says so.
 */
export async function runServeCommand(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const command = new Command('serve')
    .description('start the HTTP API (bound to 127.0.0.1 unless --host and API_KEY are given)')
    .option(
      '--port <n>',
      'port (0 to 65535; 0: any free port)',
      parseIntArg(0, 65535),
      Number(io.env['PORT'] ?? DEFAULT_API_PORT),
    )
    .option('--host <host>', 'address to bind', io.env['HOST'] ?? '127.0.0.1')
    .option('--data-dir <dir>', 'where the local S3 server keeps its objects', '.data');
  const parsed = parseCommand<ServeFlags>(command, argv, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const flags = parsed.flags;

  let credentials: Credentials;
  let baseUrl = io.env['BITGET_BASE_URL'] ?? DEFAULT_BASE_URL;
  let sim: Simulator | undefined;
  try {
    credentials = await loadCredentials(io.env);
  } catch (err) {
    if (!(err instanceof CredentialsError)) throw err;
    sim = await startSimulator({ seed: 42, orders: 20_000, symbols: 30 });
    credentials = sim.credentials;
    baseUrl = sim.url;
    io.stderr.write(
      `serve: no Bitget keys in the environment: serving the bundled simulator at ${sim.url}\n`,
    );
  }
  const databaseUrl = io.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  let db;
  try {
    db = await createDatabase(databaseUrl);
  } catch (err) {
    await sim?.close();
    const why = explainDatabaseError(err, redactDatabaseUrl(databaseUrl));
    if (why === null) throw err;
    io.stderr.write(`serve: ${why}\n`);
    return 1;
  }
  const stack = await startLocalStack({ dataDir: flags.dataDir, baseUrl, credentials });
  const apiKey = io.env['API_KEY'];
  const maxRunning = io.env['MAX_RUNNING_EXECUTIONS'];
  if (maxRunning !== undefined && !/^[1-9][0-9]{0,5}$/.test(maxRunning)) {
    io.stderr.write(
      `serve: MAX_RUNNING_EXECUTIONS must be a positive integer, got ${JSON.stringify(maxRunning)}\n`,
    );
    await Promise.allSettled([db.close(), stack.close(), sim?.close()]);
    return 2;
  }
  let server;
  try {
    server = await startApiServer({
      host: flags.host,
      port: flags.port,
      engine: stack.engine,
      stateMachineArn: localStateMachineArn(LOCAL_STATE_MACHINE),
      engineKind: 'local',
      exchange: sim ? 'simulator' : baseUrl,
      db,
      s3: stack.store.s3,
      bucket: stack.store.bucket,
      symbols: bitgetSymbolSource(stack.client),
      sync: (o) =>
        runSync({ store: stack.store, client: stack.client, engine: stack.engine, database: db }, o),
      ...(apiKey ? { apiKey } : {}),
      ...(maxRunning !== undefined ? { maxRunningExecutions: Number(maxRunning) } : {}),
      logger: true,
    });
  } catch (err) {
    await Promise.allSettled([db.close(), stack.close(), sim?.close()]);
    if (err instanceof InsecureBindError || err instanceof WeakApiKeyError) {
      io.stderr.write(`serve: ${err.message} (set API_KEY)\n`);
      return 2;
    }
    const why = explainListenError(err, flags.host, flags.port);
    if (why !== null) {
      io.stderr.write(`serve: ${why}\n`);
      return 1;
    }
    throw err;
  }
  io.stderr.write(
    `serve: listening on ${server.url} (database ${db.displayUrl}, exchange ${baseUrl}); page at ${server.url}/, docs at ${server.url}/docs\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  await server.close();
  await Promise.allSettled([db.close(), stack.close(), sim?.close()]);
  return 0;
}
