/**
 * The ground truth of the fills and the ledger: each line the canonical record the product must emit
 * (DESIGN.md), from the simulator's own activity (activity.ts), never from a normaliser, beside `raw`, the row
 * served. The ledger holds both the bills entries (`source: "bills"`) and the tax records (`source: "tax"`).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { extname } from 'node:path';
import type { CanonicalFill } from '../core/fill';
import { compareLedgerEntries, type CanonicalLedgerEntry, type LedgerType } from '../core/ledgerEntry';
import { activityOf, type Activity, type EventKind, type SimEvent, type SimFill } from './activity';
import {
  financialRecordRow,
  futuresBillRow,
  futuresFillRow,
  futuresWord,
  futureTaxWord,
  futureTaxRow,
  spotBillRow,
  spotFillRow,
  spotTaxRow,
  spotTaxWord,
  spotWord,
  utaFillRow,
  utaTaxRow,
  utaWord,
} from './activityRows';
import type { Account } from './generator';
import type { AccountMode } from './types';

const LEDGER_TYPE: Record<EventKind, LedgerType> = {
  trade: 'trade',
  fee: 'fee',
  funding: 'funding',
  deposit: 'deposit',
  withdrawal: 'withdrawal',
  transfer: 'transfer',
};

const paidOrNull = (fee: string): string | null => (/^0(\.0*)?$/.test(fee) ? null : fee);

export function fillTruth(account: Account, a: Activity, f: SimFill): CanonicalFill {
  const futures = f.market !== 'spot';
  const fee = paidOrNull(f.fee);
  const uta = a.mode === 'uta';
  return {
    tradeId: f.tradeId,
    orderId: f.orderId,
    market: f.market,
    symbol: f.inst.symbol,
    side: f.direction,
    price: f.price,
    size: f.size,
    quoteVolume: f.quote,
    fee,
    feeCoin: fee === null ? null : f.feeCoin,
    fees: fee === null ? [] : [{ fee, feeCoin: f.feeCoin }],
    role: f.role,
    tradeSide: !futures ? null : uta ? (f.closing ? 'close' : 'open') : f.tradeSide,
    posSide: futures && !uta ? f.posSide : null,
    profit: futures ? (f.profit ?? '0') : null,
    cTime: f.cTime,
    raw: uta ? utaFillRow(f) : futures ? futuresFillRow(f) : spotFillRow(account, f),
  };
}

/** The entry with its keys in DESIGN.md's order (the product writes them so). */
const inOrder = (e: CanonicalLedgerEntry): CanonicalLedgerEntry => ({
  billId: e.billId,
  account: e.account,
  coin: e.coin,
  amount: e.amount,
  fee: e.fee,
  balance: e.balance,
  type: e.type,
  businessType: e.businessType,
  symbol: e.symbol,
  orderId: e.orderId,
  source: e.source,
  cTime: e.cTime,
  raw: e.raw,
});

const fillOf = (a: Activity, e: SimEvent): SimFill | undefined => (e.fill >= 0 ? a.fills[e.fill] : undefined);
const nonEmpty = (x: unknown): string | null => (typeof x === 'string' && x !== '' ? x : null);

/** The entry the ledger endpoints serve for event e. */
export function billTruth(a: Activity, e: SimEvent): CanonicalLedgerEntry {
  return inOrder(billEntry(a, e));
}

function billEntry(a: Activity, e: SimEvent): CanonicalLedgerEntry {
  const fill = fillOf(a, e);
  const common = {
    billId: e.billId,
    coin: e.coin,
    amount: e.amount,
    fee: paidOrNull(e.fee),
    balance: e.balance,
    type: LEDGER_TYPE[e.kind],
    orderId: null,
    source: 'bills' as const,
    cTime: e.cTime,
  };
  if (a.mode === 'uta') {
    const raw = financialRecordRow(e);
    return { ...common, account: 'uta', businessType: utaWord(e), symbol: nonEmpty(raw['symbol']), raw };
  }
  if (e.wallet === 'spot')
    return {
      ...common,
      account: 'spot',
      businessType: spotWord(e, fill),
      symbol: null,
      raw: spotBillRow(e, fill),
    };
  const raw = futuresBillRow(e, fill);
  return {
    ...common,
    account: e.wallet,
    businessType: futuresWord(e, fill),
    symbol: nonEmpty(raw['symbol']),
    raw,
  };
}

/** The tax record of event e (spot-record / future-record on a classic account, v3 records on a unified one). */
export function taxTruth(account: Account, a: Activity, e: SimEvent): CanonicalLedgerEntry {
  return inOrder(taxEntry(account, a, e));
}

function taxEntry(account: Account, a: Activity, e: SimEvent): CanonicalLedgerEntry {
  const fill = fillOf(a, e);
  const common = {
    billId: e.taxId,
    coin: e.coin,
    amount: e.amount,
    fee: paidOrNull(e.fee),
    type: LEDGER_TYPE[e.kind],
    source: 'tax' as const,
    cTime: e.cTime,
  };
  if (a.mode === 'uta') {
    return {
      ...common,
      account: 'uta',
      balance: e.balance,
      businessType: utaWord(e),
      symbol: null,
      orderId: null,
      raw: utaTaxRow(e),
    };
  }
  if (e.wallet === 'spot') {
    const raw = spotTaxRow(account, e, fill);
    return {
      ...common,
      account: 'spot',
      balance: e.balance,
      businessType: spotTaxWord(e, fill),
      symbol: null,
      orderId: nonEmpty(raw['bizOrderId']),
      raw,
    };
  }
  const raw = futureTaxRow(e, fill);
  return {
    ...common,
    account: e.wallet,
    balance: null,
    businessType: futureTaxWord(e, fill),
    symbol: nonEmpty(raw['symbol']),
    orderId: null,
    raw,
  };
}

/** Every fill of the whole history, ascending by (cTime, tradeId). */
export function* fillTruths(account: Account, mode: AccountMode): Generator<CanonicalFill> {
  const a = activityOf(account, mode);
  for (const f of a.fills) yield fillTruth(account, a, f);
}

/**
 * Every ledger entry of the whole history, bills and tax records, ascending by (cTime, billId). Both lists are
 * already in that order (ids increase with time), so they are merged.
 */
export function* ledgerTruths(account: Account, mode: AccountMode): Generator<CanonicalLedgerEntry> {
  const a = activityOf(account, mode);
  let i = 0;
  let j = 0;
  let bill = a.events[0] && billTruth(a, a.events[0]);
  let tax = a.events[0] && taxTruth(account, a, a.events[0]);
  while (bill || tax) {
    if (bill && (!tax || compareLedgerEntries(bill, tax) <= 0)) {
      yield bill;
      i += 1;
      bill = a.events[i] && billTruth(a, a.events[i]!);
    } else if (tax) {
      yield tax;
      j += 1;
      tax = a.events[j] && taxTruth(account, a, a.events[j]!);
    }
  }
}

/** `truth.jsonl` → `truth.fills.jsonl` (the data set's name before the extension). */
export function truthFileOf(file: string, dataset: 'fills' | 'ledger'): string {
  const ext = extname(file);
  return ext ? `${file.slice(0, -ext.length)}.${dataset}${ext}` : `${file}.${dataset}`;
}

/** Streams records as NDJSON with back-pressure; resolves with the number of lines written. */
export async function writeNdjson(file: string, records: Iterable<unknown>): Promise<number> {
  const out = createWriteStream(file);
  const failed = once(out, 'error').then(([err]) => {
    throw err;
  });
  failed.catch(() => undefined);
  let batch = '';
  let lines = 0;
  const flush = async (): Promise<void> => {
    if (!batch) return;
    const chunk = batch;
    batch = '';
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  for (const record of records) {
    batch += JSON.stringify(record) + '\n';
    lines += 1;
    if (batch.length > 1 << 16) await flush();
  }
  await flush();
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return lines;
}
