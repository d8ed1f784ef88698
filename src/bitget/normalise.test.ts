import type { CanonicalOrder } from '../core/order';
import { fixtureBody } from '../../tests/fixtures/bitget/fixtures';
import { BitgetResponseError } from './errors';
import { normaliseOrder } from './normalise';

type Row = Record<string, unknown>;
const spotRow = (fixtureBody('spot-history-orders.json').data as Row[])[0]!;
const futuresRow = (fixtureBody('futures-orders-history.json').data as { entrustedList: Row[] })
  .entrustedList[0]!;
const utaRow = (fixtureBody('uta-history-orders.json').data as { list: Row[] }).list[0]!;

const spotPlanRow: Row = {
  orderId: '1130429290010386432',
  clientOid: '1130429290010386433',
  symbol: 'BTCUSDT',
  size: '0.001',
  executePrice: '0',
  triggerPrice: '30000',
  status: 'triggered',
  orderType: 'market',
  side: 'sell',
  planType: 'amount',
  triggerType: 'fill_price',
  enterPointSource: 'API',
  uTime: '1705371512000',
  cTime: '1705371500000',
};

const futuresPlanRow: Row = {
  planType: 'normal_plan',
  symbol: 'ethusdt_umcbl',
  size: '0.5',
  orderId: '1135025497930219520',
  executeOrderId: '',
  clientOid: '1135025497930219521',
  planStatus: 'cancelled',
  price: '2200',
  executePrice: '2200',
  priceAvg: '',
  baseVolume: '',
  callbackRatio: '',
  triggerPrice: '2210',
  triggerType: 'mark_price',
  side: 'sell',
  posSide: 'short',
  marginCoin: 'USDT',
  marginMode: 'crossed',
  enterPointSource: 'API',
  tradeSide: 'close',
  posMode: 'hedge_mode',
  orderType: 'limit',
  cTime: '1706000000000',
  uTime: '1706000100000',
};

describe('normaliseOrder on the recorded samples', () => {
  it('turns the spot market buy into a canonical order paying 0.0000794 LTC', () => {
    const expected: CanonicalOrder = {
      orderId: '1109431644367261698',
      clientOid: 'b7381448-70ba-423f-96ad-4e836d01f668',
      market: 'spot',
      kind: 'normal',
      symbol: 'LTCUSDT',
      side: 'buy',
      orderType: 'market',
      status: 'filled',
      price: null,
      size: '5.5000000000000000',
      priceAvg: '69.2650000000000000',
      baseVolume: '0.0794000000000000',
      quoteVolume: '5.4996410000000000',
      fee: '0.0000794',
      feeCoin: 'LTC',
      leverage: null,
      marginMode: null,
      posSide: null,
      tradeSide: null,
      reduceOnly: false,
      cTime: 1700235036937,
      uTime: 1700235037004,
      raw: spotRow,
    };
    expect(normaliseOrder({ endpoint: 'spotHistoryOrders', tpslType: 'normal' }, spotRow)).toEqual(expected);
  });

  it('turns the hedge-mode close of a long into a reduce-only sell paying 0.004335 USDT', () => {
    const expected: CanonicalOrder = {
      orderId: '1115965643967582214',
      clientOid: '1115965643971776512',
      market: 'usdt-futures',
      kind: 'normal',
      symbol: 'LTCUSDT',
      side: 'sell',
      orderType: 'market',
      status: 'filled',
      price: null,
      size: '0.1',
      priceAvg: '72.25',
      baseVolume: '0.1',
      quoteVolume: '7.225',
      fee: '0.004335',
      feeCoin: 'USDT',
      leverage: '20',
      marginMode: 'isolated',
      posSide: 'long',
      tradeSide: 'close',
      reduceOnly: true,
      cTime: 1701792863838,
      uTime: 1701792863950,
      raw: futuresRow,
    };
    expect(
      normaliseOrder({ endpoint: 'futuresHistoryOrders', productType: 'USDT-FUTURES' }, futuresRow),
    ).toEqual(expected);
  });

  it('maps the v3 field names and reads the positive fee of 0.00642032 USDT', () => {
    const expected: CanonicalOrder = {
      orderId: '1322441400976261120',
      clientOid: '1322441400976261121',
      market: 'usdt-futures',
      kind: 'normal',
      symbol: 'BTCUSDT',
      side: 'sell',
      orderType: 'market',
      status: 'filled',
      price: null,
      size: '0.0001',
      priceAvg: '107005.4',
      baseVolume: '0.0001',
      quoteVolume: '10.7005',
      fee: '0.00642032',
      feeCoin: 'USDT',
      leverage: null,
      marginMode: null,
      posSide: 'long',
      tradeSide: null,
      reduceOnly: false,
      cTime: 1751020520442,
      uTime: 1751020520457,
      raw: utaRow,
    };
    expect(normaliseOrder({ endpoint: 'utaHistoryOrders', category: 'USDT-FUTURES' }, utaRow)).toEqual(
      expected,
    );
  });

  it('keeps raw as an untouched copy of the row', () => {
    const order = normaliseOrder({ endpoint: 'spotHistoryOrders' }, spotRow);
    expect(order.raw).toEqual(spotRow);
    expect(order.raw).not.toBe(spotRow);
    expect(order.raw.feeDetail).toBe(spotRow.feeDetail);
  });
});

describe('normaliseOrder field by field', () => {
  it('spells cancelled as canceled and marks spot TP/SL rows as kind tpsl', () => {
    const order = normaliseOrder(
      { endpoint: 'spotHistoryOrders', tpslType: 'tpsl' },
      { ...spotRow, status: 'cancelled' },
    );
    expect(order.status).toBe('canceled');
    expect(order.kind).toBe('tpsl');
  });

  it('keeps the price of a spot limit order and the fee of a row without newFees', () => {
    const order = normaliseOrder(
      { endpoint: 'spotHistoryOrders' },
      {
        ...spotRow,
        orderType: 'limit',
        price: '70.1',
        feeDetail:
          '{"USDT":{"deduction":false,"feeCoinCode":"USDT","totalDeductionFee":0,"totalFee":-0.00551}}',
      },
    );
    expect(order.price).toBe('70.1');
    expect(order).toMatchObject({ fee: '0.00551', feeCoin: 'USDT' });
  });

  it('reports no fee and no fee coin when nothing was paid', () => {
    const order = normaliseOrder(
      { endpoint: 'futuresHistoryOrders', productType: 'USDT-FUTURES' },
      { ...futuresRow, fee: '0' },
    );
    expect(order).toMatchObject({ fee: null, feeCoin: null });
  });

  it('keeps the side of a one-way futures order and flips sell+close to buy in hedge mode', () => {
    const source = { endpoint: 'futuresHistoryOrders', productType: 'COIN-FUTURES' } as const;
    const oneWay = normaliseOrder(source, {
      ...futuresRow,
      posMode: 'one_way_mode',
      tradeSide: 'buy_single',
    });
    expect(oneWay.side).toBe('buy');
    expect(oneWay.market).toBe('coin-futures');
    const closeShort = normaliseOrder(source, { ...futuresRow, side: 'sell', posSide: 'short' });
    expect(closeShort.side).toBe('buy');
    const openLong = normaliseOrder(source, { ...futuresRow, tradeSide: 'open', reduceOnly: 'NO' });
    expect(openLong).toMatchObject({ side: 'buy', reduceOnly: false });
  });

  it('accepts a boolean reduceOnly, a status under state, a lower-case v1 symbol and a limit price', () => {
    const { status: _status, ...withoutStatus } = futuresRow;
    const order = normaliseOrder(
      { endpoint: 'futuresHistoryOrders', productType: 'USDC-FUTURES' },
      {
        ...withoutStatus,
        state: 'canceled',
        reduceOnly: true,
        symbol: 'btcperp_cmcbl',
        price: '65000.5',
        orderType: 'limit',
      },
    );
    expect(order).toMatchObject({
      status: 'canceled',
      reduceOnly: true,
      symbol: 'BTCPERP',
      price: '65000.5',
    });
    expect(order.market).toBe('usdc-futures');
  });

  it('maps spot plan statuses to live, triggered, failed and canceled', () => {
    const source = { endpoint: 'spotPlanHistory' } as const;
    const statusOf = (status: string) => normaliseOrder(source, { ...spotPlanRow, status }).status;
    expect([
      statusOf('not_trigger'),
      statusOf('triggered'),
      statusOf('fail_trigger'),
      statusOf('cancel'),
    ]).toEqual(['live', 'triggered', 'failed', 'canceled']);
    expect(normaliseOrder(source, spotPlanRow)).toMatchObject({
      kind: 'plan',
      market: 'spot',
      side: 'sell',
      price: null,
      size: '0.001',
      fee: null,
      cTime: 1705371500000,
      uTime: 1705371512000,
    });
  });

  it('maps futures plan statuses and reads the plan price', () => {
    const source = {
      endpoint: 'futuresPlanHistory',
      productType: 'USDT-FUTURES',
      planType: 'normal_plan',
    } as const;
    const statusOf = (planStatus: string) => normaliseOrder(source, { ...futuresPlanRow, planStatus }).status;
    expect([statusOf('live'), statusOf('executed'), statusOf('fail_execute'), statusOf('cancelled')]).toEqual(
      ['live', 'triggered', 'failed', 'canceled'],
    );
    expect(normaliseOrder(source, futuresPlanRow)).toMatchObject({
      kind: 'plan',
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2200',
      priceAvg: null,
      baseVolume: null,
      fee: null,
      reduceOnly: true,
    });
  });

  it('maps v3 SPOT and MARGIN to the spot market and keeps the first non-zero fee of several coins', () => {
    const row = {
      ...utaRow,
      category: 'MARGIN',
      feeDetail: [
        { feeCoin: 'BGB', fee: '0' },
        { feeCoin: 'USDT', fee: '0.10' },
        { feeCoin: 'BTC', fee: '0.000001' },
      ],
    };
    expect(normaliseOrder({ endpoint: 'utaHistoryOrders', category: 'MARGIN' }, row)).toMatchObject({
      market: 'spot',
      fee: '0.1',
      feeCoin: 'USDT',
    });
  });
});

/** A v3 history-strategy-orders row with every documented field empty, as Bitget lists an unused leg. */
const strategyRow = (fields: Row): Row => ({
  orderId: '1322441400976261200',
  clientOid: '1322441400976261201',
  category: 'USDT-FUTURES',
  symbol: 'BTCUSDT',
  qty: '0.01',
  posSide: 'long',
  status: 'success',
  tpTriggerBy: '',
  slTriggerBy: '',
  takeProfit: '',
  stopLoss: '',
  tpOrderType: '',
  slOrderType: '',
  tpLimitPrice: '',
  slLimitPrice: '',
  triggerBy: '',
  triggerPrice: '',
  triggerOrderType: '',
  triggerOrderPrice: '',
  createdTime: '1730186725663',
  updatedTime: '1730186725691',
  ...fields,
});
const v3 = { endpoint: 'utaStrategyHistory', category: 'USDT-FUTURES' } as const;
const classicPlan = (planType: 'normal_plan' | 'track_plan' | 'profit_loss') =>
  ({ endpoint: 'futuresPlanHistory', productType: 'USDT-FUTURES', planType }) as const;

describe('normaliseOrder classifies every row shape by what it holds', () => {
  it('reads a v3 take-profit on a long as a reduce-only tpsl sell typed by tpOrderType', () => {
    const row = strategyRow({ tpTriggerBy: 'market', takeProfit: '110000', tpOrderType: 'market' });
    expect(normaliseOrder(v3, row)).toMatchObject({
      kind: 'tpsl',
      market: 'usdt-futures',
      side: 'sell',
      orderType: 'market',
      status: 'triggered',
      price: null,
      size: '0.01',
      posSide: 'long',
      reduceOnly: true,
      cTime: 1730186725663,
    });
  });

  it('reads a v3 limit stop-loss on a short as a reduce-only tpsl buy at its slLimitPrice', () => {
    const row = strategyRow({
      posSide: 'short',
      status: 'cancelled',
      slTriggerBy: 'mark',
      stopLoss: '120000',
      slOrderType: 'limit',
      slLimitPrice: '120100',
    });
    expect(normaliseOrder(v3, row)).toMatchObject({
      kind: 'tpsl',
      side: 'buy',
      orderType: 'limit',
      price: '120100',
      status: 'canceled',
      reduceOnly: true,
    });
  });

  it('reads a v3 trigger order as kind plan typed by triggerOrderType, its side and reduceOnly unknown', () => {
    const row = strategyRow({
      triggerBy: 'market',
      triggerPrice: '100000',
      triggerOrderType: 'limit',
      triggerOrderPrice: '100050',
    });
    expect(normaliseOrder(v3, row)).toMatchObject({
      kind: 'plan',
      orderType: 'limit',
      price: '100050',
      side: null,
      reduceOnly: null,
      posSide: 'long',
      status: 'triggered',
    });
  });

  it('keeps a v3 trigger order with preset take-profit / stop-loss prices a plan order', () => {
    const row = strategyRow({
      status: 'failed',
      triggerBy: 'mark',
      triggerPrice: '100000',
      triggerOrderType: 'market',
      takeProfit: '105000',
      stopLoss: '97000',
    });
    expect(normaliseOrder(v3, row)).toMatchObject({
      kind: 'plan',
      orderType: 'market',
      price: null,
      status: 'failed',
    });
  });

  it('takes side and reduceOnly from a v3 row that names them', () => {
    const row = strategyRow({
      triggerPrice: '100000',
      triggerOrderType: 'market',
      side: 'buy',
      reduceOnly: 'NO',
    });
    expect(normaliseOrder(v3, row)).toMatchObject({ kind: 'plan', side: 'buy', reduceOnly: false });
  });

  it('refuses a v3 strategy row that holds neither a trigger price nor a TP/SL price', () => {
    expect(() => normaliseOrder(v3, strategyRow({}))).toThrow(
      expect.objectContaining({ name: 'BitgetResponseError', field: 'triggerPrice' }),
    );
  });

  it('refuses a v3 TP/SL leg without its order type', () => {
    expect(() => normaliseOrder(v3, strategyRow({ takeProfit: '110000' }))).toThrow(
      expect.objectContaining({ field: 'tpOrderType' }),
    );
  });

  it('keeps the recorded v3 sample a normal order: its null take-profit / stop-loss fields hold no TP/SL', () => {
    expect(utaRow).toMatchObject({ takeProfit: null, stopLoss: null, tpOrderType: null });
    expect(normaliseOrder({ endpoint: 'utaHistoryOrders', category: 'USDT-FUTURES' }, utaRow)).toMatchObject({
      kind: 'normal',
      orderType: 'market',
      reduceOnly: false,
    });
    expect(() => normaliseOrder(v3, utaRow)).toThrow(expect.objectContaining({ field: 'triggerPrice' }));
  });

  it('reads a classic normal_plan opening a hedge-mode long as a plan buy that does not reduce', () => {
    const row = { ...futuresPlanRow, side: 'buy', posSide: 'long', tradeSide: 'open' };
    expect(normaliseOrder(classicPlan('normal_plan'), row)).toMatchObject({
      kind: 'plan',
      side: 'buy',
      orderType: 'limit',
      reduceOnly: false,
    });
  });

  it('leaves reduceOnly unknown on a one-way normal_plan, whose row does not say', () => {
    const row = {
      ...futuresPlanRow,
      side: 'sell',
      posSide: 'net',
      tradeSide: 'sell_single',
      posMode: 'one_way_mode',
    };
    expect(normaliseOrder(classicPlan('normal_plan'), row)).toMatchObject({
      kind: 'plan',
      side: 'sell',
      reduceOnly: null,
    });
  });

  it('reads a classic track_plan as a market plan order', () => {
    const row = {
      ...futuresPlanRow,
      planType: 'track_plan',
      orderType: 'market',
      price: '',
      executePrice: '0',
      callbackRatio: '1.5',
      tradeSide: 'open',
      side: 'buy',
      posSide: 'long',
    };
    expect(normaliseOrder(classicPlan('track_plan'), row)).toMatchObject({
      kind: 'plan',
      orderType: 'market',
      price: null,
      side: 'buy',
      reduceOnly: false,
    });
  });

  it.each(['profit_plan', 'loss_plan', 'moving_plan', 'pos_profit', 'pos_loss'])(
    'reads a classic profit_loss row of sub-type %s as a reduce-only tpsl order',
    (planType) => {
      const closeLong = { ...futuresPlanRow, planType, side: 'buy', posSide: 'long', tradeSide: 'close' };
      expect(normaliseOrder(classicPlan('profit_loss'), closeLong)).toMatchObject({
        kind: 'tpsl',
        side: 'sell',
        orderType: 'limit',
        reduceOnly: true,
      });
      const oneWay = { ...closeLong, tradeSide: 'sell_single', side: 'sell', posSide: 'net' };
      expect(normaliseOrder(classicPlan('profit_loss'), oneWay)).toMatchObject({
        kind: 'tpsl',
        side: 'sell',
        reduceOnly: true,
      });
    },
  );

  it('classifies a classic plan row by its own planType, and by the listing only when it has none', () => {
    const { planType: _planType, ...untyped } = futuresPlanRow;
    expect(normaliseOrder(classicPlan('profit_loss'), untyped).kind).toBe('tpsl');
    expect(normaliseOrder(classicPlan('normal_plan'), untyped).kind).toBe('plan');
    const profitPlan = { ...futuresPlanRow, planType: 'profit_plan' };
    expect(normaliseOrder(classicPlan('normal_plan'), profitPlan).kind).toBe('tpsl');
  });

  it('reads a spot plan row as a plan order and a spot TP/SL row as tpsl; spot orders never reduce', () => {
    expect(normaliseOrder({ endpoint: 'spotPlanHistory' }, spotPlanRow)).toMatchObject({
      kind: 'plan',
      orderType: 'market',
      side: 'sell',
      reduceOnly: false,
    });
    const tpsl = { ...spotRow, tpslType: 'tpsl', triggerPrice: '75', orderType: 'limit', price: '74.9' };
    expect(normaliseOrder({ endpoint: 'spotHistoryOrders', tpslType: 'tpsl' }, tpsl)).toMatchObject({
      kind: 'tpsl',
      orderType: 'limit',
      reduceOnly: false,
    });
  });

  it('derives a futures order reduceOnly from its tradeSide only when the flag is absent', () => {
    const source = { endpoint: 'futuresHistoryOrders', productType: 'USDT-FUTURES' } as const;
    const { reduceOnly: _flag, ...unflagged } = futuresRow;
    expect(normaliseOrder(source, unflagged).reduceOnly).toBe(true);
    expect(normaliseOrder(source, { ...unflagged, tradeSide: 'open' }).reduceOnly).toBe(false);
    expect(normaliseOrder(source, { ...unflagged, tradeSide: 'buy_single' }).reduceOnly).toBeNull();
    expect(() => normaliseOrder(source, { ...futuresRow, reduceOnly: 'maybe' })).toThrow(/reduceOnly/);
  });
});

describe('normaliseOrder on malformed rows', () => {
  it('names the missing field', () => {
    const { cTime: _cTime, ...row } = futuresRow;
    expect(() =>
      normaliseOrder({ endpoint: 'futuresHistoryOrders', productType: 'USDT-FUTURES' }, row),
    ).toThrow(expect.objectContaining({ name: 'BitgetResponseError', field: 'cTime' }));
  });

  it('rejects an unreadable feeDetail and an unknown side', () => {
    expect(() =>
      normaliseOrder({ endpoint: 'spotHistoryOrders' }, { ...spotRow, feeDetail: '{oops' }),
    ).toThrow(BitgetResponseError);
    expect(() => normaliseOrder({ endpoint: 'spotHistoryOrders' }, { ...spotRow, side: 'up' })).toThrow(
      /side/,
    );
  });
});
