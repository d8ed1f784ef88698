/**
 * `make faults`: the fault campaign. Every case runs against the simulator (in its own process) on one small
 * classic account and is compared order by order with the ground truth. Writes bench/results/faults.json and
 * the Markdown table (also in bench/results/README.md).
 *
 * Environment: FAULTS_ORDERS (account size, default 10 000), FAULTS_ONLY (comma-separated case names).
 */
import type { LatencySpec } from '../src/sim';
import { machineInfo } from './lib/machine';
import { log, table, writeResult } from './lib/results';
import { startBenchSim } from './lib/sim';
import { writeReadme } from './run';
import type { CampaignContext, FaultCaseResult } from './scenarios/faultCases';
import { collectorKillCase, inProcessCase, killResumeCase } from './scenarios/faultCases';

const ORDERS = Number(process.env['FAULTS_ORDERS'] ?? '10000');
const KILL_ORDERS = Number(process.env['FAULTS_KILL_ORDERS'] ?? '60000');
const ONLY = process.env['FAULTS_ONLY']?.split(',');
/** Modest latency for the campaign: 25 ms median, 150 ms p99. */
const LATENCY: LatencySpec = { medianMs: 25, p99Ms: 150 };

export function faultsMarkdown(results: FaultCaseResult[]): string {
  return table(
    [
      'case',
      'fault',
      'outcome',
      'attempts',
      'truth',
      'out',
      'lost',
      'dup',
      'false success',
      'time s',
      'vs fault-free',
      'requests',
      'retries',
      'first error (resumable)',
      'ok',
    ],
    results.map((r) => [
      r.case,
      r.fault,
      r.outcome,
      r.attempts,
      r.ordersTruth,
      r.ordersOut,
      r.lost,
      r.duplicates,
      r.falseSuccesses,
      (r.wallMs / 1000).toFixed(1),
      r.timeVsFaultFree !== null ? `${r.timeVsFaultFree}×` : '–',
      r.requests,
      r.retries,
      r.firstError ? r.firstError.replace(/\|/g, '/').slice(0, 140) : '–',
      r.ok,
    ]),
  );
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
    const ff = await inProcessCase(ctx, { name: 'fault-free', fault: 'none (reference time)', faults: {} });
    ctx.faultFreeMs = ff.wallMs;
    ff.timeVsFaultFree = 1;
    results.push(ff);
    save();
    const cases: Parameters<typeof inProcessCase>[1][] = [
      { name: '5xx-10pct', fault: 'HTTP 500/502/503 on 10 % of requests', faults: { serverErrorRate: 0.1 } },
      { name: 'resets-5pct', fault: 'connection reset on 5 % of requests', faults: { resetRate: 0.05 } },
      {
        name: '429-storms',
        fault: '429 storms: 1 % of requests start a 2 s storm in which every request is refused',
        faults: { stormRate: 0.01, stormMs: 2000 },
      },
      {
        name: 'timeouts',
        fault:
          '3 % of requests hang 8 s, past the client timeout (set to 3 s for the campaign; default 15 s)',
        faults: { timeoutRate: 0.03, timeoutMs: 8000 },
        client: { timeoutMs: 3000 },
      },
      {
        name: 'malformed-5pct',
        fault: 'HTTP 200 with the body cut in half on 5 % of requests',
        faults: { malformedRate: 0.05 },
      },
      {
        name: 'mixed-10pct',
        fault: 'every fault at once: 5xx 4 %, reset 2 %, malformed 2 %, timeout 1.8 %, storm starts 0.2 %',
        faults: {
          serverErrorRate: 0.04,
          resetRate: 0.02,
          malformedRate: 0.02,
          timeoutRate: 0.018,
          timeoutMs: 8000,
          stormRate: 0.002,
          stormMs: 1000,
        },
        client: { timeoutMs: 3000 },
      },
      {
        name: 'budget-2s',
        fault: 'processor time budget cut to 2 000 ms (the state machine loops every lane many times)',
        faults: {},
        invocationBudgetMs: 2000,
      },
      {
        name: 'exchange-down',
        fault:
          'exchange answers 5xx to every request from 3 s into the run: the run must stop, never succeed; resumed with the same run id once it is back',
        faults: { serverErrorRate: 1 },
        faultsAfterMs: 3000,
        maxAttempts: 2,
        clearFaultsBeforeResume: true,
      },
    ];
    for (const c of cases) {
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
