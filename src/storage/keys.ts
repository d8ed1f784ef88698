/**
 * The layout of the run bucket. `runs/` holds working state (plans, cursors, parts) and expires;
 * `results/` holds what users download.
 */
export const runKeys = (runId: string) => {
  const root = `runs/${runId}`;
  return {
    root,
    plan: `${root}/plan.json`,
    exchange: `${root}/exchange.json`,
    /** A sync's context between its stages (src/archive/syncContext.ts). */
    sync: `${root}/sync.json`,
    lane: (laneId: string) => `${root}/lanes/${laneId}.json`,
    lanesPrefix: `${root}/lanes/`,
    partsPrefix: `${root}/parts/`,
    part: (laneId: string, seq: number, token: string) =>
      `${root}/parts/${laneId}/${String(seq).padStart(6, '0')}-${token}.ndjson`,
    search: (windowId: string) => `${root}/search/${windowId}.json`,
    searchPrefix: `${root}/search/`,
    symbolPlan: `${root}/symbol-plan.json`,
    /** A data set merged while other data sets' lanes still ran, before the collector publishes it. */
    staged: (dataset: string) => ({
      jsonl: `${root}/staged/${dataset}.jsonl`,
      json: `${root}/staged/${dataset}.json`,
      figures: `${root}/staged/${dataset}.figures.json`,
    }),
    /** The accounting of the staged orders and fills, ahead of the ledger (src/extraction/stagedAccounting.ts). */
    stagedAccounting: `${root}/staged/accounting.json`,
    failure: `${root}/failure.json`,
    lease: `${root}/lease.json`,
  };
};

export const resultKeys = (runId: string) => ({
  ordersJsonl: `results/${runId}/orders.jsonl`,
  ordersJson: `results/${runId}/orders.json`,
  fillsJsonl: `results/${runId}/fills.jsonl`,
  ledgerJsonl: `results/${runId}/ledger.jsonl`,
  summary: `results/${runId}/summary.json`,
  report: `results/${runId}/report.html`,
});

export const LATEST_RESULT_KEY = 'results/latest.json';

/** Run ids become S3 key segments and execution names: keep them to a safe alphabet. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;
