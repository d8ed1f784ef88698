/**
 * The archive part of the demo: a simulated season of syncs. The simulator holds `historyDays` of orders and
 * its clock starts `startDaysAgo` days back; a sync runs every `everyDays` days until now, then the archive is
 * checked order by order against the ground truth, its status printed, and the database compared with it.
 * `make demo` calls it after the extraction demo (the lead wires it into demo.ts).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { FILLS, LEDGER, ORDERS, archiveStatus, openArchive, readRecords, runSync } from '../archive';
import { DAY_MS } from '../bitget/endpoints';
import { createDatabase } from '../db';
import { countArchiveOrders } from '../db/archiveOrders';
import { startLocalStack } from '../runtime/localStack';
import { startSimulator } from '../sim';
import { archivedSpans } from '../verify/archiveCoverage';
import { FILL_CHECK, LEDGER_CHECK, verifyRecords } from '../verify/verifyRecords';
import { within } from './demoDatasets';
import { describe } from './sync';

export interface DemoArchiveOptions {
  dataDir: string;
  orders?: number;
  symbols?: number;
  seed?: number;
  historyDays?: number;
  startDaysAgo?: number;
  everyDays?: number;
  say?: (line: string) => void;
}

export interface DemoArchiveResult {
  syncs: number;
  orders: number;
  archived: number;
  mismatches: number;
  gaps: number;
  databaseRows: number;
  ok: boolean;
}

export async function demoArchive(options: DemoArchiveOptions): Promise<DemoArchiveResult> {
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const historyDays = options.historyDays ?? 240;
  const startDaysAgo = options.startDaysAgo ?? 180;
  const everyDays = options.everyDays ?? 30;
  rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(options.dataDir, { recursive: true });
  const sim = await startSimulator({
    seed: options.seed ?? 42,
    orders: options.orders ?? 5000,
    symbols: options.symbols ?? 8,
    days: historyDays,
    clockDaysAgo: startDaysAgo,
  });
  const stack = await startLocalStack({
    dataDir: options.dataDir,
    baseUrl: sim.url,
    credentials: sim.credentials,
  });
  const database = await createDatabase(`sqlite:${join(options.dataDir, 'archive.sqlite')}`);
  try {
    say(
      `Archive: ${historyDays} days of history, Bitget serves 90; the simulator's clock starts ${startDaysAgo} days ago, a sync every ${everyDays} days`,
    );
    let syncs = 0;
    for (let daysAgo = startDaysAgo; daysAgo >= 0; daysAgo -= everyDays) {
      if (syncs > 0) sim.clock.advance(everyDays * DAY_MS);
      const report = await runSync({
        store: stack.store,
        client: stack.client,
        engine: stack.engine,
        database,
      });
      syncs += 1;
      say(`  ${daysAgo} days ago: ${describe(report).replace(/^sync: /, '')}`);
    }
    const again = await runSync({ store: stack.store, client: stack.client, engine: stack.engine, database });
    say(`  again at once: ${describe(again).replace(/^sync: /, '')}`);

    const { archive, manifest } = await openArchive(stack.store);
    const byKey = new Map<string, unknown>();
    for await (const r of readRecords(archive, manifest, ORDERS)) byKey.set(ORDERS.key(r), r.raw);
    let orders = 0;
    let mismatches = 0;
    for await (const t of sim.truth()) {
      orders += 1;
      if (!isDeepStrictEqual(byKey.get(`${t.market}|${t.orderId}`), t.raw)) mismatches += 1;
    }
    const status = archiveStatus(manifest);
    const d = status.datasets['orders']!;
    const databaseRows = await countArchiveOrders(database, manifest.uid);
    say(
      `  status: ${d.records} orders, covered ${new Date(d.from!).toISOString()} to ${new Date(d.to!).toISOString()}, ${d.gaps.length} gaps`,
    );
    say(
      `  against the ground truth: ${orders} orders over ${historyDays} days, ${mismatches} missing or different; database rows ${databaseRows}`,
    );
    // Fills and the ledger: every record of the truth the archive says it covers, once, sorted, field for field.
    const spans = archivedSpans(manifest);
    const fills = await verifyRecords(
      FILL_CHECK,
      readRecords(archive, manifest, FILLS),
      within(sim.fillTruth(), spans.fill),
    );
    const ledger = await verifyRecords(
      LEDGER_CHECK,
      readRecords(archive, manifest, LEDGER),
      within(sim.ledgerTruth(), spans.ledger),
    );
    const tax = status.datasets['ledger']?.tax;
    for (const v of [fills, ledger])
      say(
        `  ${v.dataset} against the ground truth of the spans archived: ${v.received} of ${v.expected}, ` +
          `${v.missing} missing, ${v.unexpected} unexpected, ${v.duplicates} duplicated, ${v.mismatched} different` +
          (v === ledger && tax ? `; tax records from ${new Date(tax.from).toISOString()}` : ''),
      );
    const ok =
      mismatches === 0 &&
      byKey.size === orders &&
      databaseRows === orders &&
      again.nothingNew &&
      fills.ok &&
      ledger.ok;
    return { syncs, orders, archived: byKey.size, mismatches, gaps: d.gaps.length, databaseRows, ok };
  } finally {
    await Promise.allSettled([database.close(), stack.close(), sim.close()]);
  }
}
