/**
 * The rule that pairs a ledger fee entry with the fill whose fee it books: same account (the fill's market, or
 * `uta` for a unified-account fill, which carries `execId`), same coin, amount = −fee, same cTime. A fill with
 * several fee coins vouches for one entry per coin; two identical fees vouch for two entries.
 */
import type DecimalJs from 'decimal.js';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry, LedgerAccount } from '../core/ledgerEntry';
import { Decimal, plain } from './decimals';

/** The ledger account a fill's fee is booked in. */
export function ledgerAccountOfFill(fill: Pick<CanonicalFill, 'market' | 'raw'>): LedgerAccount {
  return 'execId' in fill.raw ? 'uta' : fill.market;
}

function matchKey(account: string, coin: string, signedAmount: DecimalJs.Value, cTime: number): string {
  return `${account}|${coin}|${plain(signedAmount)}|${cTime}`;
}

/** The fees the fills paid, as a multiset of match keys used up as entries are matched: one short key per fee. */
export class FillFees {
  private readonly keys = new Map<string, number>();

  /** The fees not yet matched, as [match key, how many] pairs (what `FillFees.from` takes back). */
  entries(): [string, number][] {
    return [...this.keys];
  }

  static from(entries: Iterable<readonly [string, number]>): FillFees {
    const fees = new FillFees();
    for (const [k, n] of entries) fees.keys.set(k, (fees.keys.get(k) ?? 0) + n);
    return fees;
  }

  add(fill: CanonicalFill): void {
    const account = ledgerAccountOfFill(fill);
    for (const { fee, feeCoin } of fill.fees) {
      const k = matchKey(account, feeCoin, new Decimal(fee).neg(), fill.cTime);
      this.keys.set(k, (this.keys.get(k) ?? 0) + 1);
    }
  }

  /** Whether a fill paid this entry's fee; a match is used up. */
  take(entry: Pick<CanonicalLedgerEntry, 'account' | 'coin' | 'amount' | 'cTime'>): boolean {
    const k = matchKey(entry.account, entry.coin, entry.amount, entry.cTime);
    const left = this.keys.get(k) ?? 0;
    if (left === 0) return false;
    if (left === 1) this.keys.delete(k);
    else this.keys.set(k, left - 1);
    return true;
  }
}
