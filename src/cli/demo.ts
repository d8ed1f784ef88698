import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { DAY_MS } from '../bitget/endpoints';
import { parseExtractionRequest } from '../core/request';
import { countOrders, createDatabase, importRun } from '../db';
import { runLocalExtraction } from '../runtime/runExtraction';
import { startSimulator } from '../sim';
import { describeFieldMismatches, readResultOrders, verifyAgainstTruth } from '../verify/verifyAgainstTruth';
import { parseCommand, parseIntArg } from './args';
import type { CliIo } from './extract';
import { endpointOfLane } from './extract';
import { ProgressReporter } from './progress';
import { formatRunReport } from './report';
import { demoArchive } from './demoArchive';
import { demoExports, explainReconciliation, verifyDatasets } from './demoDatasets';
import { downloadResults } from './results';

interface DemoFlags {
  orders: number;
  symbols: number;
  seed: number;
  mode: 'classic' | 'uta';
  latencyMs: number;
  dataDir: string;
  out: string;
  archive: boolean;
}

/**
 * `demo`: the simulator with a realistic account, the full extraction of orders, fills and ledger through the
 * local state machine, a check of every record against the simulator's ground truth, the reconciliation and
 * totals, the import into a SQLite file, and one export of each format.
 * Exit 0 only when every check passes.
 */
export async function runDemoCommand(argv: string[], io: CliIo): Promise<number> {
  const command = new Command('demo')
    .description('simulator + full extraction + check against the ground truth + database import')
    .option('--orders <n>', 'orders in the simulated account', parseIntArg(1), 20_000)
    .option('--symbols <n>', 'base coins traded', parseIntArg(1), 30)
    .option('--seed <n>', 'account seed', parseIntArg(0), 42)
    .option('--mode <mode>', 'classic or uta', 'classic')
    .option('--latency-ms <n>', 'median simulated latency', parseIntArg(0), 60)
    .option('--data-dir <dir>', 'where the demo keeps its S3 objects and database', '.data/demo')
    .option('--out <dir>', 'where the result files are written', 'out/demo')
    .option('--no-archive', 'skip step 6, the simulated season of archive syncs');
  const parsed = parseCommand<DemoFlags>(command, argv, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const flags = parsed.flags;
  if (flags.mode !== 'classic' && flags.mode !== 'uta') {
    io.stderr.write('demo: --mode must be classic or uta\n');
    return 2;
  }
  const say = (line: string) => io.stdout.write(`${line}\n`);

  rmSync(flags.dataDir, { recursive: true, force: true });
  mkdirSync(flags.dataDir, { recursive: true });
  const t0 = Date.now();
  const sim = await startSimulator({
    seed: flags.seed,
    orders: flags.orders,
    symbols: flags.symbols,
    mode: flags.mode,
    latency: { medianMs: flags.latencyMs, p99Ms: flags.latencyMs * 5 },
    days: DEMO_HISTORY_DAYS,
  });
  say(
    `1. Simulator: ${flags.orders} orders over ${DEMO_HISTORY_DAYS} days, ${flags.symbols} coins, ${flags.mode} account, ${sim.url}`,
  );
  say(
    `   latency median ${flags.latencyMs} ms, Bitget's documented rate limits enforced (${Date.now() - t0} ms to start)`,
  );

  const progress = new ProgressReporter(io.stderr);
  const t1 = Date.now();
  let run;
  try {
    run = await runLocalExtraction({
      dataDir: flags.dataDir,
      baseUrl: sim.url,
      credentials: sim.credentials,
      // The whole history: orders, fills and bills over the 90 days Bitget serves them, tax records before.
      request: parseExtractionRequest({ since: sim.clock.now() - DEMO_HISTORY_DAYS * DAY_MS }),
      runId: 'demo',
      onProgress: progress.update,
      onStage: progress.stage,
      onStart: ({ stack }) =>
        progress.setRates((laneId) => {
          const endpoint = endpointOfLane(laneId);
          return endpoint ? stack.client.rateLimit(endpoint) : undefined;
        }),
    });
  } finally {
    progress.stop();
  }
  const extractMs = Date.now() - t1;
  const simStats = sim.stats();
  let checksOk: boolean;
  try {
    const { execution, summary } = run;
    if (execution.status !== 'SUCCEEDED' || !execution.output?.complete || !summary) {
      say(
        `2. Extraction FAILED (${execution.status}): ${summary?.failure?.cause ?? execution.cause ?? 'unknown'}`,
      );
      return 1;
    }
    const output = execution.output;
    for (const [i, line] of formatRunReport({ summary, output, elapsedMs: extractMs }).entries())
      say(i === 0 ? `2. ${line}` : line);

    // Orders older than the 90 days are not served: the truth over the range the run was served.
    const served = summary.served ?? { since: 0, until: Infinity };
    const v = await verifyAgainstTruth(
      readResultOrders(run.stack.store, output.ordersJsonlKey),
      servedTruth(sim.truth(), served),
      summary.order,
    );
    say(
      `3. Verification against the ground truth: ${v.received}/${v.expected} orders, ${v.missing} missing, ${v.duplicates} duplicates, ` +
        `${v.unexpected} unexpected, ${v.unsorted} out of order, ${v.alteredRaw} with altered raw fields, ` +
        `${v.mismatched} with canonical fields unlike the truth -> ${v.ok ? 'OK (100%)' : 'FAILED'}`,
    );
    for (const line of describeFieldMismatches(v)) say(`   fields: ${line}`);
    for (const e of v.examples) say(`   ${e}`);
    const datasets = await verifyDatasets(run.stack.store, output, summary, sim);
    for (const line of datasets.lines) say(`   ${line}`);
    const reconciled = await explainReconciliation(summary, sim);
    for (const line of reconciled.lines) say(`   ${line}`);

    const files = await downloadResults(run.stack.store, output, flags.out);
    say(`4. Result files: ${files.map((f) => resolve(f)).join(', ')}`);

    const dbFile = join(flags.dataDir, 'bitget-orders.sqlite');
    const db = await createDatabase(`sqlite:${dbFile}`);
    let dbOk = false;
    try {
      const t2 = Date.now();
      const arn = execution.executionArn;
      const imported = await importRun(db, run.stack.store.s3, {
        ...output,
        executionArn: arn,
        name: execution.name,
      });
      const again = await importRun(db, run.stack.store.s3, {
        ...output,
        executionArn: arn,
        name: execution.name,
      });
      const rows = await countOrders(db, arn);
      dbOk = rows === output.orders && again.insertedNow === 0;
      say(
        `5. Database: ${imported.importedOrders} orders imported into ${resolve(dbFile)} in ${Date.now() - t2} ms; ` +
          `re-import added ${again.insertedNow}; ${rows} rows -> ${dbOk ? 'OK' : 'FAILED'}`,
      );
    } finally {
      await db.close();
    }
    say(
      `   simulator served ${Object.values(simStats.served).reduce((a, b) => a + (b ?? 0), 0)} requests, refused ${countRefused(simStats.refused)}`,
    );
    let archiveOk = true;
    if (flags.archive) {
      const archiveDir = join(flags.dataDir, 'archive');
      let first = true;
      const season = await demoArchive({
        dataDir: archiveDir,
        seed: flags.seed,
        say: (line) => {
          say(first ? `6. ${line}` : `   ${line.trim()}`);
          first = false;
        },
      });
      archiveOk = season.ok;
      say(
        `   ${season.syncs} syncs kept ${season.archived} of ${season.orders} orders although Bitget serves 90 days; ` +
          `${season.mismatches} missing or different, ${season.gaps} gaps, ${season.databaseRows} database rows -> ` +
          `${archiveOk ? 'OK' : 'FAILED'} (${resolve(archiveDir)})`,
      );
    }
    checksOk = v.ok && datasets.ok && reconciled.ok && dbOk && archiveOk;
  } finally {
    await run.stack.close();
    await sim.close();
  }
  // The export command opens the data directory's bucket itself: after the run's stack is closed.
  const exports = await demoExports(flags.dataDir, 'demo', flags.out, io.env);
  for (const [i, line] of exports.lines.entries()) say(i === 0 ? `7. Exports: ${line}` : `   ${line}`);
  return checksOk && exports.ok ? 0 : 1;
}

/** The simulated account's history: its oldest 30 days are older than Bitget serves orders, fills and bills. */
const DEMO_HISTORY_DAYS = 120;

async function* servedTruth<T extends { cTime: number }>(
  truth: AsyncIterable<T>,
  served: { since: number; until: number },
): AsyncGenerator<T> {
  for await (const t of truth) if (t.cTime >= served.since && t.cTime < served.until) yield t;
}

function countRefused(refused: Record<string, Partial<Record<string, number>>>): number {
  let n = 0;
  for (const r of Object.values(refused)) for (const v of Object.values(r)) n += v ?? 0;
  return n;
}
