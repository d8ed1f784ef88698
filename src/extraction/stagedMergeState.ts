import { z } from 'zod';
import { accountingSummarySchema, ordersAndFillsAccountingSchema } from '../accounting/schemas';
import type { DatasetFigures, OrderFigures } from './runSummary';

const counts = z.record(z.string(), z.number());

const orderFiguresSchema: z.ZodType<OrderFigures> = z.object({
  orders: z.number().int(),
  duplicates: z.number().int(),
  parts: z.number().int(),
  first: z.number().nullable(),
  last: z.number().nullable(),
  byMarket: counts,
  byKind: counts,
  bySymbol: counts,
});

const datasetFiguresSchema: z.ZodType<DatasetFigures> = z.object({
  records: z.number().int(),
  duplicates: z.number().int(),
  parts: z.number().int(),
  first: z.number().nullable(),
  last: z.number().nullable(),
});

const common = {
  /** The part keys merged, in key order: the collector publishes the staged files only if they are still all. */
  parts: z.array(z.string()),
  order: z.enum(['asc', 'desc']),
  mergedAt: z.number(),
};

/**
 * `runs/<runId>/staged/<dataset>.figures.json`: a data set merged while other data sets' lanes still ran, written
 * after its files (runs/<runId>/staged/<dataset>.jsonl, and orders' .json): its presence means they are whole.
 */
export const stagedMergeSchema = z.discriminatedUnion('dataset', [
  z.object({ dataset: z.literal('orders'), figures: orderFiguresSchema, ...common }),
  z.object({ dataset: z.enum(['fills', 'ledger']), figures: datasetFiguresSchema, ...common }),
]);
export type StagedMerge = z.infer<typeof stagedMergeSchema>;

/**
 * `runs/<runId>/staged/accounting.json`: the accounting of the staged orders and fills (what they leave for the
 * ledger), with the parts of the two staged merges it read: the collector uses it only when it publishes staged
 * merges of those same parts.
 */
export const stagedAccountingSchema = z.object({
  orders: z.array(z.string()),
  fills: z.array(z.string()),
  accounting: ordersAndFillsAccountingSchema,
  savedAt: z.number(),
  /** The whole accounting, when the ledger's staged merge (of these parts) fed its entries to the above. */
  withLedger: z.object({ ledger: z.array(z.string()), summary: accountingSummarySchema }).optional(),
});
export type StagedAccounting = z.infer<typeof stagedAccountingSchema>;

/** Whether two part lists (in key order) are the same parts. */
export const sameKeys = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((k, i) => k === b[i]);
