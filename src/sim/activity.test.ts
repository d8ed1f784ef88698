import Decimal from 'decimal.js';
import { DAY_MS } from '../bitget/endpoints';
import { compareFills } from '../core/fill';
import { compareLedgerEntries } from '../core/ledgerEntry';
import { activityOf } from './activity';
import { fillTruths, ledgerTruths } from './activityTruth';
import { generateAccount, orderIdOf } from './generator';
import { rowFor } from './rows';
import { truthRecord } from './truth';
import type { AccountMode } from './types';

const NOW = 1_760_000_000_000;
const account = (mode: AccountMode, days = 90) =>
  generateAccount({ seed: 11, orders: 3000, symbols: 12, days, now: NOW, mode });

/** Exact at these magnitudes (Decimal's default precision is 20 significant digits). */
const Big = Decimal.clone({ precision: 60 });
const sum = (xs: string[]): Decimal => xs.reduce((a, x) => a.plus(x), new Big(0));

describe.each<AccountMode>(['classic', 'uta'])('the fills and ledger of a %s account', (mode) => {
  const acc = account(mode);
  const a = activityOf(acc, mode);
  const byOrder = new Map<string, typeof a.fills>();
  for (const f of a.fills) byOrder.set(f.orderId, [...(byOrder.get(f.orderId) ?? []), f]);

  test('every filled or partly filled order has fills adding up to its filled size and fee', () => {
    let checked = 0;
    for (let g = 0; g < acc.count; g++) {
      const order = truthRecord(acc, g, mode);
      const row = rowFor(acc, g, mode);
      const filled = new Big(String(row['baseVolume'] ?? row['cumExecQty'] ?? '0'));
      const fills = byOrder.get(orderIdOf(acc, g)) ?? [];
      if (filled.isZero() || order.kind === 'plan' || (order.kind === 'tpsl' && order.market !== 'spot')) {
        expect(fills).toHaveLength(0);
        continue;
      }
      checked += 1;
      expect(sum(fills.map((f) => f.size)).equals(filled)).toBe(true);
      expect(sum(fills.map((f) => f.fee)).equals(order.fee ?? '0')).toBe(true);
      for (const f of fills) {
        expect(new Big(f.size).gt(0)).toBe(true);
        expect(f.cTime).toBeGreaterThanOrEqual(order.cTime);
        expect(f.cTime).toBeLessThanOrEqual(order.uTime!);
        if (f.fee !== '0') expect(f.feeCoin).toBe(order.feeCoin);
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  test('futures fills carry the realised profit on closing fills, and their order total', () => {
    const closing = a.fills.filter((f) => f.market !== 'spot' && f.closing);
    expect(closing.length).toBeGreaterThan(50);
    expect(closing.some((f) => !new Big(f.profit!).isZero())).toBe(true);
    for (const f of a.fills.filter((x) => x.market !== 'spot' && !x.closing)) expect(f.profit).toBe('0');
    for (const f of a.fills.filter((x) => x.market === 'spot')) expect(f.profit).toBeNull();
  });

  test('each fill that paid a fee has its fee in the ledger: same time, coin and amount', () => {
    for (const [i, f] of a.fills.entries()) {
      if (f.fee === '0') continue;
      const entries = a.events.filter((e) => e.fill === i && e.coin === f.feeCoin && e.cTime === f.cTime);
      const own = entries.find((e) => e.kind === 'fee');
      const onTrade = entries.find((e) => e.kind === 'trade' && e.fee === f.fee);
      if (own) expect(new Big(own.amount).neg().equals(f.fee)).toBe(true);
      else expect(onTrade).toBeDefined();
    }
  });

  test('trade entries move the coins of each fill', () => {
    const spot = a.fills.find((f) => f.market === 'spot' && f.side === 'buy')!;
    const i = a.fills.indexOf(spot);
    const moved = a.events.filter((e) => e.fill === i && e.kind === 'trade');
    expect(moved.map((e) => [e.coin, e.amount])).toEqual([
      [spot.inst.baseCoin, spot.size],
      [spot.inst.quoteCoin, `-${spot.quote}`],
    ]);
  });

  test('funding every 8 hours on open futures positions, deposits and a withdrawal', () => {
    const funding = a.events.filter((e) => e.kind === 'funding');
    expect(funding.length).toBeGreaterThan(10);
    for (const e of funding) expect(e.cTime % (8 * 3_600_000)).toBe(0);
    expect(a.events.filter((e) => e.kind === 'deposit').length).toBeGreaterThan(1);
    expect(a.events.filter((e) => e.kind === 'withdrawal')).toHaveLength(1);
    const transfers = a.events.filter((e) => e.kind === 'transfer');
    if (mode === 'classic') expect(transfers.length).toBeGreaterThan(0);
    else expect(transfers).toHaveLength(0);
  });

  test('ids increase with time; the truth is sorted as DESIGN.md says', () => {
    for (let i = 1; i < a.fills.length; i++) {
      expect(BigInt(a.fills[i]!.tradeId) > BigInt(a.fills[i - 1]!.tradeId)).toBe(true);
      expect(a.fills[i]!.cTime).toBeGreaterThanOrEqual(a.fills[i - 1]!.cTime);
    }
    const fills = [...fillTruths(acc, mode)];
    for (let i = 1; i < fills.length; i++) expect(compareFills(fills[i - 1]!, fills[i]!)).toBeLessThan(0);
    const ledger = [...ledgerTruths(acc, mode)];
    expect(ledger).toHaveLength(2 * a.events.length);
    for (let i = 1; i < ledger.length; i++)
      expect(compareLedgerEntries(ledger[i - 1]!, ledger[i]!)).toBeLessThan(0);
    expect(new Set(ledger.map((e) => e.source))).toEqual(new Set(['bills', 'tax']));
  });

  test('balances are the running decimal sums of each wallet coin', () => {
    const running = new Map<string, Decimal>();
    for (const e of a.events) {
      const key = mode === 'uta' ? e.coin : `${e.wallet}:${e.coin}`;
      const next = (running.get(key) ?? new Big(0)).plus(e.amount).minus(e.fee);
      running.set(key, next);
      expect(e.balance).toBe(next.toFixed());
    }
  });
});

test('deterministic per seed, and the orders are the same with or without the activity built', () => {
  const first = account('classic');
  const before = Array.from({ length: first.count }, (_, g) =>
    JSON.stringify(truthRecord(first, g, 'classic')),
  );
  const fills = JSON.stringify([...fillTruths(first, 'classic')]);
  const after = Array.from({ length: first.count }, (_, g) =>
    JSON.stringify(truthRecord(first, g, 'classic')),
  );
  expect(after).toEqual(before);
  expect(JSON.stringify([...fillTruths(account('classic'), 'classic')])).toBe(fills);
});

test('a long history reaches back with its fills and ledger', () => {
  const acc = account('classic', 1000);
  const a = activityOf(acc, 'classic');
  expect(a.events[0]!.cTime).toBeLessThan(NOW - 700 * DAY_MS);
  expect(a.fills[0]!.cTime).toBeLessThan(NOW - 700 * DAY_MS);
});
