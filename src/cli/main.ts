import { runSimCommand } from '../sim';
import { runDemoCommand } from './demo';
import type { CliIo } from './extract';
import { runExtractCommand } from './extract';
import { runReportCommand } from './report';
import { runServeCommand } from './serve';
import { runArchiveCommand } from './archiveStatus';
import { runExportCommand } from './export';
import { runSyncCommand } from './sync';

const USAGE = `usage: bitget-orders <command> [options]

commands:
  sim      start the Bitget simulator (prints one JSON line with its URL and keys, serves until stopped)
  extract  fetch every order of the account into --out (orders.jsonl, orders.json, summary.json)
  serve    start the HTTP API (docs at /docs)
  demo     simulator + full extraction + check against the ground truth + database import
  sync     merge what the exchange serves into the account's archive (kept for years, gaps named)
  archive  "archive status [--json]": the archive's coverage and gaps
  export   write the archive (or a run's result) as jsonl, csv or parquet
  report   write a run's report.html (charts and tables of its orders and of the run itself)

Run "bitget-orders <command> --help" for a command's options.
`;

/** The `bitget-orders` binary. Resolves with the process exit code. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'sim':
      return runSimCommand(rest, { stdout: io.stdout, stderr: io.stderr });
    case 'extract':
      return runExtractCommand(rest, io);
    case 'serve':
      return runServeCommand(rest, io);
    case 'demo':
      return runDemoCommand(rest, io);
    case 'sync':
      return runSyncCommand(rest, io);
    case 'archive':
      return runArchiveCommand(rest, io);
    case 'export':
      return runExportCommand(rest, io);
    case 'report':
      return runReportCommand(rest, io);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.stderr.write(`bitget-orders: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
