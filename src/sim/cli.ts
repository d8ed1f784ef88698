/**
 * `sim [--port N] [--seed N] [--orders N] [--symbols N] [--history-days N] [--clock-days-ago D] [--mode classic|uta]
 *      [--latency-ms N] [--fault-rate F] [--truth FILE]` (`--days` is an alias of `--history-days`)
 * Writes the truth files (if asked: FILE, and FILE with `.fills` / `.ledger` before the extension) first, then prints exactly one JSON line
 * {"url","apiKey","secretKey","passphrase"} on stdout, then serves until SIGTERM/SIGINT (or `signal`).
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { spreadFaultRate } from './faults';
import { MAX_HISTORY_DAYS } from './generator';
import { startSimulator } from './server';
import type { FaultOptions } from './types';

export interface SimCommandIo {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Stops the simulator like SIGTERM does (for tests and embedding). */
  signal?: AbortSignal;
}

const integer =
  (min: number, max?: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || (max !== undefined && n > max))
      throw new InvalidArgumentError(
        max === undefined ? `expected an integer >= ${min}` : `expected an integer from ${min} to ${max}`,
      );
    return n;
  };

const fraction = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number in [0, 1]');
  return n;
};

interface SimFlags {
  port: number;
  seed: number;
  orders: number;
  symbols: number;
  historyDays?: number;
  days?: number;
  clockDaysAgo: number;
  mode: 'classic' | 'uta';
  latencyMs?: number;
  faultRate?: number;
  truth?: string;
}

export async function runSimCommand(argv: string[], io: SimCommandIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const args = argv[0] === 'sim' ? argv.slice(1) : argv;
  const command = new Command('sim')
    .description('Bitget-compatible simulator with a generated account')
    .option('--port <n>', 'port, 0 to 65535 (0: any free port)', integer(0, 65535), 0)
    .option('--seed <n>', 'account seed', integer(0), 1)
    .option('--orders <n>', 'total orders', integer(0), 2000)
    .option('--symbols <n>', 'number of base coins', integer(1), 24)
    .option(
      '--history-days <n>',
      `days of history before now (1 to ${MAX_HISTORY_DAYS}, default 90)`,
      integer(1, MAX_HISTORY_DAYS),
    )
    .option('--days <n>', `alias of --history-days (1 to ${MAX_HISTORY_DAYS})`, integer(1, MAX_HISTORY_DAYS))
    .option(
      '--clock-days-ago <d>',
      "the simulator's clock starts D days before now (then runs at real speed; POST /sim/clock moves it)",
      integer(0, MAX_HISTORY_DAYS),
      0,
    )
    .option(
      '--mode <mode>',
      'classic or uta',
      (v: string) => {
        if (v !== 'classic' && v !== 'uta') throw new InvalidArgumentError('expected classic or uta');
        return v;
      },
      'classic',
    )
    .option('--latency-ms <n>', 'median latency (log-normal, p99 = 3 x median)', integer(0))
    .option('--fault-rate <f>', 'share of requests that meet a fault', fraction)
    .option(
      '--truth <file>',
      'write every generated order as NDJSON, and the fills and ledger (bills and tax records) beside it: FILE with .fills / .ledger before the extension',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });
  let flags: SimFlags;
  try {
    command.parse(args, { from: 'user' });
    flags = command.opts<SimFlags>();
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }

  const faults: FaultOptions = flags.faultRate ? spreadFaultRate(flags.faultRate) : {};
  let sim;
  try {
    sim = await startSimulator({
      port: flags.port,
      seed: flags.seed,
      orders: flags.orders,
      symbols: flags.symbols,
      days: flags.historyDays ?? flags.days ?? 90,
      clockDaysAgo: flags.clockDaysAgo,
      mode: flags.mode,
      latency: flags.latencyMs ? { medianMs: flags.latencyMs } : undefined,
      faults,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    stderr.write(
      `sim: port ${flags.port} on 127.0.0.1 is in use (another server listens there): choose another --port, or 0 for any free port\n`,
    );
    return 1;
  }
  try {
    if (flags.truth) await sim.writeTruth(flags.truth);
  } catch (err) {
    await sim.close();
    stderr.write(`sim: cannot write the truth file: ${String(err)}\n`);
    return 1;
  }
  stdout.write(JSON.stringify({ url: sim.url, ...sim.credentials }) + '\n');

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop);
  });
  await sim.close();
  return 0;
}
