/** The data sets a run or a sync can fetch (shared DESIGN.md, "Data sets"). */

export const DATASET_NAMES = ['orders', 'fills', 'ledger'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];
