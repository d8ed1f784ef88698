/**
 * The rows Bitget serves for fills, bills and tax records, spelled from the account's activity (activity.ts):
 * spot fills field for field as shared/reference/recorded/spot-fills.json, the others as the field lists of
 * reference/bitget-api.md and the bitget-api SDK's typed responses. Every amount and time is a string; fees
 * are negative (paid) on v2 rows and on bills, positive on v3 fills.
 */
import type { Account } from './generator';
import { categoryOf, Dec, type SimEvent, type SimFill } from './activity';
import type { Row } from './rows';

const negative = (fee: string): string => (new Dec(fee).isZero() ? '0' : new Dec(fee).neg().toFixed());
const paid = (fee: string): boolean => !new Dec(fee).isZero();

const V3_CATEGORY = {
  spot: 'SPOT',
  'usdt-futures': 'USDT-FUTURES',
  'usdc-futures': 'USDC-FUTURES',
  'coin-futures': 'COIN-FUTURES',
} as const;

/** GET /api/v2/spot/trade/fills: `feeDetail` is an object here (a JSON string on spot orders). */
export function spotFillRow(account: Account, f: SimFill): Row {
  return {
    userId: account.uid,
    symbol: f.inst.symbol,
    orderId: f.orderId,
    tradeId: f.tradeId,
    orderType: f.orderType,
    side: f.side,
    priceAvg: f.price,
    size: f.size,
    amount: f.quote,
    feeDetail: {
      deduction: f.deduction ? 'yes' : 'no',
      feeCoin: f.feeCoin,
      totalDeductionFee: f.deduction ? negative(f.fee) : '',
      totalFee: negative(f.fee),
    },
    tradeScope: f.role,
    cTime: String(f.cTime),
    uTime: String(f.cTime),
  };
}

/** GET /api/v2/mix/order/fill-history, one entry of `fillList`. */
export function futuresFillRow(f: SimFill): Row {
  return {
    tradeId: f.tradeId,
    symbol: f.inst.symbol,
    orderId: f.orderId,
    price: f.price,
    baseVolume: f.size,
    feeDetail: [{ deduction: 'no', feeCoin: f.feeCoin, totalDeductionFee: '0', totalFee: negative(f.fee) }],
    side: f.side,
    quoteVolume: f.quote,
    profit: f.profit ?? '0',
    enterPointSource: f.source,
    tradeSide: f.tradeSide,
    posMode: f.hedge ? 'hedge_mode' : 'one_way_mode',
    tradeScope: f.role,
    cTime: String(f.cTime),
  };
}

/** GET /api/v3/trade/fills, one entry of `list`: side is the trade's direction, fees positive. */
export function utaFillRow(f: SimFill): Row {
  const futures = f.market !== 'spot';
  return {
    execId: f.tradeId,
    orderId: f.orderId,
    category: V3_CATEGORY[f.market],
    symbol: f.inst.symbol,
    orderType: f.orderType,
    side: f.direction,
    execPrice: f.price,
    execQty: f.size,
    execValue: f.quote,
    tradeScope: f.role,
    feeDetail: paid(f.fee) ? [{ feeCoin: f.feeCoin, fee: f.fee }] : [],
    ...(futures ? { execPnl: f.profit ?? '0', tradeSide: f.closing ? 'close' : 'open' } : {}),
    createdTime: String(f.cTime),
    updatedTime: String(f.cTime),
  };
}

/** The exchange's word for an event on the classic spot wallet (spot bills, spot tax records). */
export function spotWord(e: SimEvent, fill: SimFill | undefined): string {
  switch (e.kind) {
    case 'trade':
      return fill?.side === 'sell' ? 'SELL' : 'BUY';
    case 'fee':
      return 'DEDUCTION_HANDLING_FEE';
    case 'deposit':
      return 'DEPOSIT';
    case 'withdrawal':
      return 'WITHDRAW';
    default:
      return e.direction === 'in' ? 'TRANSFER_IN' : 'TRANSFER_OUT';
  }
}

const SPOT_GROUP: Record<SimEvent['kind'], string> = {
  trade: 'transaction',
  fee: 'transaction',
  deposit: 'deposit',
  withdrawal: 'withdraw',
  transfer: 'transfer',
  funding: 'other',
};

/** The exchange's word for an event on a classic futures wallet (futures bills, future tax records). */
export function futuresWord(e: SimEvent, fill: SimFill | undefined): string {
  if (e.kind === 'funding') return 'contract_settle_fee';
  if (e.kind === 'transfer') return e.direction === 'in' ? 'trans_from_exchange' : 'trans_to_exchange';
  if (!fill) return 'unknown';
  if (!fill.hedge) return fill.side;
  return `${fill.tradeSide === 'close' ? 'close' : 'open'}_${fill.posSide ?? 'long'}`;
}

/**
 * The exchange's word for an event of a unified account (financial records, v3 tax records): the words of
 * Bitget's "Get Financial Records" / "Get Tax Records" lists. Funding, deposits and withdrawals are in neither
 * list: those three words are the simulator's own (the client's table marks them so).
 */
export function utaWord(e: SimEvent): string {
  switch (e.kind) {
    case 'trade':
      return e.direction === 'in' ? 'ORDER_DEALT_IN' : 'ORDER_DEALT_FROZEN_OUT';
    case 'fee':
      return 'ORDER_PLF_FEE_OUT';
    case 'funding':
      return 'FUNDING_FEE';
    case 'deposit':
      return 'DEPOSIT';
    case 'withdrawal':
      return 'WITHDRAW';
    default:
      return e.direction === 'in' ? 'TRANSFER_IN' : 'TRANSFER_OUT';
  }
}

/**
 * The `spotTaxType` of an event: the English labels of "Spot Transaction Records". Bitget lists no transfer
 * label there, so a transfer keeps the bills' word (TRANSFER_IN / TRANSFER_OUT), the simulator's own.
 */
export function spotTaxWord(e: SimEvent, fill: SimFill | undefined): string {
  switch (e.kind) {
    case 'trade':
      return fill?.side === 'sell' ? 'Sell' : 'Buy';
    case 'fee':
      return 'Transaction fee deduct';
    case 'deposit':
      return 'Deposit';
    case 'withdrawal':
      return 'Withdrawal';
    default:
      return e.direction === 'in' ? 'TRANSFER_IN' : 'TRANSFER_OUT';
  }
}

/**
 * The `futureTaxType` of an event: the newer "Futures Transaction Records" list (TRANSFER_IN … OPEN_LONG,
 * BUY_DEAL …). It lists no funding word, so funding keeps the bills' `contract_settle_fee`, the simulator's own.
 */
export function futureTaxWord(e: SimEvent, fill: SimFill | undefined): string {
  if (e.kind === 'funding') return 'contract_settle_fee';
  if (e.kind === 'transfer') return e.direction === 'in' ? 'TRANSFER_IN' : 'TRANSFER_OUT';
  if (!fill) return 'UNKNOWN';
  if (!fill.hedge) return fill.side === 'sell' ? 'SELL_DEAL' : 'BUY_DEAL';
  return `${fill.tradeSide === 'close' ? 'CLOSE' : 'OPEN'}_${(fill.posSide ?? 'long').toUpperCase()}`;
}

/** GET /api/v2/spot/account/bills. */
export function spotBillRow(e: SimEvent, fill: SimFill | undefined): Row {
  return {
    cTime: String(e.cTime),
    coin: e.coin,
    groupType: SPOT_GROUP[e.kind],
    businessType: spotWord(e, fill),
    size: e.amount,
    balance: e.balance,
    fees: negative(e.fee),
    billId: e.billId,
  };
}

/** GET /api/v2/mix/account/bill, one entry of `bills`. */
export function futuresBillRow(e: SimEvent, fill: SimFill | undefined): Row {
  return {
    billId: e.billId,
    symbol: e.symbol ?? '',
    amount: e.amount,
    fee: negative(e.fee),
    feeByCoupon: '',
    businessType: futuresWord(e, fill),
    coin: e.coin,
    balance: e.balance,
    cTime: String(e.cTime),
  };
}

/** GET /api/v3/account/financial-records, one entry of `list`. */
export function financialRecordRow(e: SimEvent): Row {
  return {
    category: categoryOf(e),
    id: e.billId,
    symbol: e.symbol ?? '',
    coin: e.coin,
    type: utaWord(e),
    amount: e.amount,
    fee: negative(e.fee),
    balance: e.balance,
    ts: String(e.cTime),
  };
}

/** GET /api/v2/tax/spot-record; rows after the account's `newFeesSince` carry `bizOrderId` (newer docs). */
export function spotTaxRow(account: Account, e: SimEvent, fill: SimFill | undefined): Row {
  const row: Row = {
    id: e.taxId,
    coin: e.coin,
    spotTaxType: spotTaxWord(e, fill),
    amount: e.amount,
    fee: negative(e.fee),
    balance: e.balance,
    ts: String(e.cTime),
  };
  if (e.cTime >= account.newFeesSince) row['bizOrderId'] = e.orderId ?? '';
  return row;
}

/** GET /api/v2/tax/future-record. */
export function futureTaxRow(e: SimEvent, fill: SimFill | undefined): Row {
  return {
    id: e.taxId,
    symbol: e.symbol ?? '',
    marginCoin: e.coin,
    futureTaxType: futureTaxWord(e, fill),
    amount: e.amount,
    fee: negative(e.fee),
    ts: String(e.cTime),
  };
}

/** GET /api/v3/tax/records, one entry of `list`. */
export function utaTaxRow(e: SimEvent): Row {
  return {
    id: e.taxId,
    coin: e.coin,
    type: utaWord(e),
    amount: e.amount,
    fee: negative(e.fee),
    balance: e.balance,
    ts: String(e.cTime),
  };
}
