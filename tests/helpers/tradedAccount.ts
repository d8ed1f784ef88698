/**
 * A small traded account for the tests of exports and of the archive's data sets: a spot buy and a usdt-futures
 * close (fills), the spot buy's fee entry and a usdt-futures funding payment (ledger). The caller says when the
 * futures records happen (a run's minutes apart, an archive's days) and may override any field.
 */
import type { CanonicalFill } from '../../src/core/fill';
import type { CanonicalLedgerEntry } from '../../src/core/ledgerEntry';
import { aFill, aLedgerEntry, T0 } from './canonicalRecords';

/** Trade 11 of order 1 at T0: 0.004 BTC bought for 200 USDT, 0.00001 BTC fee. */
export const aSpotBuy = (f: Partial<CanonicalFill> = {}): CanonicalFill =>
  aFill({ tradeId: '11', orderId: '1', size: '0.004', quoteVolume: '200', cTime: T0, ...f });

/** Trade 12 of order 2: a long's 0.01 BTCUSDT sold to close for 510 USDT, 10 USDT realised, 0.306 USDT fee. */
export const aFuturesClose = (cTime: number, f: Partial<CanonicalFill> = {}): CanonicalFill =>
  aFill({
    tradeId: '12',
    orderId: '2',
    market: 'usdt-futures',
    side: 'sell',
    size: '0.01',
    quoteVolume: '510',
    profit: '10',
    fees: [{ fee: '0.306', feeCoin: 'USDT' }],
    tradeSide: 'close',
    posSide: 'long',
    cTime,
    ...f,
  });

/** Bill 22 at T0: the spot buy's fee, 0.00001 BTC. */
export const aSpotFeeEntry = (e: Partial<CanonicalLedgerEntry> = {}): CanonicalLedgerEntry =>
  aLedgerEntry({ billId: '22', type: 'fee', coin: 'BTC', amount: '-0.00001', cTime: T0, ...e });

/** Bill 24: 0.0425 USDT of funding paid on usdt-futures. */
export const aFundingPayment = (cTime: number, e: Partial<CanonicalLedgerEntry> = {}): CanonicalLedgerEntry =>
  aLedgerEntry({
    billId: '24',
    account: 'usdt-futures',
    type: 'funding',
    businessType: 'contract_settle_fee',
    coin: 'USDT',
    amount: '-0.0425',
    cTime,
    ...e,
  });

/** Records as JSONL, one a line (what a run's result file holds). */
export const jsonLines = (records: object[]): string => records.map((r) => JSON.stringify(r) + '\n').join('');
