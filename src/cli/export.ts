/**
 * `export [--data-dir DIR] [--run-id R] [--uid UID] --dataset orders --format jsonl|csv|parquet [--since T]
 * [--until T] --out FILE`: the archive (or run R's result) or a slice of it, sorted, to FILE.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ArchiveNotFoundError, ORDERS, openArchive, readRecords } from '../archive';
import { EXPORT_FORMATS, ExportError, writeOrders, type ExportFormat } from '../archive/exportFormats';
import type { CanonicalOrder } from '../core/order';
import { RUN_ID_PATTERN, resultKeys } from '../storage/keys';
import type { RunStore } from '../storage/RunStore';
import { parseCommand, parseTimeArg } from './args';
import type { CliIo } from './extract';
import { openLocalBucket } from './localBucket';

interface ExportFlags {
  dataDir: string;
  runId?: string;
  uid?: string;
  dataset: string;
  format: string;
  since?: number;
  until?: number;
  out: string;
}

const DATASETS = ['orders', 'fills', 'ledger'];

export async function runExportCommand(argv: string[], io: CliIo): Promise<number> {
  const command = new Command('export')
    .description('write the archive (or a run’s result), or a slice of it, sorted, to a file')
    .option('--data-dir <dir>', 'where the local bucket lives', '.data')
    .option('--run-id <id>', 'export this run’s result instead of the archive', (v: string) => {
      if (!RUN_ID_PATTERN.test(v)) throw new InvalidArgumentError('expected 1-80 letters, digits, _ or -');
      return v;
    })
    .option('--uid <uid>', 'the account (needed only when several are archived here)')
    .requiredOption('--dataset <name>', DATASETS.join('|'))
    .requiredOption('--format <format>', EXPORT_FORMATS.join('|'))
    .option('--since <time>', 'from, inclusive (epoch ms or ISO date)', parseTimeArg)
    .option('--until <time>', 'to, exclusive (epoch ms or ISO date)', parseTimeArg)
    .requiredOption('--out <file>', 'the file to write');
  const parsed = parseCommand<ExportFlags>(command, argv, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const flags = parsed.flags;
  if (!DATASETS.includes(flags.dataset)) {
    io.stderr.write(
      `export: --dataset must be one of ${DATASETS.join(', ')} (got ${JSON.stringify(flags.dataset)})\n`,
    );
    return 2;
  }
  if (flags.dataset !== 'orders') {
    io.stderr.write(`export: the ${flags.dataset} data set is not archived yet (only orders are)\n`);
    return 2;
  }
  if (!(EXPORT_FORMATS as readonly string[]).includes(flags.format)) {
    io.stderr.write(
      `export: --format must be one of ${EXPORT_FORMATS.join(', ')} (got ${JSON.stringify(flags.format)})\n`,
    );
    return 2;
  }
  if (flags.since !== undefined && flags.until !== undefined && flags.since >= flags.until) {
    io.stderr.write('export: --since must be before --until\n');
    return 2;
  }
  const bucket = await openLocalBucket(flags.dataDir);
  try {
    const slice = {
      ...(flags.since !== undefined ? { since: flags.since } : {}),
      ...(flags.until !== undefined ? { until: flags.until } : {}),
    };
    let records: AsyncIterable<CanonicalOrder>;
    if (flags.runId) {
      const key = resultKeys(flags.runId).ordersJsonl;
      if (!(await bucket.store.exists(key))) {
        io.stderr.write(`export: run ${flags.runId} has no result in ${flags.dataDir}\n`);
        return 1;
      }
      records = runRecords(bucket.store, key, slice);
    } else {
      const { archive, manifest } = await openArchive(bucket.store, flags.uid);
      records = readRecords(archive, manifest, ORDERS, slice);
    }
    const n = await writeOrders(flags.format as ExportFormat, records, flags.out);
    io.stderr.write(`export: ${n} orders written to ${flags.out} (${flags.format})\n`);
    io.stdout.write(`${flags.out}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ArchiveNotFoundError || err instanceof ExportError) {
      io.stderr.write(`export: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await bucket.close();
  }
}

async function* runRecords(store: RunStore, key: string, slice: { since?: number; until?: number }) {
  for await (const line of store.readLines(key)) {
    if (line === '') continue;
    const o = ORDERS.parse(line);
    if (
      (slice.since === undefined || o.cTime >= slice.since) &&
      (slice.until === undefined || o.cTime < slice.until)
    )
      yield o;
  }
}
