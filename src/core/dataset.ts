/** The data sets a run or a sync can fetch (shared DESIGN.md, "Data sets"). */

export const DATASET_NAMES = ['orders', 'fills', 'ledger'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** What a data set's records are called in a line for people (`3 orders, 12 fills, 40 ledger entries`). */
export const RECORDS_OF: Readonly<Record<DatasetName, string>> = {
  orders: 'orders',
  fills: 'fills',
  ledger: 'ledger entries',
};

/**
 * The endpoints a fills or ledger stream is named after (`spotBills`, `futuresFills/USDT-FUTURES`): a sync keeps a
 * watermark per stream (src/bitget/datasetSources.ts `datasetStreamOf`, which checks this list against the
 * endpoint ids).
 */
export const DATASET_STREAM_ENDPOINTS = [
  'spotFills',
  'futuresFills',
  'utaFills',
  'spotBills',
  'futuresBills',
  'utaFinancialRecords',
  'taxSpotRecords',
  'taxFutureRecords',
  'taxMarginRecords',
  'taxP2pRecords',
  'utaTaxRecords',
] as const;
