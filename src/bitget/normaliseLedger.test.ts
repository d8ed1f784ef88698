import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import { LEDGER_TYPES } from '../core/ledgerEntry';
import { LEDGER_TYPE_TABLES, ledgerTypeOf, vocabularyKey } from './ledgerTypes';
import { normaliseLedgerEntry } from './normaliseLedger';

describe('normaliseLedgerEntry', () => {
  it('a spot bill: amount = size, fee = |fees|, the exchange word kept beside the type', () => {
    const row = {
      cTime: '1700100000000',
      coin: 'LTC',
      groupType: 'transaction',
      businessType: 'deduction of handling fee',
      size: '-0.0000794',
      balance: '0.0793206',
      fees: '-0.0000794',
      billId: '1109431644600000000',
    };
    const expected: CanonicalLedgerEntry = {
      billId: '1109431644600000000',
      account: 'spot',
      coin: 'LTC',
      amount: '-0.0000794',
      fee: '0.0000794',
      balance: '0.0793206',
      type: 'fee',
      businessType: 'deduction of handling fee',
      symbol: null,
      orderId: null,
      source: 'bills',
      cTime: 1700100000000,
      raw: row,
    };
    expect(normaliseLedgerEntry({ endpoint: 'spotBills' }, row)).toStrictEqual(expected);
  });

  it('a futures funding bill belongs to its product type’s market; a zero fee is null', () => {
    const row = {
      billId: '5',
      symbol: 'ethusdt',
      amount: '0.31',
      fee: '0',
      feeByCoupon: '',
      businessType: 'contract_settle_fee',
      coin: 'USDC',
      balance: '',
      cTime: '1700000000500',
    };
    expect(
      normaliseLedgerEntry({ endpoint: 'futuresBills', productType: 'USDC-FUTURES' }, row),
    ).toMatchObject({
      account: 'usdc-futures',
      amount: '0.31',
      fee: null,
      balance: null,
      type: 'funding',
      symbol: 'ETHUSDT',
      source: 'bills',
    });
  });

  it('tax records are ledger entries with source "tax", cTime from ts', () => {
    const row = {
      id: '42',
      coin: 'USDT',
      spotTaxType: 'Withdrawal',
      amount: '-100',
      fee: '-1',
      balance: '5',
      ts: '1650000000000',
    };
    expect(normaliseLedgerEntry({ endpoint: 'taxSpotRecords' }, row)).toMatchObject({
      billId: '42',
      account: 'spot',
      amount: '-100',
      fee: '1',
      type: 'withdrawal',
      businessType: 'Withdrawal',
      orderId: null,
      source: 'tax',
      cTime: 1650000000000,
    });
  });

  it('an exchange word no table knows becomes "other", never an error', () => {
    const row = {
      id: '1',
      coin: 'BTC',
      type: 'SOMETHING_NEW_2027',
      amount: '1',
      fee: '0',
      balance: '1',
      ts: '1',
    };
    expect(normaliseLedgerEntry({ endpoint: 'utaTaxRecords', bizType: 'OTHER' }, row)).toMatchObject({
      type: 'other',
      businessType: 'SOMETHING_NEW_2027',
    });
  });

  it('refuses a tax record without its ts, naming the endpoint and the field', () => {
    const row = { id: '1', symbol: 'BTCUSDT', marginCoin: 'USDT', futureTaxType: 'close_long', amount: '1' };
    expect(() =>
      normaliseLedgerEntry({ endpoint: 'taxFutureRecords', productType: 'USDT-FUTURES' }, row),
    ).toThrow(/taxFutureRecords .*ts/);
  });
});

describe('the businessType → type tables', () => {
  it.each([
    ['spotBill', 'transfer-in', 'transfer'],
    ['spotBill', 'TRANSFER_IN', 'transfer'],
    ['spotBill', 'DEDUCTION_HANDLING_FEE', 'fee'],
    ['spotBill', 'withdraw', 'withdrawal'],
    ['spotBill', 'airdrop rewards', 'bonus'],
    ['futuresBill', 'contract_settle_fee', 'funding'],
    ['futuresBill', 'burst_long_loss_query', 'liquidation'],
    ['futuresBill', 'trans_to_exchange', 'transfer'],
    ['futuresBill', 'close_short', 'trade'],
    ['utaRecord', 'ORDER_PLF_FEE_OUT', 'fee'],
    ['utaRecord', 'ORDER_DEALT_IN', 'trade'],
    ['spotTax', 'Transaction fee deduct', 'fee'],
    ['spotTax', 'Interest', 'interest'],
    ['spotTax', 'Deposit', 'deposit'],
    ['futureTax', 'close_long', 'trade'],
    ['futureTax', 'BURST_CLOSE_LONG', 'liquidation'],
    ['futureTax', 'transfer_out', 'transfer'],
    ['marginTax', 'interest_repay', 'interest'],
    ['marginTax', 'liquidation_fee', 'liquidation'],
    ['p2pTax', 'buy', 'trade'],
    ['utaRecord', 'ORDER_DEALT_FROZEN_OUT', 'trade'],
    ['spotTax', 'Withdrawal', 'withdrawal'],
    ['futureTax', 'SELL_DEAL', 'trade'],
    ['futureTax', 'TRANSFER_IN', 'transfer'],
    // Not in Bitget's lists: the simulator's own words (ledgerTypes.ts, docs/DATASETS.md "Assumptions").
    ['utaRecord', 'FUNDING_FEE', 'funding'],
    ['utaRecord', 'DEPOSIT', 'deposit'],
    ['utaRecord', 'WITHDRAW', 'withdrawal'],
    ['spotTax', 'TRANSFER_OUT', 'transfer'],
    ['futureTax', 'contract_settle_fee', 'funding'],
  ] as const)('%s "%s" → %s', (vocabulary, word, type) => {
    expect(ledgerTypeOf(vocabulary, word)).toBe(type);
  });

  it('an unknown word is "other" in every vocabulary', () => {
    for (const vocabulary of Object.keys(LEDGER_TYPE_TABLES) as (keyof typeof LEDGER_TYPE_TABLES)[]) {
      expect(ledgerTypeOf(vocabulary, 'never heard of it')).toBe('other');
    }
  });

  it('maps only onto the product’s ledger types', () => {
    for (const table of Object.values(LEDGER_TYPE_TABLES)) {
      for (const type of Object.values(table)) expect(LEDGER_TYPES).toContain(type);
    }
  });

  it('reads the copies’ spellings alike', () => {
    expect(vocabularyKey('Transfer-In')).toBe('transfer_in');
    expect(vocabularyKey(' deduction  of handling fee ')).toBe('deduction_of_handling_fee');
  });
});
