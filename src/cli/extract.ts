import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_BASE_URL } from '../bitget/client';
import { CredentialsError, loadCredentials } from '../config/credentials';
import { InvalidRequestError, parseExtractionRequest } from '../core/request';
import { RUN_ID_PATTERN } from '../storage/keys';
import { runLocalExtraction } from '../runtime/runExtraction';
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
  const progress = new ProgressReporter(io.stderr);
  io.stderr.write(`extract: ${baseUrl}, run ${flags.runId ?? '(new)'}, state in ${resolve(flags.dataDir)}\n`);
  const run = await runLocalExtraction({
    dataDir: flags.dataDir,
    baseUrl,
    credentials,
    request,
    ...(flags.runId ? { runId: flags.runId } : {}),
    ...(flags.budgetMs ? { invocationBudgetMs: flags.budgetMs } : {}),
    ...(flags.rateMargin ? { client: { rateLimits: { margin: flags.rateMargin } } } : {}),
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

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
