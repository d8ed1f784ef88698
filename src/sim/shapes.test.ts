import { startSimulator, type Simulator, type TruthRecord } from './index';
import { getJson, manualClock, qs } from './testkit';
import { fixtureBody } from '../../tests/fixtures/bitget/fixtures';

/** The recorded samples (tests/fixtures/bitget holds the shared recordings, checked equal to them). */
const recorded = (file: string): Record<string, unknown> => fixtureBody(file);

type Shape = Record<string, string>;
const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const shapeOf = (row: Record<string, unknown>): Shape =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeOf(v)]));

const SPOT_ROW = (recorded('spot-history-orders.json').data as Array<Record<string, unknown>>)[0]!;
const FUTURES_ROW = (
  recorded('futures-orders-history.json').data as { entrustedList: Array<Record<string, unknown>> }
).entrustedList[0]!;
const UTA_ROW = (recorded('uta-history-orders.json').data as { list: Array<Record<string, unknown>> })
  .list[0]!;

const FUTURES_PLAN_KEYS = [
  'planType',
  'symbol',
  'size',
  'orderId',
  'executeOrderId',
  'clientOid',
  'planStatus',
  'price',
  'executePrice',
  'priceAvg',
  'baseVolume',
  'callbackRatio',
  'triggerPrice',
  'triggerType',
  'side',
  'posSide',
  'marginCoin',
  'marginMode',
  'enterPointSource',
  'tradeSide',
  'posMode',
  'orderType',
  'cTime',
  'uTime',
  'stopSurplusExecutePrice',
  'stopSurplusTriggerPrice',
  'stopSurplusTriggerType',
  'stopLossExecutePrice',
  'stopLossTriggerPrice',
  'stopLossTriggerType',
];
const SPOT_PLAN_KEYS = [
  'orderId',
  'clientOid',
  'symbol',
  'size',
  'executePrice',
  'triggerPrice',
  'status',
  'orderType',
  'side',
  'planType',
  'triggerType',
  'enterPointSource',
  'uTime',
  'cTime',
];
const STRATEGY_KEYS = [
  'orderId',
  'clientOid',
  'category',
  'symbol',
  'qty',
  'posSide',
  'status',
  'tpTriggerBy',
  'slTriggerBy',
  'takeProfit',
  'stopLoss',
  'tpOrderType',
  'slOrderType',
  'tpLimitPrice',
  'slLimitPrice',
  'triggerBy',
  'triggerPrice',
  'triggerOrderType',
  'triggerOrderPrice',
  'createdTime',
  'updatedTime',
];

describe('rows have exactly the keys and value types of the recorded samples', () => {
  const clock = manualClock(1_750_000_000_000);
  let classic: Simulator;
  let uta: Simulator;
  let truth: TruthRecord[];
  let utaTruth: TruthRecord[];
  beforeAll(async () => {
    classic = await startSimulator({ seed: 8, orders: 5000, now: clock.now });
    uta = await startSimulator({ seed: 8, orders: 5000, now: clock.now, mode: 'uta' });
    truth = [];
    for await (const t of classic.truth()) truth.push(t);
    utaTruth = [];
    for await (const t of uta.truth()) utaTruth.push(t);
  });
  afterAll(async () => {
    await classic.close();
    await uta.close();
  });
  const rowsOf = (list: TruthRecord[], f: (t: TruthRecord) => boolean) => list.filter(f).map((t) => t.raw);

  test('spot history rows match recorded/spot-history-orders.json key for key, type for type', () => {
    const rows = rowsOf(truth, (t) => t.market === 'spot' && t.kind !== 'plan');
    for (const row of rows) expect(shapeOf(row)).toEqual(shapeOf(SPOT_ROW));
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(SPOT_ROW));
  });

  test('spot feeDetail is a JSON string; newer rows carry newFees, older rows do not', () => {
    const rows = rowsOf(
      truth,
      (t) => t.market === 'spot' && t.kind === 'normal' && t.raw.status === 'filled',
    );
    const decoded = rows.map(
      (r) => JSON.parse(r.feeDetail as string) as Record<string, { totalFee?: number }>,
    );
    expect(decoded.some((d) => 'newFees' in d)).toBe(true);
    expect(decoded.some((d) => !('newFees' in d))).toBe(true);
    const lastOld = rows.findLastIndex((_, i) => !('newFees' in decoded[i]!));
    const firstNew = rows.findIndex((_, i) => 'newFees' in decoded[i]!);
    expect(lastOld).toBeLessThan(firstNew);
    for (const d of decoded) {
      const coin = Object.keys(d).find((k) => k !== 'newFees')!;
      expect(d[coin]!.totalFee).toBeLessThan(0);
    }
  });

  test('spot market buys order a quote amount and report the base filled; price is "0"', () => {
    const buy = rowsOf(
      truth,
      (t) => t.raw.orderType === 'market' && t.raw.side === 'buy' && t.market === 'spot',
    )[0]!;
    expect(buy.price).toBe('0');
    expect(Number(buy.quoteVolume)).toBeLessThanOrEqual(Number(buy.size) + 1e-9);
  });

  test('futures history rows match recorded/futures-orders-history.json', () => {
    const rows = rowsOf(truth, (t) => t.market !== 'spot' && t.kind === 'normal');
    for (const row of rows) expect(shapeOf(row)).toEqual(shapeOf(FUTURES_ROW));
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(FUTURES_ROW));
    expect(rows.filter((r) => r.orderType === 'market').every((r) => r.price === '')).toBe(true);
    expect(new Set(rows.map((r) => r.reduceOnly))).toEqual(new Set(['YES', 'NO']));
    const paid = rows.filter((r) => Number(r.baseVolume) > 0);
    expect(paid.every((r) => (r.fee as string).startsWith('-'))).toBe(true);
    expect(new Set(rows.filter((r) => r.symbol === 'BTCUSD').map((r) => r.marginCoin))).toEqual(
      new Set(['BTC']),
    );
  });

  test('futures plan rows have Bitget’s documented field set', () => {
    const rows = rowsOf(truth, (t) => t.market !== 'spot' && t.planType !== undefined);
    for (const row of rows) expect(Object.keys(row)).toEqual(FUTURES_PLAN_KEYS);
    expect(rows.every((r) => Object.values(r).every((v) => typeof v === 'string'))).toBe(true);
    const pl = rowsOf(truth, (t) => t.planType === 'profit_loss').map((r) => r.planType);
    expect(new Set(pl)).toEqual(
      new Set(['profit_plan', 'loss_plan', 'moving_plan', 'pos_profit', 'pos_loss']),
    );
  });

  test('spot plan rows have Bitget’s documented field set', () => {
    for (const row of rowsOf(truth, (t) => t.market === 'spot' && t.kind === 'plan')) {
      expect(Object.keys(row)).toEqual(SPOT_PLAN_KEYS);
    }
  });

  test('v3 history rows match recorded/uta-history-orders.json; strategy rows the documented set', () => {
    const rows = rowsOf(utaTruth, (t) => t.kind === 'normal');
    for (const row of rows) expect(shapeOf(row)).toEqual(shapeOf(UTA_ROW));
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(UTA_ROW));
    const fees = rows.flatMap((r) => r.feeDetail as Array<{ fee: string }>);
    expect(fees.every((f) => Number(f.fee) > 0)).toBe(true);
    for (const row of rowsOf(utaTruth, (t) => t.kind !== 'normal')) {
      expect(Object.keys(row)).toEqual(STRATEGY_KEYS);
      expect(['USDT-FUTURES', 'USDC-FUTURES', 'COIN-FUTURES']).toContain(row.category);
      expect(['long', 'short']).toContain(row.posSide);
    }
  });

  test('the same order ids are served in both modes', () => {
    expect(utaTruth.map((t) => t.orderId)).toEqual(truth.map((t) => t.orderId));
  });

  test('served rows are byte-identical to the truth rows; envelopes use Bitget’s requestTime types', async () => {
    const signed = { credentials: classic.credentials, timestamp: clock.now() };
    const spot = await getJson<Array<Record<string, unknown>>>(
      classic.url,
      '/api/v2/spot/trade/history-orders',
      qs({ limit: 1 }),
      signed,
    );
    const newestSpot = truth.filter((t) => t.market === 'spot' && t.kind === 'normal').at(-1)!;
    expect(spot.body.data[0]).toEqual(newestSpot.raw);
    expect(Object.keys(spot.body)).toEqual(Object.keys(recorded('spot-history-orders.json')));
    expect(typeof spot.body.requestTime).toBe('number');
    const fut = await getJson(
      classic.url,
      '/api/v2/mix/order/orders-history',
      qs({ productType: 'USDT-FUTURES', limit: 1 }),
      signed,
    );
    expect(typeof fut.body.requestTime).toBe('string');
    expect(Object.keys(fut.body.data as object)).toEqual(['entrustedList', 'endId']);
    const v3 = await getJson(uta.url, '/api/v3/trade/history-orders', qs({ category: 'SPOT', limit: 1 }), {
      credentials: uta.credentials,
      timestamp: clock.now(),
    });
    expect(Object.keys(v3.body.data as object)).toEqual(
      Object.keys(recorded('uta-history-orders.json').data as object),
    );
    expect(typeof v3.body.requestTime).toBe('string');
  });
});
