/**
 * The accounting's JSON, checked as it is read back: summary.json's totals, and what the orders and fills left
 * for the ledger when they were accounted ahead of it (runs/<runId>/staged/accounting.json).
 */
import { z } from 'zod';
import type { DiscrepancyClass, ReconcilerSnapshot } from './reconcile';
import type { OrdersAndFillsAccounting } from './summary';
import type { Totals } from './totals';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string');
const funding = z.object({ paid: decimal, received: decimal, net: decimal });

/** src/accounting/totals.ts's Totals. */
export const totalsSchema: z.ZodType<Totals> = z.object({
  feesPaid: z.record(z.string(), decimal),
  volume: z.record(
    z.string(),
    z.record(z.string(), z.object({ fills: z.number().int(), base: decimal, quote: decimal })),
  ),
  realisedPnl: z.object({
    bySymbol: z.record(
      z.string(),
      z.record(z.string(), z.object({ settleCoin: z.string(), profit: decimal })),
    ),
    total: z.record(z.string(), decimal),
  }),
  funding: z.object({
    bills: z.record(z.string(), funding),
    tax: z.record(z.string(), funding),
  }),
});

const listed = <T>(item: z.ZodType<T>): z.ZodType<DiscrepancyClass<T>> =>
  z.object({ count: z.number().int().nonnegative(), first: z.array(item) });

export const reconcilerSnapshotSchema: z.ZodType<ReconcilerSnapshot> = z.object({
  checked: z.object({ orders: z.number().int().nonnegative(), fills: z.number().int().nonnegative() }),
  sizeMismatches: listed(
    z.object({
      market: z.string(),
      orderId: z.string(),
      orderSize: decimal,
      fillsSize: decimal,
      fills: z.number().int(),
    }),
  ),
  feeMismatches: listed(
    z.object({
      market: z.string(),
      orderId: z.string(),
      coin: z.string().nullable(),
      orderFee: decimal,
      fillsFee: decimal,
    }),
  ),
  ordersWithoutFills: listed(
    z.object({
      market: z.string(),
      orderId: z.string(),
      status: z.string(),
      baseVolume: z.string().nullable(),
    }),
  ),
  fillsWithoutOrder: listed(
    z.object({
      market: z.string(),
      orderId: z.string(),
      tradeId: z.string(),
      fills: z.number().int(),
      size: decimal,
    }),
  ),
  unmatchedFees: z.array(z.tuple([z.string(), z.number().int().positive()])),
});

export const ordersAndFillsAccountingSchema: z.ZodType<OrdersAndFillsAccounting> = z.object({
  reconciliation: reconcilerSnapshotSchema,
  totals: totalsSchema,
});
