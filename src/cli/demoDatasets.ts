/**
 * The demo's checks of fills and the ledger: each result file against the simulator's truth over the range the
 * run asked it for (fills and bills: the orders' 90 days; tax records: the part before them), and one export of
 * each format through the `export` command.
 */
import { join } from 'node:path';
import { accountHasBills } from '../bitget/datasetSources';
import type { RunOutput } from '../core/engine';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { RunSummary } from '../extraction/runSummary';
import type { Simulator } from '../sim';
import type { RunStore } from '../storage/RunStore';
import { describeRecordMismatches, FILL_CHECK, LEDGER_CHECK, verifyRecords } from '../verify/verifyRecords';
import type { RecordVerification } from '../verify/verifyRecords';
import type { CliIo } from './extract';
import { runExportCommand } from './export';

async function* linesOf<T>(store: RunStore, key: string): AsyncGenerator<T> {
  for await (const line of store.readLines(key)) if (line !== '') yield JSON.parse(line) as T;
}

/** The records of a truth a check compares with (those the result or the archive says it covers). */
export async function* within<T>(all: AsyncIterable<T>, keep: (t: T) => boolean): AsyncGenerator<T> {
  for await (const t of all) if (keep(t)) yield t;
}

function describe<F extends string>(v: RecordVerification<F>): string[] {
  return [
    `${v.dataset}: ${v.received}/${v.expected}, ${v.missing} missing, ${v.duplicates} duplicates, ${v.unexpected} unexpected, ` +
      `${v.unsorted} out of order, ${v.alteredRaw} with altered raw fields, ${v.mismatched} with fields unlike the truth ` +
      `-> ${v.ok ? 'OK (100%)' : 'FAILED'}`,
    ...describeRecordMismatches(v).map((l) => `  fields: ${l}`),
    ...v.examples.map((e) => `  ${e}`),
  ];
}

/** Fills and ledger of a run checked against the truth; lines to print and whether both are right. */
export async function verifyDatasets(
  store: RunStore,
  output: RunOutput,
  summary: RunSummary,
  sim: Pick<Simulator, 'fillTruth' | 'ledgerTruth'>,
): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  const fills = summary.datasets.fills?.served;
  if (output.fillsJsonlKey && fills) {
    const v = await verifyRecords(
      FILL_CHECK,
      linesOf<CanonicalFill>(store, output.fillsJsonlKey),
      within(sim.fillTruth(), (f) => f.cTime >= fills.since && f.cTime < fills.until),
    );
    ok &&= v.ok;
    lines.push(...describe(v));
  }
  const ledger = summary.datasets.ledger;
  const billsSince = summary.served?.since;
  if (output.ledgerJsonlKey && ledger?.served && billsSince !== undefined) {
    const { until } = ledger.served;
    const taxSince = ledger.taxSince ?? billsSince;
    const v = await verifyRecords(
      LEDGER_CHECK,
      linesOf<CanonicalLedgerEntry>(store, output.ledgerJsonlKey),
      within(sim.ledgerTruth(), (e) =>
        e.source === 'bills'
          ? e.cTime >= billsSince && e.cTime < until
          : // margin and P2P have no bills: their tax records are asked to the end of the range
            e.cTime >= taxSince && e.cTime < (accountHasBills(e.account) ? billsSince : until),
      ),
    );
    ok &&= v.ok;
    lines.push(...describe(v));
  }
  return { ok, lines };
}

/**
 * The reconciliation, with the one discrepancy a range implies explained by the truth: an order created before
 * the served range is not served, but its later fills are, so it shows as fills without an order. OK only when
 * every other class is 0 and each such order is confirmed by the truth as created before the range.
 */
export async function explainReconciliation(
  summary: RunSummary,
  sim: Pick<Simulator, 'truth' | 'fillTruth'>,
): Promise<{ ok: boolean; lines: string[] }> {
  const r = summary.accounting?.reconciliation;
  const served = summary.served;
  if (!r || !served) return { ok: true, lines: [] };
  const created = new Map<string, number>();
  for await (const o of sim.truth()) created.set(`${o.market}|${o.orderId}`, o.cTime);
  const before = new Set<string>();
  for await (const f of sim.fillTruth()) {
    const key = `${f.market}|${f.orderId}`;
    if (f.cTime >= served.since && f.cTime < served.until && (created.get(key) ?? Infinity) < served.since)
      before.add(key);
  }
  const explained =
    r.fillsWithoutOrder.count === before.size &&
    r.fillsWithoutOrder.first.every((f) => before.has(`${f.market}|${f.orderId}`));
  const others = r.discrepancies - r.fillsWithoutOrder.count;
  const ok = explained && others === 0;
  return {
    ok,
    lines: [
      `reconciliation: ${r.discrepancies} discrepancies: ${r.fillsWithoutOrder.count} orders with fills but created before ` +
        `the served range (the truth lists ${before.size}), ${others} other -> ${ok ? 'OK' : 'FAILED'}`,
      ...r.ordersWithoutFills.first.map(
        (o) => `  order without fills: ${o.market} ${o.orderId} (${o.status}, baseVolume ${o.baseVolume})`,
      ),
    ],
  };
}

/** What each export format is shown with: one data set it takes. */
const DEMO_EXPORTS = [
  { dataset: 'orders', format: 'csv', file: 'orders.csv' },
  { dataset: 'fills', format: 'parquet', file: 'fills.parquet' },
  { dataset: 'ledger', format: 'jsonl', file: 'ledger.export.jsonl' },
  { dataset: 'fills', format: 'koinly', file: 'fills.koinly.csv' },
  { dataset: 'ledger', format: 'cointracking', file: 'ledger.cointracking.csv' },
] as const;

/**
 * One export of each format from run `runId`'s result, through the `export` command (its own local S3 server
 * over `dataDir`: the run's stack must be closed). Returns the lines it said and whether every export succeeded.
 */
export async function demoExports(
  dataDir: string,
  runId: string,
  outDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  for (const e of DEMO_EXPORTS) {
    let said = '';
    const sink = { write: (chunk: string) => ((said += chunk), true) } as unknown as NodeJS.WriteStream;
    const io: CliIo = { stdout: sink, stderr: sink, env };
    const out = join(outDir, e.file);
    const code = await runExportCommand(
      ['--data-dir', dataDir, '--run-id', runId, '--dataset', e.dataset, '--format', e.format, '--out', out],
      io,
    );
    ok &&= code === 0;
    const message = said
      .split('\n')
      .filter((l) => l.startsWith('export: '))
      .map((l) => l.slice('export: '.length))
      .join('; ');
    lines.push(`${e.format} (${e.dataset}): ${code === 0 ? message : `FAILED (exit ${code}): ${message}`}`);
  }
  return { ok, lines };
}
