/**
 * What the clock lets the simulator show: an order is listed in history once it has finished (uTime ≤ the
 * clock), under its creation time, in its final state; before that the open-order endpoints serve it
 * (openOrders.ts). Nothing created after the clock exists yet.
 */
import type { Account } from './generator';
import { rowFor } from './rows';
import type { AccountMode } from './types';

const finishCache = new WeakMap<Account, Float64Array>();

/** Every order's uTime (the time it finished), computed once per account when the clock first needs it. */
export function finishTimes(account: Account, mode: AccountMode): Float64Array {
  let times = finishCache.get(account);
  if (times) return times;
  times = new Float64Array(account.count);
  for (let g = 0; g < account.count; g++) {
    const row = rowFor(account, g, mode);
    times[g] = Number(row['uTime'] ?? row['updatedTime']);
  }
  finishCache.set(account, times);
  return times;
}

/** True when every order of the account has finished by `now` (the clock at or after the history's end). */
export const allFinished = (account: Account, now: number): boolean => now >= account.createdAt;

/** Listed in history at `now`: created and finished by then. */
export function isFinished(account: Account, mode: AccountMode, g: number, now: number): boolean {
  if ((account.cTime[g] as number) > now) return false;
  return allFinished(account, now) || (finishTimes(account, mode)[g] as number) <= now;
}

/** Served by the open-order endpoints at `now`: created, not finished. */
export function isOpenAt(account: Account, mode: AccountMode, g: number, now: number): boolean {
  return (account.cTime[g] as number) <= now && (finishTimes(account, mode)[g] as number) > now;
}
