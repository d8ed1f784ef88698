/**
 * The accounting's JSON, checked as it is read back: summary.json's totals, and what the orders and fills left
 * for the ledger when they were accounted ahead of it (runs/<runId>/staged/accounting.json).
 */
import { z } from 'zod';
import type { DiscrepancyClass, Reconciliation, ReconcilerSnapshot } from './reconcile';
import type { AccountingSummary, OrdersAndFillsAccounting } from './summary';
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

const sizeMismatch = z.object({
  market: z.string(),
  orderId: z.string(),
  orderSize: decimal,
  fillsSize: decimal,
  fills: z.number().int(),
});
const feeMismatch = z.object({
  market: z.string(),
  orderId: z.string(),
  coin: z.string().nullable(),
  orderFee: decimal,
  fillsFee: decimal,
});
const orderWithoutFills = z.object({
  market: z.string(),
  orderId: z.string(),
  status: z.string(),
  baseVolume: z.string().nullable(),
});
const fillWithoutOrder = z.object({
  market: z.string(),
  orderId: z.string(),
  tradeId: z.string(),
  fills: z.number().int(),
  size: decimal,
});
const feeEntryWithoutFill = z.object({
  account: z.string(),
  billId: z.string(),
  coin: z.string(),
  amount: decimal,
  cTime: z.number(),
});
const count = z.number().int().nonnegative();

export const reconcilerSnapshotSchema: z.ZodType<ReconcilerSnapshot> = z.object({
  checked: z.object({ orders: count, fills: count }),
  sizeMismatches: listed(sizeMismatch),
  feeMismatches: listed(feeMismatch),
  ordersWithoutFills: listed(orderWithoutFills),
  fillsWithoutOrder: listed(fillWithoutOrder),
  unmatchedFees: z.array(z.tuple([z.string(), z.number().int().positive()])),
});

/** summary.json's `accounting.reconciliation` (src/accounting/reconcile.ts). */
export const reconciliationSchema: z.ZodType<Reconciliation> = z.object({
  checked: z.object({ orders: count, fills: count, feeEntries: count }),
  sizeMismatches: listed(sizeMismatch),
  feeMismatches: listed(feeMismatch),
  ordersWithoutFills: listed(orderWithoutFills),
  fillsWithoutOrder: listed(fillWithoutOrder),
  feeEntriesWithoutFill: listed(feeEntryWithoutFill),
  discrepancies: count,
});

export const accountingSummarySchema: z.ZodType<AccountingSummary> = z.object({
  reconciliation: reconciliationSchema,
  totals: totalsSchema,
});

export const ordersAndFillsAccountingSchema: z.ZodType<OrdersAndFillsAccounting> = z.object({
  reconciliation: reconcilerSnapshotSchema,
  totals: totalsSchema,
});
