import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ArchiveNotFoundError } from '../archive';
import { renderArchiveReport } from '../report/archiveReport';
import { ReportSourceMissingError } from '../report/errors';
import { writeRunReport } from '../report/writeRunReport';
import type { RunStore } from '../storage';
import { RUN_ID_PATTERN } from '../storage';
import { parseCommand } from './args';
import type { CliIo } from './extract';
import { openLocalBucket } from './localBucket';

interface ReportFlags {
  runId?: string;
  archive?: boolean;
  uid?: string;
  dataDir: string;
  out?: string;
}

/** The report asked for, written: where it went, its size and its render time. */
interface Written {
  html: string;
  bytes: number;
  renderMs: number;
  out: string;
  /** Where the bucket keeps it (a run's report only: the archive's is rendered on request). */
  key?: string;
}

async function runReport(store: RunStore, runId: string, out: string | undefined): Promise<Written> {
  const written = await writeRunReport(store, runId);
  return {
    ...written,
    html: (await store.getText(written.key))!,
    out: out ?? join('out', runId, 'report.html'),
  };
}

async function archiveReport(store: RunStore, uid: string | undefined, out: string | undefined) {
  const rendered = await renderArchiveReport(store, uid);
  return { ...rendered, out: out ?? join('out', `archive-${rendered.uid}`, 'report.html') };
}

/**
 * `report --run-id R`: writes the run's report.html (charts and tables) beside its result and to --out.
 * `report --archive [--uid U]`: writes the archive's (orders per day with its gaps, fees, volume, realised PnL
 * and funding from its fills and ledger when it holds them) to --out.
 */
export async function runReportCommand(argv: string[], io: CliIo): Promise<number> {
  const command = new Command('report')
    .description(
      "write a run's report.html (orders per day, fees, volume, realised PnL, requests per second, stages), " +
        "or with --archive the archive's",
    )
    .option('--run-id <id>', 'the run', (v: string) => {
      if (!RUN_ID_PATTERN.test(v)) throw new InvalidArgumentError('expected 1-80 letters, digits, _ or -');
      return v;
    })
    .option('--archive', "the archive's report instead of a run's")
    .option('--uid <uid>', 'with --archive: the account (needed only when several are archived here)')
    .option('--data-dir <dir>', 'where the local S3 server keeps run state', '.data')
    .option(
      '--out <file>',
      'where to write the report (default out/<run id>/report.html, out/archive-<uid>/report.html)',
    );
  const parsed = parseCommand<ReportFlags>(command, argv, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const { runId, archive, uid, dataDir, out } = parsed.flags;
  if ((runId === undefined) === (archive === undefined)) {
    io.stderr.write('report: name one of --run-id <id> (a run) or --archive (the archive)\n');
    return 2;
  }
  if (uid !== undefined && !archive) {
    io.stderr.write('report: --uid names an archived account: use it with --archive\n');
    return 2;
  }
  const s3Dir = join(dataDir, 's3');
  if (!existsSync(s3Dir)) {
    io.stderr.write(
      `report: no run state in ${resolve(dataDir)} (expected ${resolve(s3Dir)}); check --data-dir\n`,
    );
    return 2;
  }
  const bucket = await openLocalBucket(dataDir);
  try {
    const written: Written =
      runId !== undefined
        ? await runReport(bucket.store, runId, out)
        : await archiveReport(bucket.store, uid, out);
    mkdirSync(dirname(written.out), { recursive: true });
    writeFileSync(written.out, written.html);
    io.stderr.write(
      `report: ${(written.bytes / 1024).toFixed(0)} KiB in ${written.renderMs.toFixed(0)} ms` +
        (written.key ? `, kept as ${written.key}` : '') +
        '\n',
    );
    io.stdout.write(`${written.out}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ReportSourceMissingError || err instanceof ArchiveNotFoundError) {
      io.stderr.write(`report: ${err.message} in ${resolve(dataDir)}\n`);
      return 2;
    }
    throw err;
  } finally {
    await bucket.close();
  }
}
