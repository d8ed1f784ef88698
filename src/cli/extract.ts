import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_BASE_URL } from '../bitget/client';
import { CredentialsError, loadCredentials } from '../config/credentials';
import { InvalidRequestError, parseExtractionRequest } from '../core/request';
import { RUN_ID_PATTERN } from '../storage/keys';
import { runLocalExtraction } from '../runtime/runExtraction';
import { LANE_BY_ENDPOINT } from '../extraction/plan';
import type { RetryInfo } from '../bitget/transport';
import {
  ExchangeUnreachableError,
  InvalidBaseUrlError,
  checkExchangeReachable,
  parseBaseUrl,
} from '../runtime/preflight';
import { parseCommand, parseFractionArg, parseIntArg, parseListArg, parseTimeArg } from './args';
import { ProgressReporter } from './progress';
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
  since?: number;
  until?: number;
  order: string;
  out: string;
  runId?: string;
  dataDir: string;
  budgetMs?: number;
  rateMargin?: number;
}

/**
 * `extract`: runs the state machine locally against Bitget (or the simulator), writes orders.jsonl,
 * orders.json and summary.json to --out. Exit 0 only when the run is complete; otherwise one line saying why.
 */
export async function runExtractCommand(argv: string[], io: CliIo): Promise<number> {
  const command = new Command('extract')
    .description('fetch every order of the account into --out (orders.jsonl, orders.json, summary.json)')
    .option('--base-url <url>', `exchange address (default $BITGET_BASE_URL or ${DEFAULT_BASE_URL})`)
    .option('--symbols <list>', 'only these symbols, comma-separated (default: every symbol)', parseListArg)
    .option('--markets <list>', 'spot,usdt-futures,usdc-futures,coin-futures (default: all)', parseListArg)
    .option('--kinds <list>', 'normal,tpsl,plan (default: all)', parseListArg)
    .option(
      '--since <time>',
      'from (epoch ms or ISO date; default: as far back as Bitget serves, 90 days)',
      parseTimeArg,
    )
    .option('--until <time>', 'to, exclusive (epoch ms or ISO date; default: now)', parseTimeArg)
    .option('--order <asc|desc>', 'sort by creation time', 'asc')
    .option('--out <dir>', 'where to write the result files', 'out')
    .option('--run-id <id>', 'resume an interrupted run (or name a new one)', (v: string) => {
      if (!RUN_ID_PATTERN.test(v)) throw new InvalidArgumentError('expected 1-80 letters, digits, _ or -');
      return v;
    })
    .option('--data-dir <dir>', 'where the local S3 server keeps run state', '.data')
    .option('--budget-ms <n>', 'time one processor invocation works before it checkpoints', parseIntArg(1000))
    .option(
      '--rate-margin <f>',
      'share of each documented rate limit to use (default 0.95: no 429 while arrivals bunch by less than 50 ms)',
      parseFractionArg,
    );
  const parsed = parseCommand<ExtractFlags>(command, argv, io.stderr);
  if ('exitCode' in parsed) return parsed.exitCode;
  const flags = parsed.flags;

  let request;
  let credentials;
  try {
    request = parseExtractionRequest({
      ...(flags.symbols ? { symbols: flags.symbols } : {}),
      ...(flags.markets ? { markets: flags.markets } : {}),
      ...(flags.kinds ? { kinds: flags.kinds } : {}),
      ...(flags.since !== undefined ? { since: flags.since } : {}),
      ...(flags.until !== undefined ? { until: flags.until } : {}),
      order: flags.order,
    });
    credentials = await loadCredentials(io.env);
  } catch (err) {
    if (err instanceof InvalidRequestError || err instanceof CredentialsError) {
      io.stderr.write(`extract: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const baseUrl = flags.baseUrl ?? io.env['BITGET_BASE_URL'] ?? DEFAULT_BASE_URL;
  try {
    parseBaseUrl(baseUrl, flags.baseUrl !== undefined ? '--base-url' : 'BITGET_BASE_URL');
    await checkExchangeReachable(baseUrl);
  } catch (err) {
    if (err instanceof InvalidBaseUrlError) {
      io.stderr.write(`extract: ${err.message}\n`);
      return 2;
    }
    if (err instanceof ExchangeUnreachableError) {
      io.stderr.write(`extract: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const progress = new ProgressReporter(io.stderr);
  io.stderr.write(`extract: ${baseUrl}, run ${flags.runId ?? '(new)'}, state in ${resolve(flags.dataDir)}\n`);
  const run = await runLocalExtraction({
    dataDir: flags.dataDir,
    baseUrl,
    credentials,
    request,
    ...(flags.runId ? { runId: flags.runId } : {}),
    ...(flags.budgetMs ? { invocationBudgetMs: flags.budgetMs } : {}),
    client: {
      ...(flags.rateMargin ? { rateLimits: { margin: flags.rateMargin } } : {}),
      onRetry: (info: RetryInfo) => {
        if (info.delayMs >= RETRY_NOTICE_MS) progress.log(`extract: ${retryNotice(info)}`);
      },
    },
    onProgress: progress.update,
  }).finally(() => progress.stop());
  try {
    const { execution, summary } = run;
    if (execution.status !== 'SUCCEEDED' || !execution.output?.complete) {
      const why =
        summary?.failure?.cause || summary?.missing.join('; ') || execution.cause || execution.error;
      io.stderr.write(
        `extract: run ${run.runId} did not complete (${execution.status}): ${oneLine(why ?? 'unknown')}. Resume with --run-id ${run.runId}\n`,
      );
      return 1;
    }
    const files = await downloadResults(run.stack.store, execution.output, flags.out);
    io.stderr.write(
      `extract: ${execution.output.orders} orders, ${summary?.requests ?? '?'} requests, ${summary?.http429 ?? 0} HTTP 429, run ${run.runId}\n`,
    );
    for (const f of files) io.stdout.write(`${f}\n`);
    return 0;
  } finally {
    await run.stack.close();
  }
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
