/**
 * Generates a deterministic account from a seed, in compact columnar arrays (about 30 bytes an order), so
 * that millions of orders fit in memory. Rows are materialised only when served (rows.ts).
 *
 * Time density is deliberately uneven: quiet weeks, burst days and intraday clusters. cTimes lie in
 * [now - days·DAY + 1 hour, now - 1 s] (days from 1 hour to MAX_HISTORY_DAYS; what is served follows the
 * simulator's clock and Bitget's 90-day retention, handlers.ts).
 * Order ids are 19-digit integers, unique over the account, strictly increasing with cTime.
 *
 * Unified (UTA) accounts hold no spot TP/SL or spot plan orders: where Bitget serves them for a unified
 * account is not documented (the v3 strategy endpoint is futures-only). Every draw is the same as in classic
 * mode and such orders become spot normal orders, so both modes share order ids, times and futures orders.
 */
import { DAY_MS } from '../bitget/endpoints';
import type { FuturesMarket } from '../core/order';
import { buildCatalog, isActive, type Catalog } from './catalog';
import { createRng, hashSeed, pickCumulative } from './rng';
import { findStream, STREAMS } from './streams';
import type { AccountMode } from './types';

/** The longest history the simulator generates (`sim --history-days`). */
export const MAX_HISTORY_DAYS = 1100;
export const ID_BASE = 1_100_000_000_000_000_000n;
const HOUR = 3_600_000;

export interface StreamIndex {
  /** Global indices of the stream's orders, ascending (= ascending cTime and orderId). */
  all: Uint32Array;
  /** The same, per instrument code. */
  byInstrument: Map<number, Uint32Array>;
}

export interface Account {
  seed: number;
  /** Mixed into every row's seed. */
  salt: number;
  uid: string;
  count: number;
  createdAt: number;
  rangeStart: number;
  rangeEnd: number;
  catalog: Catalog;
  /** Per order (global index, ascending cTime): */
  cTime: Float64Array;
  /** orderId - ID_BASE (exact: always below 2^53). */
  idOffset: Float64Array;
  stream: Uint8Array;
  instrument: Uint16Array;
  rowSeed: Uint32Array;
  streams: StreamIndex[];
  /** Futures accounts switch from one-way to hedge mode at this time. */
  hedgeSince: Record<FuturesMarket, number>;
  /** Spot rows created before this time lack `newFees` in feeDetail. */
  newFeesSince: number;
}

export interface GenerateOptions {
  seed: number;
  orders: number;
  symbols: number;
  days: number;
  now: number;
  /** Default 'classic'. 'uta' generates no spot TP/SL or spot plan orders (see the header). */
  mode?: AccountMode;
}

export function orderIdOf(account: Account, g: number): string {
  return (ID_BASE + BigInt(account.idOffset[g] as number)).toString();
}

function dayWeights(seed: number, dayCount: number): Float64Array {
  const rng = createRng(hashSeed(seed, 8001));
  const cumulative = new Float64Array(dayCount);
  let total = 0;
  let quietWeek = false;
  for (let d = 0; d < dayCount; d++) {
    if (d % 7 === 0) quietWeek = rng.chance(0.2);
    let w = Math.exp(0.6 * rng.normal());
    if (quietWeek) w *= 0.03;
    else if (rng.chance(0.08)) w *= 8 + 12 * rng.next();
    total += w;
    cumulative[d] = total;
  }
  return cumulative;
}

function generateTimes(seed: number, count: number, rangeStart: number, rangeEnd: number): Float64Array {
  const span = rangeEnd - rangeStart;
  const dayCount = Math.max(1, Math.ceil(span / DAY_MS));
  const cumulative = dayWeights(seed, dayCount);
  const total = cumulative[dayCount - 1] as number;
  const clusters = new Float64Array(dayCount * 3);
  const crng = createRng(hashSeed(seed, 8002));
  for (let i = 0; i < clusters.length; i++) clusters[i] = crng.next();
  const rng = createRng(hashSeed(seed, 8003));
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const d = pickCumulative(cumulative, rng.next() * total);
    const dayStart = rangeStart + d * DAY_MS;
    const dayLen = Math.min(DAY_MS, rangeEnd - dayStart);
    let t: number;
    if (rng.chance(0.45)) {
      const center = dayStart + (clusters[d * 3 + rng.int(0, 2)] as number) * dayLen;
      t = center + rng.normal() * 4 * 60_000;
    } else {
      t = dayStart + rng.next() * dayLen;
    }
    times[i] = Math.floor(Math.min(rangeEnd, Math.max(rangeStart, t)));
  }
  return times.sort();
}

export function generateAccount(options: GenerateOptions): Account {
  const seed = options.seed >>> 0;
  const count = Math.max(0, Math.floor(options.orders));
  const days = Math.min(MAX_HISTORY_DAYS, Math.max(1 / 24, options.days));
  const rangeStart = Math.floor(options.now - days * DAY_MS + HOUR);
  const rangeEnd = Math.floor(options.now - 1000);
  const catalog = buildCatalog(seed, options.symbols, rangeStart, rangeEnd);

  const cTime = generateTimes(seed, count, rangeStart, Math.max(rangeStart, rangeEnd));
  const idOffset = new Float64Array(count);
  const stream = new Uint8Array(count);
  const instrument = new Uint16Array(count);
  const rowSeed = new Uint32Array(count);

  const streamCumulative = new Float64Array(STREAMS.length);
  let streamTotal = 0;
  STREAMS.forEach((s, i) => (streamCumulative[i] = streamTotal += s.weight));
  const marketCumulative = new Map<string, Float64Array>();
  for (const [market, list] of Object.entries(catalog.byMarket)) {
    const cum = new Float64Array(list.length);
    let total = 0;
    list.forEach((inst, i) => (cum[i] = total += inst.weight));
    marketCumulative.set(market, cum);
  }

  const spotNormal = findStream('spot', 'normal').id;
  const servedIn = (s: number): number =>
    options.mode === 'uta' && STREAMS[s]!.market === 'spot' ? spotNormal : s;

  const rng = createRng(hashSeed(seed, 8004));
  let id = 1 + (rng.u32() % 1_000_000_000) * 1000;
  const streamCounts = new Uint32Array(STREAMS.length);
  for (let g = 0; g < count; g++) {
    id += 2 + (rng.u32() & 0xfffff);
    idOffset[g] = id;
    const s = servedIn(pickCumulative(streamCumulative, rng.next() * streamTotal));
    const def = STREAMS[s]!;
    const list = catalog.byMarket[def.market];
    const cum = marketCumulative.get(def.market)!;
    const t = cTime[g] as number;
    let inst = list[0]!;
    for (let attempt = 0; attempt < 8; attempt++) {
      const candidate = list[pickCumulative(cum, rng.next() * (cum[cum.length - 1] as number))]!;
      if (isActive(candidate, t)) {
        inst = candidate;
        break;
      }
    }
    stream[g] = s;
    instrument[g] = inst.code;
    rowSeed[g] = rng.u32();
    streamCounts[s]! += 1;
  }

  const streams: StreamIndex[] = STREAMS.map((_, s) => ({
    all: new Uint32Array(streamCounts[s] as number),
    byInstrument: new Map(),
  }));
  const fill = new Uint32Array(STREAMS.length);
  const perInstrument = new Map<number, number>();
  for (let g = 0; g < count; g++) {
    const s = stream[g] as number;
    streams[s]!.all[fill[s]!++] = g;
    const key = s * 65536 + (instrument[g] as number);
    perInstrument.set(key, (perInstrument.get(key) ?? 0) + 1);
  }
  const instrumentFill = new Map<number, number>();
  for (const [key, n] of perInstrument) {
    streams[Math.floor(key / 65536)]!.byInstrument.set(key % 65536, new Uint32Array(n));
    instrumentFill.set(key, 0);
  }
  for (let g = 0; g < count; g++) {
    const s = stream[g] as number;
    const code = instrument[g] as number;
    const key = s * 65536 + code;
    const at = instrumentFill.get(key)!;
    streams[s]!.byInstrument.get(code)![at] = g;
    instrumentFill.set(key, at + 1);
  }

  const meta = createRng(hashSeed(seed, 8005));
  const span = rangeEnd - rangeStart;
  const uid = String(3_000_000_000 + (meta.u32() % 999_999_999));
  return {
    seed,
    salt: hashSeed(seed, 8006),
    uid,
    count,
    createdAt: options.now,
    rangeStart,
    rangeEnd,
    catalog,
    cTime,
    idOffset,
    stream,
    instrument,
    rowSeed,
    streams,
    hedgeSince: {
      'usdt-futures': rangeStart + span * (0.3 + 0.4 * meta.next()),
      'usdc-futures': rangeStart + span * (0.3 + 0.4 * meta.next()),
      'coin-futures': rangeStart + span * (0.3 + 0.4 * meta.next()),
    },
    newFeesSince: rangeStart + span * (0.2 + 0.2 * meta.next()),
  };
}
