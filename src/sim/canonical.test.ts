import type { OrderSource } from '../bitget/normalise';
import { normaliseOrder } from '../bitget/normalise';
import { PRODUCT_TYPE_BY_MARKET } from '../core/order';
import { generateAccount } from './generator';
import { truthRecords } from './truth';
import type { AccountMode, TruthRecord } from './types';

const NOW = 1_750_000_000_000;
const truthOf = (mode: AccountMode, seed = 7): TruthRecord[] => [
  ...truthRecords(generateAccount({ seed, orders: 6000, symbols: 24, days: 90, now: NOW, mode }), mode),
];

/** The endpoint that serves a truth record's row (what the product normalises it as). */
function sourceOf(t: TruthRecord, mode: AccountMode): OrderSource {
  if (mode === 'uta') {
    if (t.market === 'spot') return { endpoint: 'utaHistoryOrders', category: 'SPOT' };
    const category = PRODUCT_TYPE_BY_MARKET[t.market];
    return t.planType
      ? { endpoint: 'utaStrategyHistory', category }
      : { endpoint: 'utaHistoryOrders', category };
  }
  if (t.market === 'spot')
    return t.kind === 'plan'
      ? { endpoint: 'spotPlanHistory' }
      : { endpoint: 'spotHistoryOrders', tpslType: t.kind === 'tpsl' ? 'tpsl' : 'normal' };
  const productType = PRODUCT_TYPE_BY_MARKET[t.market];
  return t.planType
    ? { endpoint: 'futuresPlanHistory', productType, planType: t.planType }
    : { endpoint: 'futuresHistoryOrders', productType };
}

const FIELDS = [
  'market',
  'kind',
  'symbol',
  'side',
  'status',
  'orderType',
  'reduceOnly',
  'cTime',
  'uTime',
  'fee',
  'feeCoin',
] as const;

describe.each(['classic', 'uta'] as const)('the canonical truth of a %s account', (mode) => {
  const truth = truthOf(mode);

  it('is what the normaliser makes of every served row, field for field', () => {
    const differing: string[] = [];
    for (const t of truth) {
      const o = normaliseOrder(sourceOf(t, mode), t.raw);
      for (const f of FIELDS)
        if (o[f] !== t[f]) differing.push(`${t.orderId} ${f}: ${String(t[f])} vs ${String(o[f])}`);
    }
    expect(differing.slice(0, 5)).toEqual([]);
  });

  it('labels futures profit_loss plans tpsl and trigger and trailing plans plan', () => {
    const kindOf = (planType: string) =>
      new Set(truth.filter((t) => t.planType === planType).map((t) => t.kind));
    expect(kindOf('profit_loss')).toEqual(new Set(['tpsl']));
    expect(kindOf('normal_plan')).toEqual(new Set(['plan']));
    expect(kindOf('track_plan')).toEqual(new Set(['plan']));
  });

  it('says a TP/SL reduces its position, and names the leg order type, never "tpsl"', () => {
    const tpsl = truth.filter((t) => t.market !== 'spot' && t.kind === 'tpsl');
    expect(tpsl.length).toBeGreaterThan(0);
    expect(new Set(tpsl.map((t) => t.reduceOnly))).toEqual(new Set([true]));
    expect(new Set(truth.map((t) => t.orderType))).toEqual(new Set(['limit', 'market']));
  });

  it('pays fees as positive canonical decimals with their coin, and nothing on plan orders', () => {
    for (const t of truth) {
      if (t.fee === null) expect(t.feeCoin).toBeNull();
      else expect(t.fee).toMatch(/^(0|[1-9]\d*)(\.\d*[1-9])?$/);
    }
    expect(truth.filter((t) => t.kind !== 'normal' && t.market !== 'spot' && t.fee !== null)).toEqual([]);
  });
});

describe('side and reduceOnly where the row does not say', () => {
  it('are unknown on a unified account trigger order (its v3 row names only the position side)', () => {
    const triggers = truthOf('uta').filter(
      (t) => t.planType === 'normal_plan' || t.planType === 'track_plan',
    );
    expect(triggers.length).toBeGreaterThan(0);
    expect(new Set(triggers.map((t) => `${t.side}/${t.reduceOnly}`))).toEqual(new Set(['null/null']));
  });

  it('reduceOnly is unknown on a one-way classic trigger order and follows tradeSide in hedge mode', () => {
    const triggers = truthOf('classic').filter((t) => t.planType === 'normal_plan');
    const byMode = (posMode: string) =>
      new Set(
        triggers
          .filter((t) => t.raw.posMode === posMode)
          .map((t) => `${String(t.raw.tradeSide)}:${t.reduceOnly}`),
      );
    expect(byMode('one_way_mode')).toEqual(new Set(['buy_single:null', 'sell_single:null']));
    expect(byMode('hedge_mode')).toEqual(new Set(['open:false', 'close:true']));
  });
});
