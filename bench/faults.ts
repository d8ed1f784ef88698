/**
 * `make faults`: the fault campaign. Every case runs against the simulator (in its own process) on one small
 * classic account and is compared order by order with the ground truth. Writes bench/results/faults.json and
 * the Markdown table (also in bench/results/README.md).
 *
 * Environment: FAULTS_ORDERS (account size, default 10 000), FAULTS_ONLY (comma-separated case names).
 */
import type { LatencySpec } from '../src/sim';
import { machineInfo } from './lib/machine';
import type { Column } from './lib/markdownTable';
import { markdownTable } from './lib/markdownTable';
import { log, writeResult } from './lib/results';
import { startBenchSim } from './lib/sim';
import { writeReadme } from './resultsReadme';
import { collectorKillCase } from './scenarios/faults/collectorKillCase';
import type { CampaignContext, FaultCaseResult } from './scenarios/faults/faultCaseResult';
import { inProcessCase } from './scenarios/faults/inProcessCase';
import { FAULT_FREE, INJECTED_FAULTS } from './scenarios/faults/injectedFaults';
import { killResumeCase } from './scenarios/faults/killResumeCase';

const ORDERS = Number(process.env['FAULTS_ORDERS'] ?? '10000');
const KILL_ORDERS = Number(process.env['FAULTS_KILL_ORDERS'] ?? '60000');
const ONLY = process.env['FAULTS_ONLY']?.split(',');
/** Modest latency for the campaign: 25 ms median, 150 ms p99. */
const LATENCY: LatencySpec = { medianMs: 25, p99Ms: 150 };

const faultColumns: Column<FaultCaseResult>[] = [
  ['case', (r) => r.case],
  ['fault', (r) => r.fault],
  ['outcome', (r) => r.outcome],
  ['attempts', (r) => r.attempts],
  ['truth', (r) => r.ordersTruth],
  ['out', (r) => r.ordersOut],
  ['lost', (r) => r.lost],
  ['dup', (r) => r.duplicates],
  ['false success', (r) => r.falseSuccesses],
  ['time s', (r) => (r.wallMs / 1000).toFixed(1)],
  ['vs fault-free', (r) => (r.timeVsFaultFree !== null ? `${r.timeVsFaultFree}×` : '–')],
  ['requests', (r) => r.requests],
  ['retries', (r) => r.retries],
  ['first error (resumable)', (r) => (r.firstError ? r.firstError.replace(/\|/g, '/').slice(0, 140) : '–')],
  ['ok', (r) => r.ok],
];

export function faultsMarkdown(results: FaultCaseResult[]): string {
  return markdownTable(faultColumns, results);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const machine = machineInfo();
  const account = { seed: 77, orders: ORDERS, symbols: 24, days: 90, mode: 'classic' as const };
  log(`make faults: ${ORDERS} orders, latency ${JSON.stringify(LATENCY)}`);
  const sim = await startBenchSim({ ...account, latency: LATENCY });
  const ctx: CampaignContext = { sim, latency: LATENCY, faultFreeMs: null };
  const results: FaultCaseResult[] = [];
  const want = (name: string) => !ONLY || ONLY.includes(name) || name === 'fault-free';
  const save = () => {
    const markdown = faultsMarkdown(results);
    writeResult('faults', {
      scenario: 'faults',
      machine,
      account: { ...account, latency: LATENCY },
      results,
      allOk: results.every((r) => r.ok),
      markdown,
    });
    writeReadme();
  };
  try {
    const ff = await inProcessCase(ctx, FAULT_FREE);
    ctx.faultFreeMs = ff.wallMs;
    ff.timeVsFaultFree = 1;
    results.push(ff);
    save();
    for (const c of INJECTED_FAULTS) {
      if (!want(c.name)) continue;
      results.push(await inProcessCase(ctx, c));
      save();
    }
    if (want('kill-resume')) {
      // A larger account (in its own simulator process) so that the kill points land inside the extraction.
      const big = await startBenchSim({ ...account, seed: 78, orders: KILL_ORDERS, latency: LATENCY });
      try {
        results.push(
          await killResumeCase(
            { sim: big, latency: LATENCY, faultFreeMs: null },
            {
              kills: 14,
              minKillsInside: 10,
              minMs: 1500,
              maxShare: 0.15,
              seed: 42,
              budgetMs: 1000,
              maxAttempts: 40,
            },
          ),
        );
      } finally {
        await big.close();
      }
      save();
    }
    if (want('collector-kill')) {
      results.push(await collectorKillCase({ orders: 300_000, parts: 40, kills: 3, seed: 7 }));
      save();
    }
  } finally {
    await sim.close();
  }
  log(
    `make faults: ${results.filter((r) => r.ok).length}/${results.length} ok in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  console.log(faultsMarkdown(results));
  if (!results.every((r) => r.ok)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
