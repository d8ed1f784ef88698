/**
 * The canonical record each generated order must become, from the facts the simulator generated it from
 * (facts.ts) and its stream, never from the rows it serves: a product that mislabels or misreads a row is
 * caught by comparing its output with this. The rules are DESIGN.md's: kinds by what the order is (a futures
 * `profit_loss` plan is a TP/SL), side as the direction of the trade, statuses in the unified vocabulary,
 * fees as the positive amount paid in canonical decimal text, and `side` / `reduceOnly` null exactly where the
 * row served in that account mode does not carry them and nothing implies them.
 */
import type { Kind } from '../core/order';
import { contextOf, futuresFacts, futuresPlanFacts, spotFacts, spotPlanFacts } from './facts';
import type { PlanStatus, Position, Side } from './facts';
import type { Account } from './generator';
import { trim } from './rows';
import type { AccountMode, TruthCanonical } from './types';

const PLAN_STATUS: Record<PlanStatus, string> = {
  executed: 'triggered',
  fail_execute: 'failed',
  cancelled: 'canceled',
};

/** Direction of the trade: a hedge-mode close flips the side Bitget's v2 rows send. */
function direction(side: Side, pos: Position): Side {
  if (pos.tradeSide !== 'close') return side;
  return side === 'buy' ? 'sell' : 'buy';
}

/** Positive fee in canonical decimal text (no trailing zeros), at the precision the simulator charged. */
function paid(fee: number, places: number, coin: string): { fee: string | null; feeCoin: string | null } {
  return fee > 0 ? { fee: trim(fee, places), feeCoin: coin } : { fee: null, feeCoin: null };
}

export function canonicalOf(account: Account, g: number, mode: AccountMode): TruthCanonical {
  const ctx = contextOf(account, g);
  const { def, inst } = ctx;
  const base = { market: def.market, symbol: inst.symbol, cTime: ctx.cTime };
  if (def.market === 'spot' && def.kind === 'plan') {
    const f = spotPlanFacts(ctx);
    return {
      ...base,
      kind: 'plan',
      side: f.side,
      status: PLAN_STATUS[f.status],
      orderType: f.orderType,
      reduceOnly: false,
      uTime: f.uTime,
      fee: null,
      feeCoin: null,
    };
  }
  if (def.market === 'spot') {
    const f = spotFacts(ctx);
    return {
      ...base,
      kind: def.kind,
      side: f.side,
      status: f.status === 'cancelled' ? 'canceled' : f.status,
      orderType: f.orderType,
      // Spot orders hold no position to reduce.
      reduceOnly: false,
      uTime: f.uTime,
      ...paid(f.fee, 12, f.feeCoin),
    };
  }
  if (def.kind === 'normal') {
    const f = futuresFacts(account, ctx);
    return {
      ...base,
      kind: 'normal',
      side: direction(f.side, f.pos),
      status: f.status,
      orderType: f.orderType,
      // Both v2 (`YES`/`NO`) and v3 rows carry the flag.
      reduceOnly: f.pos.reduceOnly,
      uTime: f.uTime,
      ...paid(f.fee, 10, inst.marginCoin),
    };
  }
  const f = futuresPlanFacts(account, ctx);
  const tpsl = def.planType === 'profit_loss';
  const kind: Kind = tpsl ? 'tpsl' : 'plan';
  // A TP/SL closes its position. A trigger or trailing order's v2 row says open/close only in hedge mode and
  // its v3 row names only the position side (it may open or close it): unknown there.
  const known = mode === 'classic' ? f.pos.hedge : false;
  return {
    ...base,
    kind,
    side: tpsl || mode === 'classic' ? direction(f.side, f.pos) : null,
    status: PLAN_STATUS[f.status],
    orderType: f.orderType,
    reduceOnly: tpsl ? true : known ? f.pos.tradeSide === 'close' : null,
    uTime: f.uTime,
    fee: null,
    feeCoin: null,
  };
}
