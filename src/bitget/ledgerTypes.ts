/**
 * The exchange's words for what moved a balance, per endpoint vocabulary, mapped onto the product's
 * `LedgerType`. A word no table knows is `other` (never an error): the exchange adds words, and the entry keeps
 * its own word in `businessType` either way.
 *
 * Words are compared after `vocabularyKey`: lower case, every run of spaces, hyphens or underscores one `_`.
 * That one key reads the two spellings of each list that the copies of the docs use (`transfer-in` and
 * `TRANSFER_IN`, `deduction of handling fee` and `DEDUCTION_HANDLING_FEE`).
 *
 * Where each list came from (Bitget's API documentation pages, read through the docs search):
 * - spot bills `businessType`: "Get Account Bills", GET /api/v2/spot/account/bills
 *   (www.bitget.com/api-doc/spot/account/Get-Account-Bills; newer copies spell them upper case, e.g.
 *   bgportable.com/api-doc/spot/account/Get-Account-Bills), and the SDK's `SpotBusinessTypeV2`.
 * - futures bills `businessType`: "Get Account Bills", GET /api/v2/mix/account/bill
 *   (www.bitget.com/api-doc/contract/account/Get-Account-Bill).
 * - v3 financial records `type` and v3 tax records `type`: "Get Financial Records"
 *   (bitgetpro.site/api-doc/uta/account/Get-Financial-Records: TRANSFER_IN, TRANSFER_OUT, ORDER_DEALT_IN …)
 *   and "Get Tax Records" (www.bitget.com/api-doc/uta/tax/Get-Tax-Records: ORDER_DEALT_FROZEN_OUT,
 *   ORDER_PLF_FEE_OUT …) — the same words as the newer futures tax list below.
 * - v2 spot tax records `spotTaxType`: "Spot Transaction Records", GET /api/v2/tax/spot-record
 *   (www.bitget.com/zh-CN/api-doc/common/tax/Get-Spot-Account-Record, bitget.cc/api-doc/common/tax/…).
 * - v2 futures tax records `futureTaxType`: "Futures Transaction Records", GET /api/v2/tax/future-record
 *   (bitget.org/api-doc/common/tax/Get-Future-Account-Record: TRANSFER_IN … BURST_CLOSE_SHORT; older copies
 *   at www.bitget.com list the margin words transfer_in … exchange_out, and the example row says close_long).
 * - v2 margin tax records `marginTaxType`: "Margin Transaction History", GET /api/v2/tax/margin-record
 *   (www.bitget.com/api-doc/common/tax/Get-Margin-Account-Record).
 * - v2 p2p tax records `p2pTaxType`: "P2P Transaction Records", GET /api/v2/tax/p2p-record
 *   (www.bitget.com/api-doc/common/tax/Get-P2P-Account-Record: transfer_in, transfer_out, sell, buy).
 */
import type { LedgerType } from '../core/ledgerEntry';

export type LedgerVocabulary =
  'spotBill' | 'futuresBill' | 'utaRecord' | 'spotTax' | 'futureTax' | 'marginTax' | 'p2pTax';

/** `Transfer-In`, `transfer in`, `TRANSFER_IN` → `transfer_in`. */
export function vocabularyKey(word: string): string {
  return word
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}

type Table = Readonly<Record<string, LedgerType>>;

/** Builds a table from `type: [words…]`, keyed by `vocabularyKey`. */
function table(groups: Partial<Record<LedgerType, readonly string[]>>): Table {
  const out: Record<string, LedgerType> = {};
  for (const [type, words] of Object.entries(groups) as [LedgerType, readonly string[]][]) {
    for (const w of words) out[vocabularyKey(w)] = type;
  }
  return out;
}

/** Spot bills. System and user lock-ups move coins between available and locked: `other`. */
const SPOT_BILL = table({
  deposit: ['deposit'],
  withdrawal: ['withdraw'],
  trade: ['buy', 'sell'],
  fee: ['deduction of handling fee', 'DEDUCTION_HANDLING_FEE'],
  transfer: ['transfer-in', 'transfer-out'],
  bonus: ['rebate rewards', 'airdrop rewards', 'USDT contract rewards', 'mix contract rewards'],
  other: ['system lock', 'user lock'],
});

/**
 * Futures bills. Margin moves inside the futures account (append_margin …) and copy-trading settlements are
 * `other`; forced and burst closes are `liquidation`; delivery settles a position: `trade`.
 */
const FUTURES_BILL = table({
  transfer: [
    'trans_from_exchange',
    'trans_to_exchange',
    'trans_from_contract',
    'trans_to_contract',
    'trans_from_otc',
    'trans_to_otc',
    'trans_from_cross',
    'trans_to_cross',
    'trans_from_isolated',
    'trans_to_isolated',
  ],
  trade: [
    'open_long',
    'open_short',
    'close_long',
    'close_short',
    'buy',
    'sell',
    'delivery_long',
    'delivery_short',
  ],
  liquidation: [
    'force_close_long',
    'force_close_short',
    'force_buy',
    'force_sell',
    'burst_long_loss_query',
    'burst_short_loss_query',
    'burst_buy',
    'burst_sell',
  ],
  funding: ['contract_settle_fee'],
  bonus: ['cash_gift_issue', 'cash_gift_recycle', 'bonus_issue', 'bonus_recycle', 'bonus_expired'],
  other: [
    'unknown',
    'append_margin',
    'adjust_down_lever_append_margin',
    'reduce_margin',
    'auto_append_margin',
    'tracking_follow_pay',
    'tracking_follow_back',
    'tracking_trader_income',
  ],
});

/**
 * The upper-case words of the unified account (financial records, tax records) and of the newer futures tax
 * list. Conversions (EXCHANGE_…) are trades of one coin for another.
 */
const UTA_RECORD = table({
  transfer: ['TRANSFER_IN', 'TRANSFER_OUT'],
  trade: [
    'ORDER_DEALT_IN',
    'ORDER_DEALT_FROZEN_OUT',
    'EXCHANGE_SOURCE_TOKEN_USER_OUT',
    'EXCHANGE_TARGET_TOKEN_USER_IN',
    'OPEN_LONG',
    'OPEN_SHORT',
    'BUY_DEAL',
    'SELL_DEAL',
    'CLOSE_LONG',
    'CLOSE_SHORT',
    'OFFSET_REDUCE_CLOSE_LONG',
    'OFFSET_REDUCE_CLOSE_SHORT',
  ],
  fee: ['ORDER_PLF_FEE_OUT'],
  liquidation: ['FORCE_CLOSE_LONG', 'FORCE_CLOSE_SHORT', 'BURST_CLOSE_LONG', 'BURST_CLOSE_SHORT'],
});

/** The margin words (margin tax records, and the older copy of the futures tax list). */
const MARGIN_WORDS = {
  transfer: ['transfer_in', 'transfer_out'],
  trade: ['deal_in', 'deal_out', 'exchange_in', 'exchange_out'],
  fee: ['system_fee_in'],
  interest: ['interest_repay'],
  liquidation: ['liquidation_fee', 'compensate', 'confiscated'],
  // Borrowing and repaying principal move coins between the lender and the account: neither a fee nor a trade.
  other: ['borrow', 'repay'],
} as const satisfies Partial<Record<LedgerType, readonly string[]>>;

const MARGIN_TAX = table(MARGIN_WORDS);

/*
 * Not found in Bitget's documentation: the simulator's word; a real account's unknown word maps to other.
 * The simulator generates events these lists have no word for (v3 funding, deposits and withdrawals; transfers
 * in spot tax records; funding in futures tax records) and keeps a word of its own for them; these entries let
 * the client type them. docs/DATASETS.md ("Assumptions") lists them.
 */
const UTA_RECORD_SIMULATOR = table({
  funding: ['FUNDING_FEE'],
  deposit: ['DEPOSIT'],
  withdrawal: ['WITHDRAW'],
});
const SPOT_TAX_SIMULATOR = table({ transfer: ['TRANSFER_IN', 'TRANSFER_OUT'] });
const FUTURE_TAX_SIMULATOR = table({ funding: ['contract_settle_fee'] });

const FUTURE_TAX: Table = { ...MARGIN_TAX, ...UTA_RECORD, ...FUTURE_TAX_SIMULATOR };

/** Spot tax records: Bitget's English labels. Lock-ups, ETF settlements and judicial recalls are `other`. */
const SPOT_TAX = table({
  deposit: ['Deposit', 'Automatic deposit', 'Deposit from strategy account'],
  withdrawal: [
    'Withdrawal',
    'Fiat withdrawal success - Deduct',
    'Automatic withdrawal',
    'Withdraw to strategy account',
  ],
  trade: ['Sell', 'Buy', 'Buy Crypto', 'Buy with card'],
  fee: ['User fees', 'Transaction fee deduct', 'System charges fees'],
  interest: ['Interest'],
  bonus: [
    'Trading fee rebate',
    'Airdrop Reward-B',
    'Crypto Voucher Distribution',
    'Lotto rewards',
    "Strategic Income-Traders' accounts",
    'Copy Trade profit',
    'Refund Copy Trade commission',
    'Strategic refund-User account',
    'Subscription fee refund-user account',
  ],
  other: [
    'Strategic purchase-user accounts',
    'Subscribe to trader-user accounts',
    'Copy Trade expense',
    'Judicial recall',
    'Deduction of judicial recall',
    'System lock-up',
    'User lock-up',
    'Decrease due to ETF settlement',
    'Increase due to ETF settlement',
    'Manage background lock positions',
  ],
});

const P2P_TAX = table({ transfer: ['transfer_in', 'transfer_out'], trade: ['buy', 'sell'] });

export const LEDGER_TYPE_TABLES: Readonly<Record<LedgerVocabulary, Table>> = {
  spotBill: SPOT_BILL,
  futuresBill: FUTURES_BILL,
  utaRecord: { ...UTA_RECORD, ...UTA_RECORD_SIMULATOR },
  spotTax: { ...SPOT_TAX, ...SPOT_TAX_SIMULATOR },
  futureTax: FUTURE_TAX,
  marginTax: MARGIN_TAX,
  p2pTax: P2P_TAX,
};

/** The product's type of an exchange word; a word the vocabulary does not list is `other`. */
export function ledgerTypeOf(vocabulary: LedgerVocabulary, word: string): LedgerType {
  return LEDGER_TYPE_TABLES[vocabulary][vocabularyKey(word)] ?? 'other';
}
