import { z } from 'zod';
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
