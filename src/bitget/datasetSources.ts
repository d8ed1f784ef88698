/**
 * One stream of fills or ledger entries: an endpoint with the parameters that select it, shaped like the order
 * streams' `SourceSpec` (src/extraction/sources.ts) so that a lane can hold it and a checkpoint can save it.
 */
import { z } from 'zod';
import type { DatasetName } from '../core/dataset';
import type { DATASET_STREAM_ENDPOINTS } from '../core/dataset';
import type { LedgerAccount } from '../core/ledgerEntry';
import type { DatasetEndpointId } from './datasetSchemas';
import type { FillEndpointId, LedgerEndpointId, TaxEndpointId } from './endpoints';
import { UTA_CATEGORIES, UTA_TAX_BIZ_TYPES } from './endpoints';

const productType = z.enum(['USDT-FUTURES', 'USDC-FUTURES', 'COIN-FUTURES']);
const symbol = z.string().min(1).optional();
const coin = z.string().min(1).optional();

export const datasetSourceSchema = z.discriminatedUnion('endpoint', [
  // Fills. spotFills' symbol is optional since 2025-03-27 (older copies of the docs say required).
  z.strictObject({ endpoint: z.literal('spotFills'), symbol }),
  z.strictObject({ endpoint: z.literal('futuresFills'), productType, symbol }),
  z.strictObject({ endpoint: z.literal('utaFills'), category: z.enum(UTA_CATEGORIES), symbol }),
  // The ledger.
  z.strictObject({ endpoint: z.literal('spotBills'), coin }),
  z.strictObject({ endpoint: z.literal('futuresBills'), productType, symbol, coin }),
  // `category` is required and includes OTHER (the docs spell it `other` and `OTHER`).
  z.strictObject({ endpoint: z.literal('utaFinancialRecords'), category: z.enum(UTA_TAX_BIZ_TYPES), coin }),
  // Tax records.
  z.strictObject({ endpoint: z.literal('taxSpotRecords'), coin }),
  // productType defaults to USDT-FUTURES on the exchange: always sent, so that each stream says what it holds.
  z.strictObject({ endpoint: z.literal('taxFutureRecords'), productType, marginCoin: coin }),
  z.strictObject({
    endpoint: z.literal('taxMarginRecords'),
    marginType: z.enum(['isolated', 'crossed']),
    coin,
  }),
  z.strictObject({ endpoint: z.literal('taxP2pRecords'), coin }),
  z.strictObject({ endpoint: z.literal('utaTaxRecords'), bizType: z.enum(UTA_TAX_BIZ_TYPES), coin }),
]);
export type DatasetSource = z.infer<typeof datasetSourceSchema>;
export type SourceOf<E extends DatasetEndpointId> = Extract<DatasetSource, { endpoint: E }>;

const FILL_ENDPOINTS: ReadonlySet<DatasetEndpointId> = new Set<FillEndpointId>([
  'spotFills',
  'futuresFills',
  'utaFills',
]);

/** The data set an endpoint's rows belong to: the tax records are ledger entries (`source: "tax"`). */
export function datasetOf(endpoint: DatasetEndpointId): Exclude<DatasetName, 'orders'> {
  return FILL_ENDPOINTS.has(endpoint) ? 'fills' : 'ledger';
}

/**
 * The ledger's two sources. Each bills endpoint's entries are also in one tax endpoint's records over the time
 * both reach, stream for stream (the same selector: a product type, a v3 category).
 */
export const TAX_OF_BILLS: Readonly<Record<LedgerEndpointId, TaxEndpointId>> = {
  spotBills: 'taxSpotRecords',
  futuresBills: 'taxFutureRecords',
  utaFinancialRecords: 'utaTaxRecords',
};

/**
 * The tax endpoints of the accounts that have no bills endpoint here (margin and P2P), with the account each
 * lists: their tax records are those accounts' only source, asked over the whole range.
 */
export const TAX_WITHOUT_BILLS: Readonly<Partial<Record<TaxEndpointId, LedgerAccount>>> = {
  taxMarginRecords: 'margin',
  taxP2pRecords: 'p2p',
};

/** Whether an endpoint is the tax records of an account without bills (`TAX_WITHOUT_BILLS`). */
export const isTaxWithoutBills = (endpoint: DatasetEndpointId): boolean =>
  Object.hasOwn(TAX_WITHOUT_BILLS, endpoint);

/** Whether a bills endpoint lists an account's entries (not for margin and P2P: `TAX_WITHOUT_BILLS`). */
export const accountHasBills = (account: string): boolean =>
  !(Object.values(TAX_WITHOUT_BILLS) as string[]).includes(account);

/** A short stable label for logs and cursor ids: `futuresBills:USDT-FUTURES`, `utaTaxRecords:SPOT:BTC`. */
export function describeDatasetSource(s: DatasetSource): string {
  const parts: string[] = [s.endpoint];
  if ('productType' in s) parts.push(s.productType);
  if ('category' in s) parts.push(s.category);
  if ('bizType' in s) parts.push(s.bizType);
  if ('marginType' in s) parts.push(s.marginType);
  if ('symbol' in s && s.symbol) parts.push(s.symbol);
  if ('coin' in s && s.coin) parts.push(s.coin);
  if ('marginCoin' in s && s.marginCoin) parts.push(s.marginCoin);
  return parts.join(':');
}

/**
 * The coverage stream of an endpoint: the endpoint, and the selector it is queried per where it has one (a
 * futures product type, a unified account's category or bizType, a margin type): `spotBills`,
 * `futuresFills/USDT-FUTURES`, `utaTaxRecords/SPOT`. A sync's watermarks are kept per stream.
 */
// The core's list of stream endpoints is this module's endpoint ids, no more and no fewer.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const streamEndpointsMatch: Same<(typeof DATASET_STREAM_ENDPOINTS)[number], DatasetEndpointId> = true;
void streamEndpointsMatch;

export const datasetStream = (endpoint: DatasetEndpointId, selector?: string): string =>
  selector === undefined ? endpoint : `${endpoint}/${selector}`;

/** The coverage stream of one source (a symbol or coin, when named, narrows it further: `spotFills/BTCUSDT`). */
export function datasetStreamOf(s: DatasetSource): string {
  const selector =
    'productType' in s
      ? s.productType
      : 'category' in s
        ? s.category
        : 'bizType' in s
          ? s.bizType
          : 'marginType' in s
            ? s.marginType
            : undefined;
  const narrowed = [
    'symbol' in s ? s.symbol : undefined,
    'coin' in s ? s.coin : undefined,
    'marginCoin' in s ? s.marginCoin : undefined,
  ].filter((x): x is string => typeof x === 'string' && x !== '');
  return [datasetStream(s.endpoint, selector), ...narrowed].join('/');
}
