import { z } from 'zod';
import type { EndpointId } from './endpoints';
import { BitgetResponseError } from './errors';

/** Epoch ms as Bitget sends it: a string of digits (or, tolerated, an integer). */
const epochMs = z.union([
  z.string().regex(/^\d+$/, 'must be epoch milliseconds'),
  z.number().int().nonnegative(),
]);
const optionalEpochMs = z.union([epochMs, z.literal('')]).nullish();
const id = z.string().min(1, 'must be a non-empty string');
const text = z.string().nullish();
const flag = z.union([z.string(), z.boolean()]).nullish();

/** `{code, msg, requestTime, data}`: requestTime is a number on some endpoints and a string on others. */
export function envelopeSchema<T extends z.ZodType>(data: T) {
  return z.looseObject({
    code: z.string(),
    msg: z.string(),
    requestTime: z.union([z.number(), z.string()]),
    data,
  });
}

export const serverTimeDataSchema = z.looseObject({ serverTime: epochMs });

export const spotSymbolSchema = z.looseObject({
  symbol: id,
  baseCoin: z.string(),
  quoteCoin: z.string(),
  status: z.string(),
});
export type SpotSymbol = z.infer<typeof spotSymbolSchema>;

export const futuresContractSchema = z.looseObject({
  symbol: id,
  baseCoin: z.string(),
  quoteCoin: z.string(),
  symbolType: text,
  symbolStatus: text,
  offTime: text,
  launchTime: text,
});
export type FuturesContract = z.infer<typeof futuresContractSchema>;

/** GET /api/v2/spot/trade/history-orders (normal and tpsl). */
export const spotOrderRowSchema = z.looseObject({
  orderId: id,
  symbol: id,
  side: id,
  orderType: id,
  status: id,
  cTime: epochMs,
  uTime: optionalEpochMs,
  clientOid: text,
  price: text,
  size: text,
  priceAvg: text,
  baseVolume: text,
  quoteVolume: text,
  /** A JSON document inside a string (sometimes an object or empty). */
  feeDetail: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
  tpslType: text,
  triggerPrice: text,
});
export type SpotOrderRow = z.infer<typeof spotOrderRowSchema>;

/** GET /api/v2/spot/trade/history-plan-order, rows of data.orderList. */
export const spotPlanRowSchema = z.looseObject({
  orderId: id,
  symbol: id,
  side: id,
  status: id,
  cTime: epochMs,
  uTime: optionalEpochMs,
  orderType: id,
  clientOid: text,
  size: text,
  executePrice: text,
  triggerPrice: text,
  planType: text,
  triggerType: text,
});
export type SpotPlanRow = z.infer<typeof spotPlanRowSchema>;

const futuresCommon = {
  orderId: id,
  symbol: id,
  side: id,
  cTime: epochMs,
  uTime: optionalEpochMs,
  orderType: id,
  clientOid: text,
  size: text,
  price: text,
  priceAvg: text,
  baseVolume: text,
  quoteVolume: text,
  leverage: text,
  marginCoin: text,
  marginMode: text,
  posSide: text,
  tradeSide: text,
  posMode: text,
  reduceOnly: flag,
};

/** GET /api/v2/mix/order/orders-history, rows of data.entrustedList (status under `status`, or `state`). */
export const futuresOrderRowSchema = z
  .looseObject({
    ...futuresCommon,
    status: text,
    state: text,
    fee: text,
  })
  .refine((row) => Boolean(row.status || row.state), {
    message: 'must carry status or state',
    path: ['status'],
  });
export type FuturesOrderRow = z.infer<typeof futuresOrderRowSchema>;

/** GET /api/v2/mix/order/orders-plan-history, rows of data.entrustedList. */
export const futuresPlanRowSchema = z
  .looseObject({
    ...futuresCommon,
    planStatus: text,
    status: text,
    planType: text,
    executePrice: text,
    triggerPrice: text,
  })
  .refine((row) => Boolean(row.planStatus || row.status), {
    message: 'must carry planStatus or status',
    path: ['planStatus'],
  });
export type FuturesPlanRow = z.infer<typeof futuresPlanRowSchema>;

const utaFeeSchema = z.looseObject({ feeCoin: z.string(), fee: z.string() });

/** GET /api/v3/trade/history-orders, rows of data.list. */
export const utaOrderRowSchema = z.looseObject({
  orderId: id,
  symbol: id,
  side: id,
  orderType: id,
  orderStatus: id,
  createdTime: epochMs,
  updatedTime: optionalEpochMs,
  category: text,
  clientOid: text,
  price: text,
  qty: text,
  cumExecQty: text,
  cumExecValue: text,
  avgPrice: text,
  posSide: text,
  holdMode: text,
  marginMode: text,
  leverage: text,
  reduceOnly: flag,
  feeDetail: z.array(utaFeeSchema).nullish(),
});
export type UtaOrderRow = z.infer<typeof utaOrderRowSchema>;

/**
 * GET /api/v3/trade/history-strategy-orders, rows of data.list: TP/SL orders on a position (take-profit /
 * stop-loss prices, one order type per leg) and trigger orders (a trigger price and its order type).
 */
export const utaStrategyRowSchema = z.looseObject({
  orderId: id,
  symbol: id,
  createdTime: epochMs,
  updatedTime: optionalEpochMs,
  category: text,
  clientOid: text,
  qty: text,
  posSide: text,
  side: text,
  orderType: text,
  orderStatus: text,
  status: text,
  reduceOnly: flag,
  takeProfit: text,
  stopLoss: text,
  tpOrderType: text,
  slOrderType: text,
  tpLimitPrice: text,
  slLimitPrice: text,
  triggerPrice: text,
  triggerOrderType: text,
  triggerOrderPrice: text,
});
export type UtaStrategyRow = z.infer<typeof utaStrategyRowSchema>;

export const spotHistoryDataSchema = z.array(spotOrderRowSchema).nullable();
export const spotPlanDataSchema = z.looseObject({
  orderList: z.array(spotPlanRowSchema).nullish(),
  nextFlag: z.union([z.boolean(), z.enum(['true', 'false'])]).nullish(),
  idLessThan: z.union([z.string(), z.number()]).nullish(),
});
export const futuresHistoryDataSchema = z.looseObject({
  entrustedList: z.array(futuresOrderRowSchema).nullish(),
  endId: z.string().nullish(),
});
export const futuresPlanDataSchema = z.looseObject({
  entrustedList: z.array(futuresPlanRowSchema).nullish(),
  endId: z.string().nullish(),
});
export const utaListDataSchema = <T extends z.ZodType>(row: T) =>
  z.looseObject({ list: z.array(row).nullish(), cursor: z.string().nullish() });

/** `data.entrustedList[0].cTime` from zod's path array. */
export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) =>
      typeof key === 'number' ? `${acc}[${key}]` : acc === '' ? String(key) : `${acc}.${String(key)}`,
    prefix,
  );
}

/** Parse, don't cast: the parsed value or a BitgetResponseError naming the endpoint and the first bad field. */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  endpoint: EndpointId | 'normaliser',
  prefix = '',
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = fieldPath(prefix, issue.path) || '(response)';
  throw new BitgetResponseError(endpoint, field, issue.message);
}

/** GET /api/v2/spot/account/info and /api/v3/account/info: the account's UID (number or string on the wire). */
export const accountInfoDataSchema = z.looseObject({
  userId: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]).transform(String),
});
