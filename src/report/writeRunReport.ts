import { z } from 'zod';
import { computeTotals } from '../accounting/totals';
import type { Totals } from '../accounting/totals';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import { recordsWithoutRaw, wholeRecords } from '../core/recordHeader';
import type { LaneState } from '../extraction/runState';
import { laneStateSchema, runPlanSchema } from '../extraction/runState';
import type { RunStore } from '../storage/RunStore';
import { resultKeys, runKeys } from '../storage/keys';
import { ReportSourceMissingError } from './errors';
import { fillFigures, fundingFigures, totalsSchema } from './fillFigures';
import type { FillFigures, FundingFigure } from './fillFigures';
import { orderFigures } from './orderFigures';
import type { OrderFigureFields, OrderFigures } from './orderFigures';
import { renderReport } from './renderReport';
import { runFigures } from './runFigures';

/** The fields of summary.json a report reads; the rest of the summary is not its business. */
const summaryFields = z.object({
  runId: z.string(),
  complete: z.boolean(),
  mode: z.enum(['classic', 'uta']).nullable(),
  served: z.object({ since: z.number(), until: z.number() }).nullable(),
  notes: z.array(z.string()),
  orders: z.number(),
  requests: z.number(),
  retries: z.number(),
  http429: z.number(),
  timing: z.record(z.string(), z.number().nullable()),
  generatedAt: z.number(),
  /** Present (non-null) when orders, fills and ledger were all fetched; absent in summaries from before fills. */
  accounting: z.object({ totals: totalsSchema }).nullable().optional(),
});

export const reportKey = (runId: string) => resultKeys(runId).report;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * The fills' and the ledger's figures: the summary's totals when it has them, else summed from fills.jsonl and
 * ledger.jsonl (a run that fetched one of them without the other); each absent when the run did not fetch it
 * (orders only, or from before fills).
 */
async function accountingFiguresOf(
  store: RunStore,
  runId: string,
  summaryTotals: Totals | undefined,
): Promise<{ fills?: FillFigures; funding?: FundingFigure[] }> {
  const keys = resultKeys(runId);
  const hasFills = await store.exists(keys.fillsJsonl);
  const hasLedger = await store.exists(keys.ledgerJsonl);
  if (!hasFills && !hasLedger) return {};
  const totals =
    summaryTotals ??
    (await computeTotals({
      fills: hasFills ? wholeRecords<CanonicalFill>(store.readLines(keys.fillsJsonl)) : [],
      ledger: hasLedger
        ? recordsWithoutRaw<Omit<CanonicalLedgerEntry, 'raw'>>(store.readByteLineBatches(keys.ledgerJsonl))
        : [],
    }));
  return {
    ...(hasFills ? { fills: fillFigures(totals) } : {}),
    ...(hasLedger ? { funding: fundingFigures(totals) } : {}),
  };
}

/**
 * Builds `results/<runId>/report.html` from the run's result and, while they are kept, its plan and lanes (the
 * timeline comes from the lanes' per-second request counts; without them the report has no run section).
 */
export async function writeRunReport(
  store: RunStore,
  runId: string,
  options: {
    verification?: string;
    /** The orders' figures, when the caller counted them as it wrote orders.jsonl (the collector): not re-read. */
    orders?: OrderFigures;
  } = {},
): Promise<{ key: string; bytes: number; renderMs: number }> {
  const began = performance.now();
  const summary = await store.getJson(resultKeys(runId).summary, summaryFields);
  if (!summary)
    throw new ReportSourceMissingError(`run ${runId} has no result (no ${resultKeys(runId).summary})`);
  const plan = await store.getJson(runKeys(runId).plan, runPlanSchema);
  const lanes: LaneState[] = [];
  for (const key of await store.list(runKeys(runId).lanesPrefix)) {
    const lane = await store.getJson(key, laneStateSchema);
    if (lane) lanes.push(lane);
  }
  const orders =
    options.orders ??
    (await orderFigures(
      recordsWithoutRaw<OrderFigureFields>(store.readByteLineBatches(resultKeys(runId).ordersJsonl)),
    ));
  const accounting = await accountingFiguresOf(store, runId, summary.accounting?.totals);
  const collectMs = summary.timing['collectMs'] ?? null;
  const collect =
    collectMs !== null
      ? { startedAt: summary.generatedAt - collectMs, finishedAt: summary.generatedAt }
      : null;
  const facts = [
    `${summary.orders} orders, ${summary.complete ? 'complete' : 'INCOMPLETE'}${summary.mode ? `, ${summary.mode} account` : ''}`,
    summary.served
      ? `range served: ${iso(summary.served.since)} to ${iso(summary.served.until)}`
      : 'range: none',
    `${summary.requests} requests, ${summary.retries} retries, ${summary.http429} HTTP 429`,
    ...summary.notes,
  ];
  const html = renderReport({
    title: `Run ${runId}`,
    facts,
    verification: options.verification,
    orders,
    ...accounting,
    ...(lanes.length ? { run: runFigures(plan, lanes, collect) } : {}),
    generatedAt: Date.now(),
  });
  await store.putText(reportKey(runId), html, 'text/html; charset=utf-8');
  return { key: reportKey(runId), bytes: Buffer.byteLength(html), renderMs: performance.now() - began };
}
