/**
 * Reconciliation of the three data sets: what the exchange (or we) got wrong shows as a discrepancy, counted and
 * listed (the first 100 of each class), never corrected.
 *
 * Checks:
 * - every `normal` order that traded (baseVolume > 0; status filled / partially_filled when it has none) has fills whose sizes
 *   add up to its baseVolume and whose fees in the order's fee coin add up to its fee (a triggered plan or tpsl
 *   order trades through the normal order it places, which carries the fills);
 * - every fill belongs to an order of the same market (any kind);
 * - every ledger fee entry of the bills endpoints (`type: fee`, `source: bills`) is a fee of a fill, under the
 *   match rule of feeMatch.ts (same account, coin, amount = −fee, same cTime).
 *
 * Memory: the fills are read first and folded into one accumulator per order (a size sum, a fee sum per coin, the
 * first tradeId and a count) plus one key per fee paid; orders and the ledger are then streamed and never held.
 * For 300k fills that is about 200k accumulators and 300k short strings.
 */
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { CanonicalOrder } from '../core/order';
import { Decimal, plain } from './decimals';
import { FillFees } from './feeMatch';

export type Records<T> = Iterable<T> | AsyncIterable<T>;

/** How many discrepancies of each class are listed; all are counted. */
export const LISTED_PER_CLASS = 100;

export interface DiscrepancyClass<T> {
  count: number;
  /** The first LISTED_PER_CLASS, in the order they were found. */
  first: T[];
}

export interface SizeMismatch {
  market: string;
  orderId: string;
  /** The order's baseVolume. */
  orderSize: string;
  /** The sum of its fills' sizes. */
  fillsSize: string;
  fills: number;
}

export interface FeeMismatch {
  market: string;
  orderId: string;
  coin: string | null;
  /** The order's fee (0 when it says none). */
  orderFee: string;
  /** The sum of its fills' fees in that coin. */
  fillsFee: string;
}

export interface OrderWithoutFills {
  market: string;
  orderId: string;
  status: string;
  baseVolume: string | null;
}

export interface FillWithoutOrder {
  market: string;
  orderId: string;
  /** The first of the order's fills that was read. */
  tradeId: string;
  fills: number;
  size: string;
}

export interface FeeEntryWithoutFill {
  account: string;
  billId: string;
  coin: string;
  amount: string;
  cTime: number;
}

export interface Reconciliation {
  checked: { orders: number; fills: number; feeEntries: number };
  sizeMismatches: DiscrepancyClass<SizeMismatch>;
  feeMismatches: DiscrepancyClass<FeeMismatch>;
  ordersWithoutFills: DiscrepancyClass<OrderWithoutFills>;
  fillsWithoutOrder: DiscrepancyClass<FillWithoutOrder>;
  feeEntriesWithoutFill: DiscrepancyClass<FeeEntryWithoutFill>;
  /** Sum of the counts: 0 when everything agrees. */
  discrepancies: number;
}

/**
 * Whether an order must have fills: its filled size (baseVolume) when the row says it — fills must add up to it,
 * so a size of 0 needs none, whatever the status says —, else its status (filled or partially filled).
 */
export function orderTraded(order: Pick<CanonicalOrder, 'status' | 'baseVolume'>): boolean {
  if (order.baseVolume !== null) return new Decimal(order.baseVolume).gt(0);
  return order.status === 'filled' || order.status === 'partially_filled';
}

/** Fee sums per coin of one order's fills: a short list (one or two coins), lighter than a Map per order. */
type CoinSums = { coin: string; sum: Decimal }[];

function addTo(sums: CoinSums, coin: string, amount: string): void {
  const hit = sums.find((s) => s.coin === coin);
  if (hit) hit.sum = hit.sum.plus(amount);
  else sums.push({ coin, sum: new Decimal(amount) });
}

const sumOf = (sums: CoinSums, coin: string): Decimal =>
  sums.find((s) => s.coin === coin)?.sum ?? new Decimal(0);

interface OrderFills {
  size: Decimal;
  fees: CoinSums;
  firstTradeId: string;
  count: number;
  market: string;
  orderId: string;
}

class Tally<T> implements DiscrepancyClass<T> {
  count = 0;
  first: T[] = [];
  static of<T>(c: DiscrepancyClass<T>): Tally<T> {
    const t = new Tally<T>();
    t.count = c.count;
    t.first = [...c.first];
    return t;
  }
  add(item: () => T): void {
    this.count += 1;
    if (this.first.length < LISTED_PER_CLASS) this.first.push(item());
  }
  toJSON(): DiscrepancyClass<T> {
    return { count: this.count, first: this.first };
  }
}

/** A reconciliation's state after the fills and the orders (Reconciler.afterOrders): JSON. */
export interface ReconcilerSnapshot {
  checked: { orders: number; fills: number };
  sizeMismatches: DiscrepancyClass<SizeMismatch>;
  feeMismatches: DiscrepancyClass<FeeMismatch>;
  ordersWithoutFills: DiscrepancyClass<OrderWithoutFills>;
  fillsWithoutOrder: DiscrepancyClass<FillWithoutOrder>;
  /** FillFees' match keys not yet claimed by a ledger entry, with their multiplicity. */
  unmatchedFees: [string, number][];
}

/**
 * The reconciliation fed one record at a time, in the order the checks need: every fill first (folded per order
 * and per fee paid), then the orders, then the ledger. Orders and ledger entries need no `raw` (the exchange's
 * row), which the reconciliation never reads. Feeding a fill after an order, or an order after a ledger entry,
 * is a programming error and throws.
 */
export class Reconciler {
  private readonly byOrder = new Map<string, OrderFills>();
  private fillFees = new FillFees();
  private phase: 'fills' | 'orders' | 'ledger' = 'fills';
  private fillCount = 0;
  private orderCount = 0;
  private feeEntryCount = 0;
  private sizeMismatches = new Tally<SizeMismatch>();
  private feeMismatches = new Tally<FeeMismatch>();
  private ordersWithoutFills = new Tally<OrderWithoutFills>();
  private fillsWithoutOrder = new Tally<FillWithoutOrder>();
  private readonly feeEntriesWithoutFill = new Tally<FeeEntryWithoutFill>();

  /**
   * What the fills and the orders left, once both are read and before any ledger entry: the findings so far and
   * the fees no entry has claimed yet. `Reconciler.resume` goes on from it with the ledger.
   */
  afterOrders(): ReconcilerSnapshot {
    if (this.feeEntryCount > 0 || this.feeEntriesWithoutFill.count > 0)
      throw new Error('reconciliation: a snapshot after the orders is taken before any ledger entry');
    this.endOrders();
    return {
      checked: { orders: this.orderCount, fills: this.fillCount },
      sizeMismatches: this.sizeMismatches.toJSON(),
      feeMismatches: this.feeMismatches.toJSON(),
      ordersWithoutFills: this.ordersWithoutFills.toJSON(),
      fillsWithoutOrder: this.fillsWithoutOrder.toJSON(),
      unmatchedFees: this.fillFees.entries(),
    };
  }

  /** A reconciliation that has read the fills and the orders `snapshot` was taken after: the ledger comes next. */
  static resume(snapshot: ReconcilerSnapshot): Reconciler {
    const r = new Reconciler();
    r.phase = 'ledger';
    r.fillCount = snapshot.checked.fills;
    r.orderCount = snapshot.checked.orders;
    r.sizeMismatches = Tally.of(snapshot.sizeMismatches);
    r.feeMismatches = Tally.of(snapshot.feeMismatches);
    r.ordersWithoutFills = Tally.of(snapshot.ordersWithoutFills);
    r.fillsWithoutOrder = Tally.of(snapshot.fillsWithoutOrder);
    r.fillFees = FillFees.from(snapshot.unmatchedFees);
    return r;
  }

  addFill(fill: CanonicalFill): void {
    if (this.phase !== 'fills')
      throw new Error('reconciliation: every fill must come before the orders and the ledger');
    this.fillCount += 1;
    const key = `${fill.market}:${fill.orderId}`;
    let acc = this.byOrder.get(key);
    if (!acc) {
      acc = {
        size: new Decimal(0),
        fees: [],
        firstTradeId: fill.tradeId,
        count: 0,
        market: fill.market,
        orderId: fill.orderId,
      };
      this.byOrder.set(key, acc);
    }
    acc.size = acc.size.plus(fill.size);
    acc.count += 1;
    for (const { fee, feeCoin } of fill.fees) addTo(acc.fees, feeCoin, fee);
    this.fillFees.add(fill);
  }

  addOrder(order: Omit<CanonicalOrder, 'raw'>): void {
    if (this.phase === 'ledger') throw new Error('reconciliation: every order must come before the ledger');
    this.phase = 'orders';
    this.orderCount += 1;
    const key = `${order.market}:${order.orderId}`;
    const acc = this.byOrder.get(key);
    // what is left in byOrder at the end are the fills without an order
    this.byOrder.delete(key);
    if (order.kind !== 'normal' || !orderTraded(order)) return;
    if (!acc) {
      this.ordersWithoutFills.add(() => ({
        market: order.market,
        orderId: order.orderId,
        status: order.status,
        baseVolume: order.baseVolume,
      }));
      return;
    }
    const orderSize = new Decimal(order.baseVolume ?? 0);
    if (!orderSize.eq(acc.size))
      this.sizeMismatches.add(() => ({
        market: order.market,
        orderId: order.orderId,
        orderSize: plain(orderSize),
        fillsSize: plain(acc.size),
        fills: acc.count,
      }));
    // an order that names no fee coin says nothing was paid: its fills must have paid nothing in any coin
    const coins = order.feeCoin !== null ? [order.feeCoin] : acc.fees.map((s) => s.coin);
    for (const coin of coins) {
      const orderFee = new Decimal(order.fee !== null && coin === order.feeCoin ? order.fee : 0);
      const fillsFee = sumOf(acc.fees, coin);
      if (!orderFee.eq(fillsFee))
        this.feeMismatches.add(() => ({
          market: order.market,
          orderId: order.orderId,
          coin,
          orderFee: plain(orderFee),
          fillsFee: plain(fillsFee),
        }));
    }
  }

  addLedgerEntry(entry: Omit<CanonicalLedgerEntry, 'raw'>): void {
    this.endOrders();
    if (entry.type !== 'fee' || entry.source !== 'bills') return;
    this.feeEntryCount += 1;
    if (this.fillFees.take(entry)) return;
    this.feeEntriesWithoutFill.add(() => ({
      account: entry.account,
      billId: entry.billId,
      coin: entry.coin,
      amount: entry.amount,
      cTime: entry.cTime,
    }));
  }

  /** Once the orders are all read: the fills no order claimed. */
  private endOrders(): void {
    if (this.phase === 'ledger') return;
    this.phase = 'ledger';
    for (const acc of this.byOrder.values())
      this.fillsWithoutOrder.add(() => ({
        market: acc.market,
        orderId: acc.orderId,
        tradeId: acc.firstTradeId,
        fills: acc.count,
        size: plain(acc.size),
      }));
    this.byOrder.clear();
  }

  result(): Reconciliation {
    this.endOrders();
    const classes = {
      sizeMismatches: this.sizeMismatches,
      feeMismatches: this.feeMismatches,
      ordersWithoutFills: this.ordersWithoutFills,
      fillsWithoutOrder: this.fillsWithoutOrder,
      feeEntriesWithoutFill: this.feeEntriesWithoutFill,
    };
    return {
      checked: { orders: this.orderCount, fills: this.fillCount, feeEntries: this.feeEntryCount },
      sizeMismatches: this.sizeMismatches.toJSON(),
      feeMismatches: this.feeMismatches.toJSON(),
      ordersWithoutFills: this.ordersWithoutFills.toJSON(),
      fillsWithoutOrder: this.fillsWithoutOrder.toJSON(),
      feeEntriesWithoutFill: this.feeEntriesWithoutFill.toJSON(),
      discrepancies: Object.values(classes).reduce((n, c) => n + c.count, 0),
    };
  }
}

/** The reconciliation of three sources, each read once: the fills, then the orders, then the ledger. */
export async function reconcile(input: {
  orders: Records<Omit<CanonicalOrder, 'raw'>>;
  fills: Records<CanonicalFill>;
  ledger: Records<Omit<CanonicalLedgerEntry, 'raw'>>;
}): Promise<Reconciliation> {
  const r = new Reconciler();
  for await (const fill of input.fills) r.addFill(fill);
  for await (const order of input.orders) r.addOrder(order);
  for await (const entry of input.ledger) r.addLedgerEntry(entry);
  return r.result();
}
