/**
 * The instruments of the simulated account: which symbols exist on which market, their prices, and when they
 * traded. Live, halted (listed but not trading) and delisted (in the order history, absent from the lists).
 */
import type { Market } from '../core/order';
import { createRng, hashSeed } from './rng';

export type InstrumentStatus = 'live' | 'halted' | 'delisted';

export interface Instrument {
  /** Index in Catalog.instruments. */
  code: number;
  market: Market;
  symbol: string;
  baseCoin: string;
  quoteCoin: string;
  marginCoin: string;
  basePrice: number;
  /** Decimals of a price / of a base quantity. */
  pricePlace: number;
  sizePlace: number;
  status: InstrumentStatus;
  /** Orders exist in [listTime, endTime) only (endTime: delisting or halt time, Infinity when live). */
  listTime: number;
  endTime: number;
  /** Relative popularity within its market. */
  weight: number;
  phase: number;
}

export interface Catalog {
  instruments: Instrument[];
  byMarket: Record<Market, Instrument[]>;
  /** Upper-case symbol → instrument, per market. */
  bySymbol: Record<Market, Map<string, Instrument>>;
}

const COINS: ReadonlyArray<readonly [string, number]> = [
  ['BTC', 62000],
  ['ETH', 3100],
  ['SOL', 145],
  ['XRP', 0.58],
  ['LTC', 72],
  ['DOGE', 0.13],
  ['ADA', 0.45],
  ['LINK', 14.2],
  ['DOT', 6.1],
  ['AVAX', 29],
  ['TRX', 0.12],
  ['BNB', 560],
  ['UNI', 7.9],
  ['ATOM', 8.3],
  ['ETC', 24.5],
  ['FIL', 5.2],
  ['APT', 8.4],
  ['ARB', 0.95],
  ['OP', 1.9],
  ['NEAR', 5.3],
  ['SUI', 1.4],
  ['TON', 6.2],
  ['SHIB', 0.0000185],
  ['PEPE', 0.0000098],
  ['INJ', 23],
  ['WLD', 2.3],
  ['SEI', 0.41],
  ['TIA', 6.8],
];

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

function extraCoin(seed: number, i: number, taken: Set<string>): [string, number] {
  const rng = createRng(hashSeed(seed, 7001, i));
  for (;;) {
    const len = rng.int(3, 5);
    let name = '';
    for (let k = 0; k < len; k++) name += rng.pick(LETTERS.split(''));
    if (!taken.has(name)) {
      taken.add(name);
      return [name, Number((10 ** (rng.next() * 6 - 4)).toPrecision(3))];
    }
  }
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export function buildCatalog(seed: number, coinCount: number, rangeStart: number, rangeEnd: number): Catalog {
  const n = Math.max(1, Math.floor(coinCount));
  const taken = new Set(COINS.map(([c]) => c));
  const coins: Array<readonly [string, number]> = [];
  for (let i = 0; i < n; i++) coins.push(COINS[i] ?? extraCoin(seed, i, taken));

  const rng = createRng(hashSeed(seed, 7002));
  const span = rangeEnd - rangeStart;
  // The most traded coins stay live; delisted and halted coins come from the tail (at least two delisted
  // when there are at least six coins), and two tail coins are listed in the middle of the history.
  const firstCandidate = n >= 6 ? 4 : 1;
  const candidates: number[] = [];
  for (let i = n - 1; i >= firstCandidate; i--) candidates.push(i);
  const delistedCount = n >= 4 ? Math.min(candidates.length, Math.max(2, Math.round(n * 0.12))) : 0;
  const haltedCount =
    n >= 6 ? Math.min(candidates.length - delistedCount, Math.max(1, Math.round(n * 0.08))) : 0;
  const status = new Map<number, InstrumentStatus>();
  const endTime = new Map<number, number>();
  const listTime = new Map<number, number>();
  candidates.slice(0, delistedCount).forEach((i) => {
    status.set(i, 'delisted');
    endTime.set(i, Math.floor(rangeStart + span * (0.25 + 0.6 * rng.next())));
  });
  candidates.slice(delistedCount, delistedCount + haltedCount).forEach((i) => {
    status.set(i, 'halted');
    endTime.set(i, Math.floor(rangeStart + span * (0.5 + 0.45 * rng.next())));
  });
  candidates.slice(delistedCount + haltedCount, delistedCount + haltedCount + 2).forEach((i) => {
    listTime.set(i, Math.floor(rangeStart + span * (0.3 + 0.3 * rng.next())));
  });

  const instruments: Instrument[] = [];
  const byMarket: Record<Market, Instrument[]> = {
    spot: [],
    'usdt-futures': [],
    'usdc-futures': [],
    'coin-futures': [],
  };
  const add = (
    market: Market,
    coinIndex: number,
    symbol: string,
    quoteCoin: string,
    marginCoin: string,
  ): void => {
    const [baseCoin, basePrice] = coins[coinIndex] as readonly [string, number];
    const magnitude = Math.ceil(Math.log10(basePrice));
    const inst: Instrument = {
      code: instruments.length,
      market,
      symbol,
      baseCoin,
      quoteCoin,
      marginCoin,
      basePrice,
      pricePlace: clamp(5 - magnitude, 1, 10),
      sizePlace: clamp(magnitude - 1, 0, 6),
      status: status.get(coinIndex) ?? 'live',
      listTime: listTime.get(coinIndex) ?? -Infinity,
      endTime: endTime.get(coinIndex) ?? Infinity,
      weight: 1 / Math.pow(coinIndex + 1, 0.9),
      phase: createRng(hashSeed(seed, 7003, coinIndex)).next() * 2 * Math.PI,
    };
    instruments.push(inst);
    byMarket[market].push(inst);
  };
  for (let i = 0; i < n; i++) {
    const base = (coins[i] as readonly [string, number])[0];
    add('spot', i, `${base}USDT`, 'USDT', '');
    if (i < 4 || i % 4 !== 3) add('usdt-futures', i, `${base}USDT`, 'USDT', 'USDT');
    if (i < 4) add('usdc-futures', i, `${base}PERP`, 'USDC', 'USDC');
    if (i < 4) add('coin-futures', i, `${base}USD`, 'USD', base);
  }
  const bySymbol = {} as Record<Market, Map<string, Instrument>>;
  for (const market of Object.keys(byMarket) as Market[]) {
    bySymbol[market] = new Map(byMarket[market].map((inst) => [inst.symbol, inst]));
  }
  return { instruments, byMarket, bySymbol };
}

const DAY = 86_400_000;

/** A deterministic, gently wandering price for the instrument at time t. */
export function priceAt(inst: Instrument, t: number): number {
  const slow = 0.22 * Math.sin((2 * Math.PI * t) / (37 * DAY) + inst.phase);
  const fast = 0.06 * Math.sin((2 * Math.PI * t) / (3.3 * DAY) + 2 * inst.phase);
  return inst.basePrice * Math.exp(slow + fast);
}

export function isActive(inst: Instrument, t: number): boolean {
  return t >= inst.listTime && t < inst.endTime;
}
