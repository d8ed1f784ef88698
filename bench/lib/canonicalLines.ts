/**
 * Realistic canonical order lines, fast: real orders of a simulated account (every market and kind),
 * normalised by the product's normaliser, turned into templates in which orderId, cTime and uTime are
 * substituted. Used to fill collector parts with millions of orders.
 */
import type { OrderSource } from '../../src/bitget/normalise';
import { normaliseOrder } from '../../src/bitget/normalise';
import type { FuturesPlanType } from '../../src/bitget/endpoints';
import type { Market } from '../../src/core/order';
import { PRODUCT_TYPE_BY_MARKET } from '../../src/core/order';
import { startSimulator } from '../../src/sim';
import type { TruthRecord } from '../../src/sim';

export interface LineTemplate {
  market: Market;
  kind: string;
  /** Pieces between the placeholders; placeholders in `slots` order. */
  pieces: string[];
  slots: ('id' | 'cTimeNum' | 'cTimeStr' | 'uTimeNum' | 'uTimeStr')[];
}

/** The source a truth record is listed by on classic (v2) endpoints. */
export function classicSourceOf(t: {
  market: Market;
  kind: string;
  planType?: FuturesPlanType;
}): OrderSource {
  if (t.market === 'spot') {
    if (t.kind === 'plan') return { endpoint: 'spotPlanHistory' };
    return { endpoint: 'spotHistoryOrders', tpslType: t.kind === 'tpsl' ? 'tpsl' : 'normal' };
  }
  const productType = PRODUCT_TYPE_BY_MARKET[t.market];
  if (t.kind === 'normal') return { endpoint: 'futuresHistoryOrders', productType };
  return { endpoint: 'futuresPlanHistory', productType, planType: t.planType };
}

const ID = '@@ORDER_ID@@';
const CT = 7_777_777_777_777;
const UT = 8_888_888_888_888;

function templateOf(t: TruthRecord): LineTemplate {
  const order = normaliseOrder(classicSourceOf(t), t.raw);
  const cTime = order.cTime;
  const uTime = order.uTime;
  // Replace the real values by sentinels, then cut the JSON text at the sentinels.
  const text = JSON.stringify(order, (_k, v: unknown) => {
    if (v === order.orderId) return ID;
    if (v === cTime) return CT;
    if (v === String(cTime)) return String(CT);
    if (uTime !== null && v === uTime) return UT;
    if (uTime !== null && v === String(uTime)) return String(UT);
    return v;
  });
  const slots: LineTemplate['slots'] = [];
  const pieces: string[] = [];
  const re = new RegExp(`"${ID}"|"${CT}"|${CT}|"${UT}"|${UT}`, 'g');
  let last = 0;
  for (const m of text.matchAll(re)) {
    pieces.push(text.slice(last, m.index));
    const s = m[0];
    if (s === `"${ID}"`) slots.push('id');
    else if (s === `"${CT}"`) slots.push('cTimeStr');
    else if (s === String(CT)) slots.push('cTimeNum');
    else if (s === `"${UT}"`) slots.push('uTimeStr');
    else slots.push('uTimeNum');
    last = m.index + s.length;
  }
  pieces.push(text.slice(last));
  return { market: order.market, kind: order.kind, pieces, slots };
}

/** Templates from a small simulated account (every stream represented). */
export async function lineTemplates(count = 2000, seed = 99): Promise<LineTemplate[]> {
  const sim = await startSimulator({ seed, orders: count, symbols: 24 });
  try {
    const out: LineTemplate[] = [];
    for await (const t of sim.truth()) out.push(templateOf(t));
    return out;
  } finally {
    await sim.close();
  }
}

/** One canonical line from a template. */
export function renderLine(t: LineTemplate, orderId: string, cTime: number, uTime: number): string {
  let s = t.pieces[0]!;
  for (let i = 0; i < t.slots.length; i++) {
    const slot = t.slots[i]!;
    const v =
      slot === 'id'
        ? `"${orderId}"`
        : slot === 'cTimeNum'
          ? String(cTime)
          : slot === 'cTimeStr'
            ? `"${cTime}"`
            : slot === 'uTimeNum'
              ? String(uTime)
              : `"${uTime}"`;
    s += v + t.pieces[i + 1]!;
  }
  return s;
}
