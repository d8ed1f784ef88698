/**
 * Response schemas of the fills, ledger and tax-record endpoints (reference/bitget-api.md, "Fills", "Ledger",
 * "Tax records"; field lists checked against the bitget-api SDK's typed responses: SpotFillV2,
 * FuturesOrderFillV2, FillV3, SpotAccountBillV2, FuturesAccountBillV2, FinancialRecordV3, the v2 tax records
 * and TaxRecordV3). Rows are loose objects: the fields the normalisers read are checked, every other field is
 * kept and ends up in the canonical record's `raw`. A missing or wrongly-typed required field is refused by
 * `parseOrThrow` with the endpoint and the field's path.
 */
import { z } from 'zod';
import type { FillEndpointId, LedgerEndpointId, TaxEndpointId } from './endpoints';

/** Every endpoint of the fills and ledger data sets (the tax records feed the ledger). */
export type DatasetEndpointId = FillEndpointId | LedgerEndpointId | TaxEndpointId;

/** Epoch ms as Bitget sends it: a string of digits (or, tolerated, an integer). */
const epochMs = z.union([
  z.string().regex(/^\d+$/, 'must be epoch milliseconds'),
  z.number().int().nonnegative(),
]);
const id = z.string().min(1, 'must be a non-empty string');
/** A decimal amount as text: "-0.0000794", "0", "1e-7". */
const decimalText = z.string().regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, 'must be a decimal number');
/** A decimal amount that Bitget sometimes leaves empty. */
const optionalDecimal = z.union([decimalText, z.literal('')]).nullish();
const text = z.string().nullish();

/** Spot fills' `feeDetail`: one object (not the JSON string of spot orders); totalFee negative = paid. */
const spotFillFeeSchema = z.looseObject({
  feeCoin: z.string(),
  totalFee: optionalDecimal,
  deduction: text,
  totalDeductionFee: text,
});

/** GET /api/v2/spot/trade/fills: `data` is the array of rows. */
export const spotFillRowSchema = z.looseObject({
  tradeId: id,
  orderId: id,
  symbol: id,
  side: id,
  priceAvg: decimalText,
  size: decimalText,
  amount: decimalText,
  feeDetail: spotFillFeeSchema.nullish(),
  tradeScope: text,
  orderType: text,
  cTime: epochMs,
  uTime: epochMs.nullish(),
});
export type SpotFillRow = z.infer<typeof spotFillRowSchema>;

/** GET /api/v2/mix/order/fill-history: rows of `data.fillList`; feeDetail is an array, totalFee negative = paid. */
export const futuresFillRowSchema = z.looseObject({
  tradeId: id,
  orderId: id,
  symbol: id,
  side: id,
  price: decimalText,
  baseVolume: decimalText,
  quoteVolume: decimalText,
  feeDetail: z.array(spotFillFeeSchema).nullish(),
  profit: optionalDecimal,
  tradeSide: text,
  posMode: text,
  posSide: text,
  tradeScope: text,
  cTime: epochMs,
});
export type FuturesFillRow = z.infer<typeof futuresFillRowSchema>;

/** v3 fee entries: `fee` positive = paid. */
const utaFeeSchema = z.looseObject({ feeCoin: z.string(), fee: decimalText });

/** GET /api/v3/trade/fills: rows of `data.list`. */
export const utaFillRowSchema = z.looseObject({
  execId: id,
  orderId: id,
  symbol: id,
  side: id,
  execPrice: decimalText,
  execQty: decimalText,
  execValue: decimalText,
  feeDetail: z.array(utaFeeSchema).nullish(),
  execPnl: optionalDecimal,
  tradeScope: text,
  tradeSide: text,
  posSide: text,
  category: text,
  createdTime: epochMs,
  updatedTime: epochMs.nullish(),
});
export type UtaFillRow = z.infer<typeof utaFillRowSchema>;

/** GET /api/v2/spot/account/bills: `data` is the array; `size` signed, `fees` negative when charged. */
export const spotBillRowSchema = z.looseObject({
  billId: id,
  coin: id,
  businessType: id,
  groupType: text,
  size: decimalText,
  balance: optionalDecimal,
  fees: optionalDecimal,
  cTime: epochMs,
});
export type SpotBillRow = z.infer<typeof spotBillRowSchema>;

/** GET /api/v2/mix/account/bill: rows of `data.bills`. */
export const futuresBillRowSchema = z.looseObject({
  billId: id,
  coin: id,
  businessType: id,
  symbol: text,
  amount: decimalText,
  fee: optionalDecimal,
  feeByCoupon: text,
  balance: optionalDecimal,
  cTime: epochMs,
});
export type FuturesBillRow = z.infer<typeof futuresBillRowSchema>;

/** GET /api/v3/account/financial-records: rows of `data.list`. */
export const utaFinancialRecordRowSchema = z.looseObject({
  id,
  coin: id,
  type: id,
  category: text,
  symbol: text,
  amount: decimalText,
  fee: optionalDecimal,
  balance: optionalDecimal,
  ts: epochMs,
});
export type UtaFinancialRecordRow = z.infer<typeof utaFinancialRecordRowSchema>;

/** GET /api/v2/tax/spot-record (newer copies of the docs add `bizOrderId`). */
export const taxSpotRowSchema = z.looseObject({
  id,
  coin: id,
  spotTaxType: id,
  amount: decimalText,
  fee: optionalDecimal,
  balance: optionalDecimal,
  bizOrderId: text,
  ts: epochMs,
});
export type TaxSpotRow = z.infer<typeof taxSpotRowSchema>;

/** GET /api/v2/tax/future-record. */
export const taxFutureRowSchema = z.looseObject({
  id,
  symbol: text,
  marginCoin: id,
  futureTaxType: id,
  amount: decimalText,
  fee: optionalDecimal,
  ts: epochMs,
});
export type TaxFutureRow = z.infer<typeof taxFutureRowSchema>;

/** GET /api/v2/tax/margin-record: `total` is the account's total after the entry ("Total accounts"). */
export const taxMarginRowSchema = z.looseObject({
  id,
  coin: id,
  marginTaxType: id,
  symbol: text,
  amount: decimalText,
  fee: optionalDecimal,
  total: optionalDecimal,
  ts: epochMs,
});
export type TaxMarginRow = z.infer<typeof taxMarginRowSchema>;

/**
 * GET /api/v2/tax/p2p-record: the docs list `total` only ("Total accounts" in the field table, while the example
 * shows a p2p buy of 10 USDT as `total: "10"`); a row that also carries `amount` has it read first.
 */
export const taxP2pRowSchema = z.looseObject({
  id,
  coin: id,
  p2pTaxType: id,
  amount: optionalDecimal,
  total: decimalText,
  ts: epochMs,
});
export type TaxP2pRow = z.infer<typeof taxP2pRowSchema>;

/** GET /api/v3/tax/records. */
export const utaTaxRowSchema = z.looseObject({
  id,
  coin: id,
  type: id,
  amount: decimalText,
  fee: optionalDecimal,
  balance: optionalDecimal,
  ts: epochMs,
});
export type UtaTaxRow = z.infer<typeof utaTaxRowSchema>;

/** v2 endpoints whose `data` is the row array (null on some empty answers). */
const rowArray = <T extends z.ZodType>(row: T) => z.array(row).nullable();
/** v3 envelopes: rows in `data.list`, the next page's token in `data.cursor`. */
const listData = <T extends z.ZodType>(row: T) =>
  z.looseObject({ list: z.array(row).nullish(), cursor: z.string().nullish() });

const utaTaxList = listData(utaTaxRowSchema);
const utaTaxArray = rowArray(utaTaxRowSchema);
/**
 * The shared contract (and bitget-api.md) says data.list + data.cursor; Bitget's own page for the endpoint shows
 * `data` as the row array, with the last row's id as the next cursor. Both shapes are read, each by its own
 * schema, so that a bad row is named by its path (a union would only say "invalid input" at `data`).
 */
const utaTaxData = z.unknown().transform((data, ctx) => {
  const schema: z.ZodType<z.infer<typeof utaTaxList> | z.infer<typeof utaTaxArray>> =
    Array.isArray(data) || data === null ? utaTaxArray : utaTaxList;
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

/** The `data` of each endpoint's envelope. */
export const DATASET_DATA_SCHEMAS = {
  spotFills: rowArray(spotFillRowSchema),
  futuresFills: z.looseObject({
    fillList: z.array(futuresFillRowSchema).nullish(),
    endId: z.string().nullish(),
  }),
  utaFills: listData(utaFillRowSchema),
  spotBills: rowArray(spotBillRowSchema),
  futuresBills: z.looseObject({
    bills: z.array(futuresBillRowSchema).nullish(),
    endId: z.string().nullish(),
  }),
  utaFinancialRecords: listData(utaFinancialRecordRowSchema),
  taxSpotRecords: rowArray(taxSpotRowSchema),
  taxFutureRecords: rowArray(taxFutureRowSchema),
  taxMarginRecords: rowArray(taxMarginRowSchema),
  taxP2pRecords: rowArray(taxP2pRowSchema),
  utaTaxRecords: utaTaxData,
} as const satisfies Record<DatasetEndpointId, z.ZodType>;

export type DatasetData<E extends DatasetEndpointId> = z.infer<(typeof DATASET_DATA_SCHEMAS)[E]>;
