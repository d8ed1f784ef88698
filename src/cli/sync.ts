/**
 * `sync [--base-url URL] [--data-dir DIR] [--datasets orders] [--markets …] [--kinds …]`: merges what the exchange
 * serves into the account's archive in DIR's local bucket (and the DATABASE_URL database, when set). Progress on
 * stderr; one JSON line (the sync's report) on stdout; exit 0 only when the sync is complete. One sync at a time
 * per data directory (a lock file).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { lock } from 'proper-lockfile';
import { Command } from 'commander';
import type { SyncReport } from '../archive';
import { runSync, SyncIncompleteError } from '../archive';
import { DEFAULT_BASE_URL } from '../bitget/BitgetClient';
import { loadCredentials } from '../config/credentials';
import { CredentialsError } from '../config/errors';
import { InvalidRequestError } from '../core/errors';
import { parseExtractionRequest, type ExtractionRequest } from '../core/request';
import type { Credentials } from '../config/credentials';
import { createDatabase } from '../db';
import { startLocalStack } from '../runtime/localStack';
import { parseCommand, parseFractionArg, parseIntArg, parseListArg } from './args';
import type { CliIo } from './extract';
import { ProgressReporter } from './progress';

interface SyncFlags {
  baseUrl?: string;
  dataDir: string;
  datasets?: string[];
  markets?: string[];
  kinds?: string[];
  budgetMs?: number;
  rateMargin?: number;
}

/** Data sets the archive keeps today; fills and ledger join when their extraction exists. */
export const ARCHIVED_DATASETS = ['orders'];

export async function runSyncCommand(argv: string[], io: CliIo): Promise<number> {
  const command = new Command('sync')
    .description("merge what the exchange serves into the account's archive")
    .option('--base-url <url>', `exchange address (default $BITGET_BASE_URL or ${DEFAULT_BASE_URL})`)
    .option('--data-dir <dir>', 'where the local bucket (runs and archive) lives', '.data')
    .option('--datasets <list>', `data sets to sync (default: ${ARCHIVED_DATASETS.join(',')})`, parseListArg)
    .option('--markets <list>', 'spot,usdt-futures,usdc-futures,coin-futures (default: all)', parseListArg)
    .option('--kinds <list>', 'normal,tpsl,plan (default: all)', parseListArg)
    .option('--budget-ms <n>', 'time one processor invocation works before it checkpoints', parseIntArg(1000))
    .option(
      '--rate-margin <f>',
      "share of each endpoint's documented rate limit to use (default 1)",
      parseFractionArg,
    );
  const parsed = parseCommand<SyncFlags>(command, argv, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const flags = parsed.flags;

  const unknown = (flags.datasets ?? []).filter((d) => !ARCHIVED_DATASETS.includes(d));
  if (unknown.length > 0) {
    io.stderr.write(
      `sync: data set ${unknown.join(', ')} is not archived yet (the archive keeps: ${ARCHIVED_DATASETS.join(', ')})\n`,
    );
    return 2;
  }
  let request;
  let credentials;
  try {
    request = parseExtractionRequest({
      markets: flags.markets,
      kinds: flags.kinds,
    });
    credentials = await loadCredentials(io.env);
  } catch (err) {
    if (err instanceof InvalidRequestError || err instanceof CredentialsError) {
      io.stderr.write(`sync: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const baseUrl = flags.baseUrl ?? io.env['BITGET_BASE_URL'] ?? DEFAULT_BASE_URL;
  io.stderr.write(`sync: ${baseUrl}, archive in ${resolve(flags.dataDir)}\n`);
  // One sync at a time per data directory: two would both commit the same generation.
  mkdirSync(flags.dataDir, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lock(flags.dataDir, { retries: 0, lockfilePath: resolve(flags.dataDir, 'sync.lock') });
  } catch {
    io.stderr.write(
      `sync: another sync is running on ${resolve(flags.dataDir)}; try again when it is done\n`,
    );
    return 1;
  }
  try {
    return await syncWithStack(flags, baseUrl, credentials, request, io);
  } finally {
    await release();
  }
}

async function syncWithStack(
  flags: SyncFlags,
  baseUrl: string,
  credentials: Credentials,
  request: ExtractionRequest,
  io: CliIo,
): Promise<number> {
  const progress = new ProgressReporter(io.stderr);
  const stack = await startLocalStack({
    dataDir: flags.dataDir,
    baseUrl,
    credentials,
    ...(flags.budgetMs ? { invocationBudgetMs: flags.budgetMs } : {}),
    ...(flags.rateMargin ? { client: { rateLimits: { margin: flags.rateMargin } } } : {}),
    onProgress: progress.update,
  });
  // DATABASE_URL (as for serve): the database is brought up to the archive after the manifest is written.
  const databaseUrl = io.env['DATABASE_URL']?.trim();
  const database = databaseUrl
    ? await createDatabase(databaseUrl).catch(async (err: unknown) => {
        await stack.close();
        throw err;
      })
    : undefined;
  try {
    const report = await runSync(
      {
        store: stack.store,
        client: stack.client,
        engine: stack.engine,
        database,
        log: (line) => io.stderr.write(`${line}\n`),
      },
      { markets: request.markets, kinds: request.kinds },
    ).finally(() => progress.stop());
    io.stderr.write(`${describe(report)}\n`);
    io.stdout.write(JSON.stringify(report) + '\n');
    return 0;
  } catch (err) {
    if (err instanceof SyncIncompleteError) {
      io.stderr.write(`sync: ${oneLine(err.message)}. Run sync again to complete it\n`);
      return 1;
    }
    io.stderr.write(
      `sync: ${oneLine(err instanceof Error ? `${err.name}: ${err.message}` : String(err))}; the archive is unchanged\n`,
    );
    return 1;
  } finally {
    await Promise.allSettled([stack.close(), database?.close()]);
  }
}

export function describe(r: SyncReport): string {
  const what = r.nothingNew
    ? 'nothing new: the archive already held every order in its latest state'
    : `${r.added} orders added, ${r.updated} updated (${r.partitionsWritten} partitions written)`;
  const gaps = r.gaps.length
    ? `; ${r.gaps.length} gaps recorded (${r.gaps[0]!.stream} from ${iso(r.gaps[0]!.from)} to ${iso(r.gaps[0]!.to)}…)`
    : '';
  return (
    `sync: ${what}; ${r.records} orders archived for account ${r.uid}, covered to ${iso(r.served.to)}; ` +
    `${r.fetched} fetched + ${r.openOrders} open, ${r.requests} requests${gaps}`
  );
}

const iso = (ms: number): string => new Date(ms).toISOString();

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
