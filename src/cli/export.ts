/**
 * `export [--data-dir DIR] [--run-id R] [--uid UID] --dataset orders|fills|ledger
 * --format jsonl|csv|parquet|koinly|cointracking [--since T] [--until T] --out FILE`: the archive (or run R's
 * result) or a slice of it, sorted, to FILE.
 */
import { Command, InvalidArgumentError } from 'commander';
import { UnknownSymbolError } from '../accounting/coins';
import { RecordLineError, parseFillLine, parseLedgerLine } from '../accounting/recordLines';
import { fillTaxEvents, ledgerTaxEvents, newLedgerExportTally } from '../accounting/taxExport';
import {
  ArchiveNotFoundError,
  DATASETS,
  ORDERS,
  openArchive,
  readRecords,
  type DatasetSpec,
} from '../archive';
import type { ArchiveStore } from '../archive/ArchiveStore';
import { billsCoverage } from '../archive/datasetStreams';
import { ArchiveRecordError } from '../archive/errors';
import {
  EXPORT_FORMATS,
  ExportError,
  FORMAT_DATASETS,
  TABLES,
  TAX_FORMATS,
  writeTable,
  writeTaxCsv,
  type ExportFormat,
  type TableFormat,
  type TaxFormat,
} from '../archive/exportFormats';
import type { Manifest } from '../archive/manifest';
import { DATASET_NAMES, type DatasetName } from '../core/dataset';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
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

interface TimeSlice {
  since?: number;
  until?: number;
}

/** A data set named on the command line is not in the source (the archive, or the run's result). */
class DatasetMissingError extends Error {
  override readonly name = 'DatasetMissingError';
}

interface RecordTypes {
  orders: CanonicalOrder;
  fills: CanonicalFill;
  ledger: CanonicalLedgerEntry;
}

/** Where the records come from: a run's result files or the account's archive. */
interface RecordSource {
  /** Fails with DatasetMissingError when the data set is not there. */
  check(dataset: DatasetName): Promise<void>;
  records<D extends DatasetName>(dataset: D, slice: TimeSlice): AsyncIterable<RecordTypes[D]>;
  /** Whether the bills cover a ledger entry's time (the archive: by its coverage); omitted for a run's result. */
  billsCover?: (entry: CanonicalLedgerEntry) => boolean;
}

/** `results/<run>/<dataset>.jsonl` (shared DESIGN.md: a run writes orders.jsonl, fills.jsonl, ledger.jsonl). */
const resultJsonlKey = (runId: string, dataset: DatasetName): string =>
  dataset === 'orders' ? resultKeys(runId).ordersJsonl : `results/${runId}/${dataset}.jsonl`;

const LINE_PARSERS: { [D in DatasetName]: (line: string) => RecordTypes[D] } = {
  orders: (line) => ORDERS.parse(line),
  fills: parseFillLine,
  ledger: parseLedgerLine,
};

function runSource(store: RunStore, runId: string, dataDir: string): RecordSource {
  return {
    async check(dataset) {
      if (!(await store.exists(resultJsonlKey(runId, dataset))))
        throw new DatasetMissingError(
          dataset === 'orders'
            ? `run ${runId} has no result in ${dataDir}`
            : `run ${runId} has no ${dataset} data set in ${dataDir} (no ${dataset}.jsonl in its result: was it run with --datasets ${dataset}?)`,
        );
    },
    async *records(dataset, slice) {
      const parse = LINE_PARSERS[dataset];
      for await (const line of store.readLines(resultJsonlKey(runId, dataset))) {
        if (line === '') continue;
        const r = parse(line);
        if (inSlice(r.cTime, slice)) yield r;
      }
    },
  };
}

function archiveSource(archive: ArchiveStore, manifest: Manifest): RecordSource {
  const specs: { [D in DatasetName]: DatasetSpec<RecordTypes[D]> } = DATASETS;
  return {
    async check(dataset) {
      if (!manifest.datasets[dataset])
        throw new DatasetMissingError(
          `the archive of account ${manifest.uid} has no ${dataset} data set (archived: ${Object.keys(manifest.datasets).join(', ') || 'none'})`,
        );
    },
    records(dataset, slice) {
      return readRecords(archive, manifest, specs[dataset], slice);
    },
    ...(manifest.datasets['ledger'] ? { billsCover: billsCoverage(manifest.datasets['ledger']) } : {}),
  };
}

const inSlice = (t: number, slice: TimeSlice) =>
  (slice.since === undefined || t >= slice.since) && (slice.until === undefined || t < slice.until);

export async function runExportCommand(argv: string[], io: CliIo): Promise<number> {
  const command = new Command('export')
    .description('write the archive (or a run’s result), or a slice of it, sorted, to a file')
    .option('--data-dir <dir>', 'where the local bucket lives', '.data')
    .option('--run-id <id>', 'export this run’s result instead of the archive', (v: string) => {
      if (!RUN_ID_PATTERN.test(v)) throw new InvalidArgumentError('expected 1-80 letters, digits, _ or -');
      return v;
    })
    .option('--uid <uid>', 'the account (needed only when several are archived here)')
    .requiredOption('--dataset <name>', DATASET_NAMES.join('|'))
    .requiredOption('--format <format>', EXPORT_FORMATS.join('|'))
    .option('--since <time>', 'from, inclusive (epoch ms or ISO date)', parseTimeArg)
    .option('--until <time>', 'to, exclusive (epoch ms or ISO date)', parseTimeArg)
    .requiredOption('--out <file>', 'the file to write');
  const parsed = parseCommand<ExportFlags>(command, argv, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const flags = parsed.flags;
  if (!(DATASET_NAMES as readonly string[]).includes(flags.dataset)) {
    io.stderr.write(
      `export: --dataset must be one of ${DATASET_NAMES.join(', ')} (got ${JSON.stringify(flags.dataset)})\n`,
    );
    return 2;
  }
  if (!(EXPORT_FORMATS as readonly string[]).includes(flags.format)) {
    io.stderr.write(
      `export: --format must be one of ${EXPORT_FORMATS.join(', ')} (got ${JSON.stringify(flags.format)})\n`,
    );
    return 2;
  }
  const dataset = flags.dataset as DatasetName;
  const format = flags.format as ExportFormat;
  if (!FORMAT_DATASETS[format].includes(dataset)) {
    io.stderr.write(
      `export: --format ${format} is not written for --dataset ${dataset} (${format} takes ${FORMAT_DATASETS[format].join(' or ')})\n`,
    );
    return 2;
  }
  if (flags.since !== undefined && flags.until !== undefined && flags.since >= flags.until) {
    io.stderr.write('export: --since must be before --until\n');
    return 2;
  }
  const bucket = await openLocalBucket(flags.dataDir);
  try {
    const slice: TimeSlice = { since: flags.since, until: flags.until };
    let source: RecordSource;
    if (flags.runId) source = runSource(bucket.store, flags.runId, flags.dataDir);
    else {
      const { archive, manifest } = await openArchive(bucket.store, flags.uid);
      source = archiveSource(archive, manifest);
    }
    await source.check(dataset);
    const written = (TAX_FORMATS as readonly string[]).includes(format)
      ? await writeTaxExport(format as TaxFormat, dataset, source, slice, flags.out)
      : { rows: await writeTableExport(format as TableFormat, dataset, source, slice, flags.out), note: '' };
    const what = (TAX_FORMATS as readonly string[]).includes(format) ? `rows from ${dataset}` : dataset;
    io.stderr.write(`export: ${written.rows} ${what} written to ${flags.out} (${format})${written.note}\n`);
    io.stdout.write(`${flags.out}\n`);
    return 0;
  } catch (err) {
    if (
      err instanceof ArchiveNotFoundError ||
      err instanceof ExportError ||
      err instanceof DatasetMissingError ||
      err instanceof UnknownSymbolError ||
      err instanceof RecordLineError ||
      err instanceof ArchiveRecordError
    ) {
      io.stderr.write(`export: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await bucket.close();
  }
}

function writeTableExport(
  format: TableFormat,
  dataset: DatasetName,
  source: RecordSource,
  slice: TimeSlice,
  out: string,
): Promise<number> {
  switch (dataset) {
    case 'orders':
      return writeTable(format, TABLES.orders, source.records('orders', slice), out);
    case 'fills':
      return writeTable(format, TABLES.fills, source.records('fills', slice), out);
    case 'ledger':
      return writeTable(format, TABLES.ledger, source.records('ledger', slice), out);
  }
}

async function writeTaxExport(
  format: TaxFormat,
  dataset: DatasetName,
  source: RecordSource,
  slice: TimeSlice,
  out: string,
): Promise<{ rows: number; note: string }> {
  if (dataset === 'fills')
    return { rows: await writeTaxCsv(format, fillTaxEvents(source.records('fills', slice)), out), note: '' };
  // the fills say which fee entries are already on a trade row
  try {
    await source.check('fills');
  } catch (err) {
    if (!(err instanceof DatasetMissingError)) throw err;
    throw new DatasetMissingError(
      `a ${format} export of the ledger needs the fills beside it, to leave out the fees their trade rows carry: ${err.message}`,
    );
  }
  const tally = newLedgerExportTally();
  const events = ledgerTaxEvents(
    {
      fills: source.records('fills', slice),
      ledger: () => source.records('ledger', slice),
      ...(source.billsCover ? { billsCover: source.billsCover } : {}),
    },
    tally,
  );
  const rows = await writeTaxCsv(format, events, out);
  const s = tally.skipped;
  return {
    rows,
    note: `; left out: ${s.trade} trade entries (the fills export carries the trades), ${s.feeOfAFill} fee entries on a fill's row, ${s.taxRecordCoveredByBills} tax records of a time the bills cover`,
  };
}
