import { existsSync, readFileSync } from 'node:fs';
import Decimal from 'decimal.js';
import { join } from 'node:path';
import { fixtureBody } from '../../tests/fixtures/bitget/fixtures';
import type { CanonicalFill } from '../core/fill';
import { BitgetResponseError } from './errors';
import { normaliseOrder } from './normalise';
import { normaliseFill } from './normaliseFill';

/** The shared reference recording (outside this repository: ../shared/reference/recorded). */
const RECORDED = join(__dirname, '../../../shared/reference/recorded/spot-fills.json');
const spotRow = (fixtureBody('datasets/spot-fills.json').data as Record<string, unknown>[])[0]!;

const futuresRow = {
  tradeId: '1001',
  symbol: 'btcusdt',
  orderId: '2001',
  price: '37000.5',
  baseVolume: '0.01',
  quoteVolume: '370.005',
  feeDetail: [
    { deduction: 'yes', feeCoin: 'BGB', totalDeductionFee: '-0.01', totalFee: '-0.0100' },
    { deduction: 'no', feeCoin: 'USDT', totalDeductionFee: '0', totalFee: '0' },
    { deduction: 'no', feeCoin: 'USDT', totalDeductionFee: '0', totalFee: '-0.111' },
  ],
  side: 'sell',
  profit: '-4.2',
  enterPointSource: 'api',
  tradeSide: 'close',
  posMode: 'hedge_mode',
  tradeScope: 'maker',
  cTime: '1700300000000',
};

describe('normaliseFill', () => {
  (existsSync(RECORDED) ? it : it.skip)('the fixture answers the shared recording field for field', () => {
    expect(fixtureBody('datasets/spot-fills.json')).toStrictEqual(JSON.parse(readFileSync(RECORDED, 'utf8')));
  });

  it('the recorded spot fill normalises field for field', () => {
    const expected: CanonicalFill = {
      tradeId: '1109431644504666114',
      orderId: '1109431644367261698',
      market: 'spot',
      symbol: 'LTCUSDT',
      side: 'buy',
      price: '69.265',
      size: '0.0794',
      quoteVolume: '5.499641',
      fee: '0.0000794',
      feeCoin: 'LTC',
      fees: [{ fee: '0.0000794', feeCoin: 'LTC' }],
      role: 'taker',
      tradeSide: null,
      posSide: null,
      profit: null,
      cTime: 1700235036970,
      raw: spotRow,
    };
    expect(normaliseFill({ endpoint: 'spotFills' }, spotRow)).toStrictEqual(expected);
  });

  it('the recorded fill is the fill of the recorded order: same order, size and fee', () => {
    const orderRow = (fixtureBody('spot-history-orders.json').data as unknown[])[0];
    const order = normaliseOrder({ endpoint: 'spotHistoryOrders', tpslType: 'normal' }, orderRow);
    const fill = normaliseFill({ endpoint: 'spotFills' }, spotRow);
    expect(fill.orderId).toBe(order.orderId);
    expect(new Decimal(fill.size).equals(new Decimal(order.baseVolume!))).toBe(true);
    expect([fill.fee, fill.feeCoin]).toEqual([order.fee, order.feeCoin]);
  });

  it('a spot fill that paid nothing has no fee and an empty fee list', () => {
    const row = {
      ...spotRow,
      feeDetail: { deduction: 'no', feeCoin: 'LTC', totalDeductionFee: '', totalFee: '0' },
    };
    expect(normaliseFill({ endpoint: 'spotFills' }, row)).toMatchObject({
      fee: null,
      feeCoin: null,
      fees: [],
    });
  });

  it('a hedge-mode close of a short (sell + close) is a buy; every paid fee coin is listed', () => {
    const fill = normaliseFill({ endpoint: 'futuresFills', productType: 'USDT-FUTURES' }, futuresRow);
    expect(fill).toMatchObject({
      market: 'usdt-futures',
      symbol: 'BTCUSDT',
      side: 'buy',
      price: '37000.5',
      size: '0.01',
      quoteVolume: '370.005',
      fee: '0.01',
      feeCoin: 'BGB',
      fees: [
        { fee: '0.01', feeCoin: 'BGB' },
        { fee: '0.111', feeCoin: 'USDT' },
      ],
      role: 'maker',
      tradeSide: 'close',
      posSide: 'short',
      profit: '-4.2',
      cTime: 1700300000000,
    });
  });

  it('one-way futures fills keep their side', () => {
    const row = { ...futuresRow, side: 'buy', tradeSide: 'buy_single', posMode: 'one_way_mode' };
    expect(normaliseFill({ endpoint: 'futuresFills', productType: 'COIN-FUTURES' }, row)).toMatchObject({
      market: 'coin-futures',
      side: 'buy',
      tradeSide: 'buy_single',
      posSide: 'net',
    });
  });

  it('posSide comes from posMode: hedge-mode buy is long, sell short; one-way is net', () => {
    const source = { endpoint: 'futuresFills', productType: 'USDT-FUTURES' } as const;
    const posSide = (row: Record<string, unknown>) =>
      normaliseFill(source, { ...futuresRow, ...row }).posSide;
    expect(posSide({ posMode: 'hedge_mode', side: 'buy', tradeSide: 'open' })).toBe('long');
    expect(posSide({ posMode: 'hedge_mode', side: 'buy', tradeSide: 'close' })).toBe('long');
    expect(posSide({ posMode: 'hedge_mode', side: 'sell', tradeSide: 'open' })).toBe('short');
    expect(posSide({ posMode: 'one_way_mode', side: 'sell', tradeSide: 'sell_single' })).toBe('net');
  });

  it('without a known posMode, posSide is the row’s own or null', () => {
    const source = { endpoint: 'futuresFills', productType: 'USDT-FUTURES' } as const;
    const posSide = (row: Record<string, unknown>) =>
      normaliseFill(source, { ...futuresRow, ...row }).posSide;
    expect(posSide({ posMode: undefined, posSide: 'long' })).toBe('long');
    expect(posSide({ posMode: 'some_new_mode', posSide: 'short' })).toBe('short');
    expect(posSide({ posMode: undefined, posSide: undefined })).toBeNull();
  });

  it('v3 fills: fees are positive as sent, profit only off spot, market from the category', () => {
    const row = {
      execId: '9',
      orderId: '8',
      category: 'SPOT',
      symbol: 'BTCUSDT',
      orderType: 'market',
      side: 'sell',
      execPrice: '42000',
      execQty: '0.002',
      execValue: '84',
      tradeScope: 'taker',
      feeDetail: [{ feeCoin: 'USDT', fee: '0.08400' }],
      execPnl: '0',
      createdTime: '1700400000000',
      updatedTime: '1700400000001',
    };
    expect(normaliseFill({ endpoint: 'utaFills', category: 'SPOT' }, row)).toMatchObject({
      tradeId: '9',
      market: 'spot',
      price: '42000',
      size: '0.002',
      quoteVolume: '84',
      fee: '0.084',
      feeCoin: 'USDT',
      profit: null,
      cTime: 1700400000000,
    });
    expect(
      normaliseFill({ endpoint: 'utaFills', category: 'USDC-FUTURES' }, { ...row, execPnl: '1.5' }),
    ).toMatchObject({ market: 'usdc-futures', profit: '1.5' });
  });

  it('refuses a fill without its tradeId, naming the endpoint and the field', () => {
    const row = { ...spotRow };
    delete row['tradeId'];
    expect(() => normaliseFill({ endpoint: 'spotFills' }, row)).toThrow(BitgetResponseError);
    expect(() => normaliseFill({ endpoint: 'spotFills' }, row)).toThrow(/spotFills .*tradeId/);
  });

  it('refuses an unknown tradeScope rather than guessing a role', () => {
    expect(() => normaliseFill({ endpoint: 'spotFills' }, { ...spotRow, tradeScope: 'both' })).toThrow(
      /tradeScope "both"/,
    );
  });
});
