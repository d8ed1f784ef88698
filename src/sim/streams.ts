/** The order streams of an account: one per (market, kind[, futures planType]), each listed by one query. */
import type { FuturesPlanType } from '../bitget/endpoints';
import type { FuturesMarket, Kind, Market } from '../core/order';

export interface StreamDef {
  id: number;
  market: Market;
  kind: Kind;
  planType?: FuturesPlanType;
  /** Share of the account's orders (relative). */
  weight: number;
}

const FUTURES: readonly FuturesMarket[] = ['usdt-futures', 'usdc-futures', 'coin-futures'];
const FUTURES_WEIGHT: Record<FuturesMarket, number> = {
  'usdt-futures': 30,
  'usdc-futures': 5,
  'coin-futures': 7,
};
const PLAN_WEIGHT: Record<FuturesPlanType, number> = {
  normal_plan: 0.1,
  track_plan: 0.03,
  profit_loss: 0.14,
};

function buildStreams(): StreamDef[] {
  const defs: Array<Omit<StreamDef, 'id'>> = [
    { market: 'spot', kind: 'normal', weight: 34 },
    { market: 'spot', kind: 'tpsl', weight: 5 },
    { market: 'spot', kind: 'plan', weight: 5 },
  ];
  for (const market of FUTURES) {
    defs.push({ market, kind: 'normal', weight: FUTURES_WEIGHT[market] });
    for (const planType of ['normal_plan', 'track_plan', 'profit_loss'] as const) {
      defs.push({ market, kind: 'plan', planType, weight: FUTURES_WEIGHT[market] * PLAN_WEIGHT[planType] });
    }
  }
  return defs.map((d, id) => ({ ...d, id }));
}

export const STREAMS: readonly StreamDef[] = buildStreams();

export function findStream(market: Market, kind: Kind, planType?: FuturesPlanType): StreamDef {
  const found = STREAMS.find((s) => s.market === market && s.kind === kind && s.planType === planType);
  if (!found) throw new Error(`no stream ${market}/${kind}/${planType ?? ''}`);
  return found;
}

export const isFutures = (market: Market): market is FuturesMarket => market !== 'spot';
