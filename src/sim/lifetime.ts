/**
 * How long an order stays open, and what the clock lets the simulator show of it.
 *
 * Some orders stay open for days or weeks: far limit orders (a share of the limit orders that end filled or
 * cancelled) and plan orders waiting for their trigger. Their `uTime` (the time they finished) moves that far
 * after their creation, never past the end of the account's history. The draw uses its own random stream
 * (keyed by the order id), so every other fact of the order is unchanged.
 */
import type { OrderContext } from './facts';
import { createRng, hashSeed } from './rng';

const DAY = 86_400_000;
/** The longest an order is held open by holdOpen (plus the facts' own delay, at most 8 hours or 7 days). */
export const MAX_OPEN_MS = 53 * DAY;

/** `uTime` of an order, moved later when the order is one of those that stay open for days or weeks. */
export function holdOpen(ctx: OrderContext, uTime: number, shape: 'limit' | 'market' | 'plan'): number {
  if (shape === 'market') return uTime;
  // A delisting (or halt) cancels what is still open: nothing finishes after its instrument's end.
  const end = Number.isFinite(ctx.inst.endTime) ? ctx.inst.endTime - 1 : Infinity;
  const capped = (t: number): number => Math.max(ctx.cTime, Math.min(t, end));
  const low = Number(BigInt(ctx.orderId) % 2_147_483_647n);
  const rng = createRng(hashSeed(low, 7001));
  const held =
    shape === 'plan'
      ? rng.chance(0.25)
        ? rng.int(7 * DAY, 45 * DAY)
        : 0
      : rng.chance(0.08)
        ? rng.int(DAY, 30 * DAY)
        : 0;
  if (held === 0) return capped(uTime);
  return capped(Math.max(uTime, Math.min(ctx.horizon, ctx.cTime + held)));
}
