/**
 * `sync [--base-url URL] [--data-dir DIR] [--datasets orders,fills,ledger] [--markets …] [--kinds …]
 * [--tax-span-days N]`: merges what the exchange
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
import { DATASET_NAMES, RECORDS_OF } from '../core/dataset';
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
  taxSpanDays?: number;
}

export async function runSyncCommand(argv: string[], io: CliIo): Promise<number> {
  const command = new Command('sync')
    .description("merge what the exchange serves into the account's archive")
    .option('--base-url <url>', `exchange address (default $BITGET_BASE_URL or ${DEFAULT_BASE_URL})`)
    .option('--data-dir <dir>', 'where the local bucket (runs and archive) lives', '.data')
    .option('--datasets <list>', `data sets to sync (default: ${DATASET_NAMES.join(',')})`, parseListArg)
    .option('--markets <list>', 'spot,usdt-futures,usdc-futures,coin-futures (default: all)', parseListArg)
    .option('--kinds <list>', 'normal,tpsl,plan (default: all)', parseListArg)
    .option(
      '--tax-span-days <n>',
      'days per tax-record query (default: the smallest span the docs give)',
      parseIntArg(1),
    )
    .option('--budget-ms <n>', 'time one processor invocation works before it checkpoints', parseIntArg(1000))
    .option(
      '--rate-margin <f>',
      "share of each endpoint's documented rate limit to use (default 1)",
      parseFractionArg,
    );
  const parsed = parseCommand<SyncFlags>(command, argv, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const flags = parsed.flags;

  let request;
  let credentials;
  try {
    request = parseExtractionRequest({
      markets: flags.markets,
      kinds: flags.kinds,
      datasets: flags.datasets,
      taxSpanDays: flags.taxSpanDays,
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
      {
        markets: request.markets,
        kinds: request.kinds,
        datasets: request.datasets,
        taxSpanDays: request.taxSpanDays,
      },
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
  type Synced = keyof SyncReport['datasets'];
  const sets = Object.entries(r.datasets) as [Synced, NonNullable<SyncReport['datasets'][Synced]>][];
  const what = r.nothingNew
    ? 'nothing new: the archive already held every record in its latest state'
    : [
        `${r.added} ${RECORDS_OF.orders} added, ${r.updated} updated`,
        ...sets.map(([d, x]) => `${x.added} ${RECORDS_OF[d]} added`),
      ].join(', ') +
      ` (${r.partitionsWritten + sets.reduce((n, [, x]) => n + x.partitionsWritten, 0)} partitions written)`;
  const gaps = [...r.gaps, ...sets.flatMap(([, x]) => x.gaps)];
  const gapLine = gaps.length
    ? `; ${gaps.length} gaps recorded (${gaps[0]!.stream} from ${iso(gaps[0]!.from)} to ${iso(gaps[0]!.to)}…)`
    : '';
  const archived = [
    `${r.records} ${RECORDS_OF.orders}`,
    ...sets.map(([d, x]) => `${x.records} ${RECORDS_OF[d]}`),
  ].join(', ');
  const tax = r.datasets.ledger?.taxSince
    ? `; tax records asked from ${iso(r.datasets.ledger.taxSince)}`
    : '';
  return (
    `sync: ${what}; ${archived} archived for account ${r.uid}, covered to ${iso(r.served.to)}; ` +
    `${r.fetched} orders fetched + ${r.openOrders} open, ${r.requests} requests${tax}${gapLine}`
  );
}

const iso = (ms: number): string => new Date(ms).toISOString();

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
