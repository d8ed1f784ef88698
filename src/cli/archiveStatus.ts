/**
 * `archive status [--data-dir DIR] [--uid UID] [--json]`: coverage and gaps of the archive, and the accounting
 * totals when it holds fills or a ledger. With --json, one object on stdout:
 * {"uid","datasets":{"orders":{"records","from","to","gaps":[{"stream","from","to"}]},"ledger":{…,"tax"}},
 * "lastSync","totals"}.
 */
import { Command } from 'commander';
import type { Totals } from '../accounting/totals';
import { ArchiveNotFoundError, archiveStatusWithTotals, openArchive } from '../archive';
import { parseCommand } from './args';
import type { CliIo } from './extract';
import { openLocalBucket } from './localBucket';

interface StatusFlags {
  dataDir: string;
  uid?: string;
  json?: boolean;
}

export async function runArchiveCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'status') {
    io.stderr.write(`archive: unknown subcommand ${JSON.stringify(sub ?? '')} (expected: status)\n`);
    return 2;
  }
  const command = new Command('archive status')
    .description("the archive's coverage per data set and stream, and its gaps")
    .option('--data-dir <dir>', 'where the local bucket lives', '.data')
    .option('--uid <uid>', 'the account (needed only when several are archived here)')
    .option('--json', 'one JSON object on stdout');
  const parsed = parseCommand<StatusFlags>(command, rest, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const flags = parsed.flags;
  const bucket = await openLocalBucket(flags.dataDir);
  try {
    const { archive, manifest } = await openArchive(bucket.store, flags.uid);
    const status = await archiveStatusWithTotals(archive, manifest);
    if (flags.json) {
      io.stdout.write(JSON.stringify(status) + '\n');
      return 0;
    }
    const lines = [`account ${status.uid}, last sync ${iso(status.lastSync)}`];
    for (const [name, d] of Object.entries(status.datasets)) {
      lines.push(
        `${name}: ${d.records} records, covered ${iso(d.from)} to ${iso(d.to)}, ${d.gaps.length} gaps`,
      );
      if (d.tax !== undefined)
        lines.push(
          d.tax
            ? `  tax records reach back to ${iso(d.tax.from)} (covered to ${iso(d.tax.to)})`
            : '  no tax records synced yet',
        );
      for (const g of d.gaps) lines.push(`  gap ${g.stream}: ${iso(g.from)} to ${iso(g.to)}`);
      const streams = manifest.datasets[name]!.streams;
      for (const [stream, span] of Object.entries(streams))
        lines.push(`  ${stream}: ${iso(span.from)} to ${iso(span.to)}`);
    }
    if (status.totals) lines.push(...totalsLines(status.totals));
    io.stdout.write(lines.join('\n') + '\n');
    return 0;
  } catch (err) {
    if (err instanceof ArchiveNotFoundError) {
      io.stderr.write(`archive status: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await bucket.close();
  }
}

/** The totals as text: one line per coin, per symbol, per settle coin. */
function totalsLines(totals: Totals): string[] {
  const lines = ['totals:'];
  const fees = Object.entries(totals.feesPaid);
  lines.push(`  fees paid: ${fees.length ? fees.map(([coin, fee]) => `${fee} ${coin}`).join(', ') : 'none'}`);
  for (const [market, bySymbol] of Object.entries(totals.volume))
    for (const [symbol, v] of Object.entries(bySymbol))
      lines.push(`  volume ${market} ${symbol}: ${v.fills} fills, ${v.base} base, ${v.quote} quote`);
  for (const [market, bySymbol] of Object.entries(totals.realisedPnl.bySymbol))
    for (const [symbol, p] of Object.entries(bySymbol))
      lines.push(`  realised PnL ${market} ${symbol}: ${p.profit} ${p.settleCoin}`);
  for (const [coin, profit] of Object.entries(totals.realisedPnl.total))
    lines.push(`  realised PnL total: ${profit} ${coin}`);
  for (const [source, byCoin] of Object.entries(totals.funding))
    for (const [coin, f] of Object.entries(byCoin))
      lines.push(`  funding (${source}) ${coin}: paid ${f.paid}, received ${f.received}, net ${f.net}`);
  return lines;
}

const iso = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());
