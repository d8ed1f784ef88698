import { VERSION } from '../api/version';
import { runSimCommand } from '../sim';
import { runDemoCommand } from './demo';
import type { CliIo } from './extract';
import { runExtractCommand } from './extract';
import { runReportCommand } from './reportCommand';
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
  export   write the archive (or a run's result) as jsonl, csv, parquet, koinly or cointracking
  report   write a run's report.html (charts and tables), or with --archive the archive's

Run "bitget-orders help <command>" (or "bitget-orders <command> --help") for a command's options,
"bitget-orders --version" for the version.
`;

type Runner = (argv: string[], io: CliIo) => Promise<number>;
const COMMANDS: Record<string, Runner> = {
  sim: (argv, io) => runSimCommand(argv, { stdout: io.stdout, stderr: io.stderr }),
  extract: runExtractCommand,
  serve: (argv, io) => runServeCommand(argv, io),
  demo: runDemoCommand,
  sync: runSyncCommand,
  archive: runArchiveCommand,
  export: runExportCommand,
  report: runReportCommand,
};

/** The `bitget-orders` binary. Resolves with the process exit code. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && Object.hasOwn(COMMANDS, command)) return COMMANDS[command]!(rest, io);
  switch (command) {
    case '-V':
    case '--version':
    case 'version':
      io.stdout.write(`bitget-orders ${VERSION}\n`);
      return 0;
    case 'help': {
      const topic = rest[0];
      if (topic === undefined) break;
      if (Object.hasOwn(COMMANDS, topic)) return COMMANDS[topic]!(['--help'], io);
      io.stderr.write(`bitget-orders: no command ${JSON.stringify(topic)}\n\n${USAGE}`);
      return 2;
    }
    case undefined:
    case '-h':
    case '--help':
      break;
    default:
      io.stderr.write(`bitget-orders: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
  io.stdout.write(USAGE);
  return command === undefined ? 2 : 0;
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
