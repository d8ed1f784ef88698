import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_BASE_URL } from '../bitget/BitgetClient';
import type { RetryInfo } from '../bitget/transport';
import { loadCredentials } from '../config/credentials';
import { CredentialsError } from '../config/errors';
import { newRunId } from '../core/engine';
import type { ExtractionRequest } from '../core/request';
import { InvalidRequestError } from '../core/errors';
import { parseExtractionRequest } from '../core/request';
import type { EndpointId } from '../bitget/endpoints';
import { TAX_SPAN_ENV, TAX_SPAN_MAX_DAYS, parseTaxSpanDays, taxSpanDaysFromEnv } from '../bitget/taxSpan';
import { LANE_BY_DATASET_ENDPOINT } from '../extraction/datasetPlan';
import { LANE_BY_ENDPOINT } from '../extraction/plan';
import { FOUND_SYMBOLS_LANE } from '../extraction/stages';
import {
  ExchangeUnreachableError,
  InvalidBaseUrlError,
  RunLockedError,
  RunOptionsMismatchError,
} from '../runtime/errors';
import { checkExchangeReachable, parseBaseUrl } from '../runtime/preflight';
import { runLocalExtraction } from '../runtime/runExtraction';
import { RUN_ID_PATTERN } from '../storage/keys';
import { parseCommand, parseFractionArg, parseIntArg, parseListArg, parseTimeArg } from './args';
import { OutputPathError } from './errors';
import { checkWritableDir } from './outputs';
import { ProgressReporter } from './progress';
import { formatRunReport, symbolsNotOnExchange } from './report';
import { downloadResults } from './results';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

interface ExtractFlags {
  baseUrl?: string;
  symbols?: string[];
  markets?: string[];
  kinds?: string[];
  datasets?: string[];
  taxSpanDays?: number;
  since?: number;
  until?: number;
  order: string;
  out: string;
  runId?: string;
  dataDir: string;
  budgetMs?: number;
  rateMargin?: number;
  force?: boolean;
}

const DEFAULT_OUT = 'out';
const DEFAULT_DATA_DIR = '.data';
const REQUEST_OPTIONS = [
  'symbols',
  'markets',
  'kinds',
  'datasets',
  'taxSpanDays',
  'since',
  'until',
  'order',
] as const;

export function extractCommand(): Command {
  return new Command('extract')
    .description(
      'fetch the account’s orders, fills and ledger into --out (orders.jsonl, orders.json, fills.jsonl, ledger.jsonl, summary.json)',
    )
    .option('--base-url <url>', `exchange address (default $BITGET_BASE_URL or ${DEFAULT_BASE_URL})`)
    .option('--symbols <list>', 'only these symbols, comma-separated (default: every symbol)', parseListArg)
    .option('--markets <list>', 'spot,usdt-futures,usdc-futures,coin-futures (default: all)', parseListArg)
    .option('--kinds <list>', 'normal,tpsl,plan (default: all)', parseListArg)
    .option('--datasets <list>', 'orders,fills,ledger (default: all three)', parseListArg)
    .option(
      '--tax-span-days <n>',
      `days per tax-record query, 1-${TAX_SPAN_MAX_DAYS} (default $${TAX_SPAN_ENV} or the smallest the docs give)`,
      (v: string) => {
        try {
          return parseTaxSpanDays(v, '--tax-span-days');
        } catch (err) {
          throw new InvalidArgumentError((err as Error).message);
        }
      },
    )
    .option(
      '--since <time>',
      'from (epoch ms or ISO 8601; default: as far back as Bitget serves, 90 days)',
      parseTimeArg,
    )
    .option('--until <time>', 'to, exclusive (epoch ms or ISO 8601; default: now)', parseTimeArg)
    .option('--order <asc|desc>', 'sort by creation time', 'asc')
    .option('--out <dir>', 'where to write the result files', DEFAULT_OUT)
    .option('--force', 'replace a result of another run in --out')
    .option('--run-id <id>', 'resume an interrupted run (or name a new one)', (v: string) => {
      if (!RUN_ID_PATTERN.test(v)) throw new InvalidArgumentError('expected 1-80 letters, digits, _ or -');
      return v;
    })
    .option('--data-dir <dir>', 'where the local S3 server keeps run state', DEFAULT_DATA_DIR)
    .option('--budget-ms <n>', 'time one processor invocation works before it checkpoints', parseIntArg(1000))
    .option(
      '--rate-margin <f>',
      "share of each endpoint's documented rate limit to use (default 1: all of it, paced on the server's 429s and x-mbx-used-remain-limit)",
      parseFractionArg,
    );
}

/**
 * `extract`: runs the state machine locally against Bitget (or the simulator), writes orders.jsonl,
 * orders.json and summary.json to --out. Exit 0 only when the run is complete; otherwise one line saying why.
 * Ctrl-C (or SIGTERM) stops it gently and prints the command that resumes it (exit 130 / 143).
 */
export async function runExtractCommand(argv: string[], io: CliIo): Promise<number> {
  const command = extractCommand();
  const parsed = parseCommand<ExtractFlags>(command, argv, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const flags = parsed.flags;
  const fail = (message: string, code: number) => {
    io.stderr.write(`extract: ${message}\n`);
    return code;
  };

  let request: ExtractionRequest;
  let credentials;
  try {
    request = parseExtractionRequest({
      symbols: flags.symbols,
      markets: flags.markets,
      kinds: flags.kinds,
      datasets: flags.datasets,
      ...optionalTaxSpan(flags.taxSpanDays ?? taxSpanDaysFromEnv(io.env)),
      since: flags.since,
      until: flags.until,
      order: flags.order,
    });
    credentials = await loadCredentials(io.env);
  } catch (err) {
    if (err instanceof InvalidRequestError || err instanceof CredentialsError) return fail(err.message, 2);
    if (err instanceof RangeError) return fail(err.message, 2);
    throw err;
  }
  const explicit = new Set(
    REQUEST_OPTIONS.filter((o) => command.getOptionValueSource(o) === 'cli'),
  ) as ReadonlySet<keyof ExtractionRequest>;
  const baseUrl = flags.baseUrl ?? io.env['BITGET_BASE_URL'] ?? DEFAULT_BASE_URL;
  const runId = flags.runId ?? newRunId(new Date());
  const resume = resumeCommand(runId, flags);

  // Everything that can be checked without the exchange is checked before the first request.
  try {
    parseBaseUrl(baseUrl, flags.baseUrl !== undefined ? '--base-url' : 'BITGET_BASE_URL');
    await checkWritableDir(flags.dataDir, '--data-dir');
    await checkWritableDir(flags.out, '--out', { runId, force: flags.force });
    await checkExchangeReachable(baseUrl);
  } catch (err) {
    if (err instanceof InvalidBaseUrlError || err instanceof OutputPathError) return fail(err.message, 2);
    if (err instanceof ExchangeUnreachableError) return fail(err.message, 1);
    throw err;
  }

  const progress = new ProgressReporter(io.stderr);
  const controller = new AbortController();
  let signalled: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      progress.stop();
      io.stderr.write(`\nextract: stopped at once; the last checkpoint stands. Resume with:\n  ${resume}\n`);
      process.exit(signalExitCode(signal));
    }
    signalled = signal;
    progress.stop();
    io.stderr.write(
      `\nextract: ${signal}: finishing the requests in flight and saving the cursors (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again quits at once)\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  io.stderr.write(`extract: ${baseUrl}, run ${runId}, state in ${resolve(flags.dataDir)}\n`);
  const started = Date.now();
  try {
    let run;
    try {
      run = await runLocalExtraction({
        dataDir: flags.dataDir,
        baseUrl,
        credentials,
        request,
        explicit,
        runId,
        signal: controller.signal,
        ...(flags.budgetMs ? { invocationBudgetMs: flags.budgetMs } : {}),
        client: {
          ...(flags.rateMargin ? { rateLimits: { margin: flags.rateMargin } } : {}),
          onRetry: (info: RetryInfo) => {
            if (info.delayMs >= RETRY_NOTICE_MS) progress.log(`extract: ${retryNotice(info)}`);
          },
        },
        onProgress: progress.update,
        onStage: progress.stage,
        onStart: ({ resumed, stack }) => {
          progress.setRates((laneId) => {
            const endpoint = endpointOfLane(laneId);
            return endpoint ? stack.client.rateLimit(endpoint) : undefined;
          });
          if (resumed) progress.log(`extract: resuming run ${runId} with the options it was started with`);
        },
      });
    } catch (err) {
      if (err instanceof RunLockedError || err instanceof RunOptionsMismatchError)
        return fail(err.message, 2);
      throw err;
    } finally {
      progress.stop();
    }
    try {
      const { execution, summary } = run;
      if (run.interrupted) {
        io.stderr.write(`extract: run ${runId} stopped; its cursors are saved. Resume with:\n  ${resume}\n`);
        return signalExitCode(signalled ?? 'SIGINT');
      }
      if (execution.status !== 'SUCCEEDED' || !execution.output?.complete) {
        const why =
          summary?.failure?.cause || summary?.missing.join('; ') || execution.cause || execution.error;
        return fail(
          `run ${runId} did not complete (${execution.status}): ${oneLine(why ?? 'unknown')}. Resume with: ${resume}`,
          1,
        );
      }
      const files = await downloadResults(run.stack.store, execution.output, flags.out);
      if (summary) {
        const unknownSymbols = await symbolsNotOnExchange(run.stack.client, run.request.symbols ?? []).catch(
          () => [],
        );
        const report = formatRunReport({
          summary,
          output: execution.output,
          elapsedMs: Date.now() - started,
          unknownSymbols,
          files: files.map((f) => resolve(f)),
        });
        for (const line of report) io.stderr.write(`extract: ${line}\n`);
      }
      io.stderr.write(`extract: run ${runId} complete\n`);
      for (const f of files) io.stdout.write(`${f}\n`);
      return 0;
    } finally {
      await run.stack.close();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const ENDPOINT_OF_LANE = new Map<string, EndpointId>(
  Object.entries({ ...LANE_BY_ENDPOINT, ...LANE_BY_DATASET_ENDPOINT }).map(([endpoint, lane]) => [
    lane,
    endpoint as EndpointId,
  ]),
);

/** The tax span when one is set (the request's field stays absent otherwise). */
function optionalTaxSpan(days: number | undefined): { taxSpanDays?: number } {
  return days === undefined ? {} : { taxSpanDays: days };
}

/** The endpoint a lane works (the symbol search and the found-symbols lane ask spot plan history). */
export function endpointOfLane(laneId: string): EndpointId | undefined {
  if (laneId.startsWith('search-') || laneId === FOUND_SYMBOLS_LANE) return 'spotPlanHistory';
  return ENDPOINT_OF_LANE.get(laneId);
}

/** 128 + the signal's number, as shells report a process ended by it. */
function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : 130;
}

/** The exact command that resumes the run: the run id, and the paths and address when they are not defaults. */
export function resumeCommand(
  runId: string,
  flags: Pick<ExtractFlags, 'dataDir' | 'out' | 'baseUrl'>,
): string {
  const parts = ['bitget-orders', 'extract', '--run-id', runId];
  if (flags.baseUrl !== undefined) parts.push('--base-url', flags.baseUrl);
  if (flags.dataDir !== DEFAULT_DATA_DIR) parts.push('--data-dir', flags.dataDir);
  if (flags.out !== DEFAULT_OUT) parts.push('--out', flags.out);
  return parts.map(shellQuote).join(' ');
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A Lambda-style `{"errorType","errorMessage"}` cause read as its message. */
function unwrapLambdaError(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: the cause as it is
  }
  return cause;
}

/** Retries shorter than this are counted in the report, not announced one by one. */
const RETRY_NOTICE_MS = 1000;

/** `retrying spot-history in 8 s: HTTP 503 (retry 4)`: what the run is waiting for, in the lane's words. */
export function retryNotice(info: RetryInfo): string {
  const what = info.endpoint
    ? ((LANE_BY_ENDPOINT as Record<string, string>)[info.endpoint] ?? info.endpoint)
    : 'a request';
  const s = info.delayMs / 1000;
  const wait = s >= 10 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`;
  return `retrying ${what} in ${wait}: ${info.reason} (retry ${info.retryNumber})`;
}

function oneLine(s: string): string {
  const line = unwrapLambdaError(s).replace(/\s+/g, ' ').trim();
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
