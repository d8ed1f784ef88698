/**
 * Rows of the ledger endpoints and of the tax records → `CanonicalLedgerEntry` (shared DESIGN.md, "Canonical
 * ledger entry"; mapping decisions in the shared notes). `businessType` keeps the exchange's word,
 * `type` comes from that endpoint's table (ledgerTypes.ts), `fee` is the magnitude charged or null, `source`
 * says bills or tax.
 */
import type { CanonicalLedgerEntry, LedgerAccount, LedgerSource } from '../core/ledgerEntry';
import type { ProductType } from '../core/order';
import { canonicalSymbol } from '../core/request';
import { feeMagnitude, isBlank } from './datasetAmounts';
import {
  futuresBillRowSchema,
  spotBillRowSchema,
  taxFutureRowSchema,
  taxMarginRowSchema,
  taxP2pRowSchema,
  taxSpotRowSchema,
  utaFinancialRecordRowSchema,
  utaTaxRowSchema,
} from './datasetSchemas';
import type { SourceOf } from './datasetSources';
import type { LedgerVocabulary } from './ledgerTypes';
import { ledgerTypeOf } from './ledgerTypes';
import { marketOfProductType } from './normalise';
import { parseOrThrow } from './schemas';

export type LedgerRowSource = SourceOf<
  | 'spotBills'
  | 'futuresBills'
  | 'utaFinancialRecords'
  | 'taxSpotRecords'
  | 'taxFutureRecords'
  | 'taxMarginRecords'
  | 'taxP2pRecords'
  | 'utaTaxRecords'
>;

function textOrNull(value: string | null | undefined): string | null {
  return isBlank(value) ? null : value;
}

function symbolOrNull(value: string | null | undefined): string | null {
  return isBlank(value) ? null : canonicalSymbol(value);
}

function futuresAccount(productType: ProductType): LedgerAccount {
  return marketOfProductType(productType);
}

interface EntryFields {
  billId: string;
  account: LedgerAccount;
  coin: string;
  amount: string;
  fee: string | null | undefined;
  balance: string | null | undefined;
  vocabulary: LedgerVocabulary;
  businessType: string;
  symbol: string | null | undefined;
  orderId: string | null | undefined;
  source: LedgerSource;
  time: string | number;
  raw: Record<string, unknown>;
}

function entry(f: EntryFields): CanonicalLedgerEntry {
  return {
    billId: f.billId,
    account: f.account,
    coin: f.coin,
    amount: f.amount,
    fee: feeMagnitude(f.fee),
    balance: textOrNull(f.balance),
    type: ledgerTypeOf(f.vocabulary, f.businessType),
    businessType: f.businessType,
    symbol: symbolOrNull(f.symbol),
    orderId: textOrNull(f.orderId),
    source: f.source,
    cTime: Number(f.time),
    raw: f.raw,
  };
}

/** One ledger or tax-record row as received → its canonical entry; a malformed row is refused. */
export function normaliseLedgerEntry(source: LedgerRowSource, row: unknown): CanonicalLedgerEntry {
  // A loose schema keeps every field it does not check, so the parsed row is the row as received (`raw`).
  switch (source.endpoint) {
    case 'spotBills': {
      const r = parseOrThrow(spotBillRowSchema, row, source.endpoint);
      return entry({
        billId: r.billId,
        account: 'spot',
        coin: r.coin,
        amount: r.size,
        fee: r.fees,
        balance: r.balance,
        vocabulary: 'spotBill',
        businessType: r.businessType,
        symbol: null,
        orderId: null,
        source: 'bills',
        time: r.cTime,
        raw: r,
      });
    }
    case 'futuresBills': {
      const r = parseOrThrow(futuresBillRowSchema, row, source.endpoint);
      return entry({
        billId: r.billId,
        account: futuresAccount(source.productType),
        coin: r.coin,
        amount: r.amount,
        fee: r.fee,
        balance: r.balance,
        vocabulary: 'futuresBill',
        businessType: r.businessType,
        symbol: r.symbol,
        orderId: null,
        source: 'bills',
        time: r.cTime,
        raw: r,
      });
    }
    case 'utaFinancialRecords': {
      const r = parseOrThrow(utaFinancialRecordRowSchema, row, source.endpoint);
      return entry({
        billId: r.id,
        account: 'uta',
        coin: r.coin,
        amount: r.amount,
        fee: r.fee,
        balance: r.balance,
        vocabulary: 'utaRecord',
        businessType: r.type,
        symbol: r.symbol,
        orderId: null,
        source: 'bills',
        time: r.ts,
        raw: r,
      });
    }
    case 'taxSpotRecords': {
      const r = parseOrThrow(taxSpotRowSchema, row, source.endpoint);
      return entry({
        billId: r.id,
        account: 'spot',
        coin: r.coin,
        amount: r.amount,
        fee: r.fee,
        balance: r.balance,
        vocabulary: 'spotTax',
        businessType: r.spotTaxType,
        symbol: null,
        orderId: r.bizOrderId,
        source: 'tax',
        time: r.ts,
        raw: r,
      });
    }
    case 'taxFutureRecords': {
      const r = parseOrThrow(taxFutureRowSchema, row, source.endpoint);
      return entry({
        billId: r.id,
        account: futuresAccount(source.productType),
        coin: r.marginCoin,
        amount: r.amount,
        fee: r.fee,
        balance: null,
        vocabulary: 'futureTax',
        businessType: r.futureTaxType,
        symbol: r.symbol,
        orderId: null,
        source: 'tax',
        time: r.ts,
        raw: r,
      });
    }
    case 'taxMarginRecords': {
      const r = parseOrThrow(taxMarginRowSchema, row, source.endpoint);
      return entry({
        billId: r.id,
        account: 'margin',
        coin: r.coin,
        amount: r.amount,
        fee: r.fee,
        balance: r.total,
        vocabulary: 'marginTax',
        businessType: r.marginTaxType,
        symbol: r.symbol,
        orderId: null,
        source: 'tax',
        time: r.ts,
        raw: r,
      });
    }
    case 'taxP2pRecords': {
      const r = parseOrThrow(taxP2pRowSchema, row, source.endpoint);
      return entry({
        billId: r.id,
        account: 'p2p',
        coin: r.coin,
        amount: isBlank(r.amount) ? r.total : r.amount,
        fee: null,
        balance: null,
        vocabulary: 'p2pTax',
        businessType: r.p2pTaxType,
        symbol: null,
        orderId: null,
        source: 'tax',
        time: r.ts,
        raw: r,
      });
    }
    case 'utaTaxRecords': {
      const r = parseOrThrow(utaTaxRowSchema, row, source.endpoint);
      return entry({
        billId: r.id,
        account: 'uta',
        coin: r.coin,
        amount: r.amount,
        fee: r.fee,
        balance: r.balance,
        vocabulary: 'utaRecord',
        businessType: r.type,
        symbol: null,
        orderId: null,
        source: 'tax',
        time: r.ts,
        raw: r,
      });
    }
  }
}
