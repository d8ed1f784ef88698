import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ReportSourceMissingError } from '../report/errors';
import { writeRunReport } from '../report/writeRunReport';
import { LOCAL_BUCKET } from '../runtime/localStack';
import {
  RUN_ID_PATTERN,
  RunStore,
  createS3Client,
  localS3ProcessAvailable,
  startLocalS3,
  startLocalS3Process,
} from '../storage';
import type { CliIo } from './extract';
import { parseCommand } from './args';

interface ReportFlags {
  runId: string;
  dataDir: string;
  out?: string;
}

/** `report --run-id R`: writes the run's report.html (charts and tables) beside its result and to --out. */
export async function runReportCommand(argv: string[], io: CliIo): Promise<number> {
  const command = new Command('report')
    .description("write a run's report.html: orders per day, fees, volume, requests per second, stages")
    .requiredOption('--run-id <id>', 'the run', (v: string) => {
      if (!RUN_ID_PATTERN.test(v)) throw new InvalidArgumentError('expected 1-80 letters, digits, _ or -');
      return v;
    })
    .option('--data-dir <dir>', 'where the local S3 server keeps run state', '.data')
    .option('--out <file>', 'where to write the report (default out/<run id>/report.html)');
  const parsed = parseCommand<ReportFlags>(command, argv, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const { runId, dataDir } = parsed.flags;
  const s3Dir = join(dataDir, 's3');
  if (!existsSync(s3Dir)) {
    io.stderr.write(
      `report: no run state in ${resolve(dataDir)} (expected ${resolve(s3Dir)}); check --data-dir\n`,
    );
    return 2;
  }
  const s3Options = { directory: s3Dir, bucket: LOCAL_BUCKET };
  const s3 = localS3ProcessAvailable() ? await startLocalS3Process(s3Options) : await startLocalS3(s3Options);
  try {
    const store = new RunStore(createS3Client(s3), LOCAL_BUCKET);
    const written = await writeRunReport(store, runId);
    const out = parsed.flags.out ?? join('out', runId, 'report.html');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, (await store.getText(written.key))!);
    io.stderr.write(
      `report: ${(written.bytes / 1024).toFixed(0)} KiB in ${written.renderMs.toFixed(0)} ms, kept as ${written.key}\n`,
    );
    io.stdout.write(`${out}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ReportSourceMissingError) {
      io.stderr.write(`report: ${err.message} in ${resolve(dataDir)}\n`);
      return 2;
    }
    throw err;
  } finally {
    await s3.close();
  }
}
