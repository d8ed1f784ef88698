/** Canonical orders, fills and ledger entries for tests: every key present, overrides on top of plain defaults. */
import type { CanonicalFill } from '../../src/core/fill';
import type { CanonicalLedgerEntry } from '../../src/core/ledgerEntry';
import type { CanonicalOrder } from '../../src/core/order';

export const T0 = Date.UTC(2026, 10, 2, 9, 30, 15);

export function anOrder(o: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return {
    orderId: '1001',
    clientOid: null,
    market: 'spot',
    kind: 'normal',
    symbol: 'BTCUSDT',
    side: 'buy',
    orderType: 'limit',
    status: 'filled',
    price: '50000',
    size: '0.01',
    priceAvg: '50000',
    baseVolume: '0.01',
    quoteVolume: '500',
    fee: '0.00001',
    feeCoin: 'BTC',
    leverage: null,
    marginMode: null,
    posSide: null,
    tradeSide: null,
    reduceOnly: null,
    cTime: T0,
    uTime: T0 + 1000,
    raw: {},
    ...o,
  };
}

/** A fill; `fee`/`feeCoin` default to the first entry of `fees`, as the normaliser sets them. */
export function aFill(f: Partial<CanonicalFill> = {}): CanonicalFill {
  const fees = f.fees ?? [{ fee: '0.00001', feeCoin: 'BTC' }];
  return {
    tradeId: '2001',
    orderId: '1001',
    market: 'spot',
    symbol: 'BTCUSDT',
    side: 'buy',
    price: '50000',
    size: '0.01',
    quoteVolume: '500',
    fee: fees[0]?.fee ?? null,
    feeCoin: fees[0]?.feeCoin ?? null,
    fees,
    role: 'taker',
    tradeSide: null,
    posSide: null,
    profit: null,
    cTime: T0 + 500,
    raw: {},
    ...f,
  };
}

export function aLedgerEntry(e: Partial<CanonicalLedgerEntry> = {}): CanonicalLedgerEntry {
  return {
    billId: '3001',
    account: 'spot',
    coin: 'BTC',
    amount: '-0.00001',
    fee: null,
    balance: null,
    type: 'fee',
    businessType: 'trade_fee',
    symbol: 'BTCUSDT',
    orderId: '1001',
    source: 'bills',
    cTime: T0 + 500,
    raw: {},
    ...e,
  };
}
