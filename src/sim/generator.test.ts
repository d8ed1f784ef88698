import { DAY_MS } from '../bitget/endpoints';
import { generateAccount, orderIdOf } from './generator';
import { startSimulator, type TruthRecord } from './index';
import { getJson, qs } from './testkit';
import { truthRecords } from './truth';

const NOW = 1_750_000_000_000;
const account = (seed: number, orders = 6000, mode: 'classic' | 'uta' = 'classic') =>
  generateAccount({ seed, orders, symbols: 24, days: 90, now: NOW, mode });
const truthOf = (seed: number, orders = 6000, mode: 'classic' | 'uta' = 'classic'): TruthRecord[] => [
  ...truthRecords(account(seed, orders, mode), mode),
];

describe('the generated account', () => {
  const truth = truthOf(42);

  test('the same seed gives the same truth, another seed a different one', () => {
    expect(truthOf(42, 500)).toEqual(truthOf(42, 500));
    const other = truthOf(43, 500);
    expect(other.map((t) => t.orderId)).not.toEqual(truthOf(42, 500).map((t) => t.orderId));
  });

  test('order ids are 19-digit strings, unique, and increase with cTime', () => {
    const ids = truth.map((t) => t.orderId);
    expect(ids.every((id) => /^\d{19}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < truth.length; i++) {
      expect(truth[i]!.cTime).toBeGreaterThanOrEqual(truth[i - 1]!.cTime);
      expect(BigInt(truth[i]!.orderId) > BigInt(truth[i - 1]!.orderId)).toBe(true);
    }
    const a = account(42, 10);
    expect(orderIdOf(a, 0)).toBe(truthOf(42, 10)[0]!.orderId);
  });

  test('cTimes lie in [now - days + 1 hour, now - 1 s] and days are capped at 1100', () => {
    expect(truth[0]!.cTime).toBeGreaterThanOrEqual(NOW - 90 * DAY_MS + 3_600_000);
    expect(truth[truth.length - 1]!.cTime).toBeLessThanOrEqual(NOW - 1000);
    const long = generateAccount({ seed: 1, orders: 100, symbols: 5, days: 400, now: NOW });
    expect(long.rangeStart).toBe(NOW - 400 * DAY_MS + 3_600_000);
    const capped = generateAccount({ seed: 1, orders: 100, symbols: 5, days: 5000, now: NOW });
    expect(capped.rangeStart).toBe(NOW - 1100 * DAY_MS + 3_600_000);
    const short = generateAccount({ seed: 1, orders: 100, symbols: 5, days: 7, now: NOW });
    expect(short.cTime[0]).toBeGreaterThanOrEqual(NOW - 7 * DAY_MS + 3_600_000);
  });

  test('covers spot (normal, TP/SL, plan), the three futures markets and every futures plan type (profit_loss is TP/SL)', () => {
    const kinds = new Set(truth.map((t) => `${t.market}/${t.kind}${t.planType ? '/' + t.planType : ''}`));
    for (const k of ['spot/normal', 'spot/tpsl', 'spot/plan']) expect(kinds).toContain(k);
    for (const m of ['usdt-futures', 'usdc-futures', 'coin-futures']) {
      expect(kinds).toContain(`${m}/normal`);
      for (const p of ['normal_plan', 'track_plan']) expect(kinds).toContain(`${m}/plan/${p}`);
      expect(kinds).toContain(`${m}/tpsl/profit_loss`);
    }
  });

  test('covers every status spelling of each stream', () => {
    const statuses = (filter: (t: TruthRecord) => boolean, field: string) =>
      new Set(truth.filter(filter).map((t) => t.raw[field]));
    expect(statuses((t) => t.market === 'spot' && t.kind === 'normal', 'status')).toEqual(
      new Set(['filled', 'cancelled', 'partially_filled', 'live']),
    );
    expect(statuses((t) => t.market !== 'spot' && t.kind === 'normal', 'status')).toEqual(
      new Set(['filled', 'canceled', 'partially_filled', 'live']),
    );
    expect(statuses((t) => t.market !== 'spot' && t.kind === 'plan', 'planStatus')).toEqual(
      new Set(['executed', 'fail_execute', 'cancelled']),
    );
    expect(statuses((t) => t.market === 'spot' && t.kind === 'plan', 'status')).toEqual(
      new Set(['executed', 'fail_execute', 'cancelled']),
    );
  });

  test('futures orders come in hedge mode (open/close) and one-way mode (buy_single/sell_single)', () => {
    const futures = truth.filter((t) => t.market !== 'spot' && t.kind === 'normal').map((t) => t.raw);
    const hedge = futures.filter((r) => r.posMode === 'hedge_mode');
    const oneWay = futures.filter((r) => r.posMode === 'one_way_mode');
    expect(new Set(hedge.map((r) => r.tradeSide))).toEqual(new Set(['open', 'close']));
    expect(new Set(hedge.map((r) => r.posSide))).toEqual(new Set(['long', 'short']));
    expect(new Set(oneWay.map((r) => r.tradeSide))).toEqual(new Set(['buy_single', 'sell_single']));
    expect(new Set(oneWay.map((r) => r.posSide))).toEqual(new Set(['net']));
  });

  test('time density is uneven: burst days and quiet weeks', () => {
    const perDay = new Map<number, number>();
    for (const t of truth)
      perDay.set(
        Math.floor((NOW - t.cTime) / DAY_MS),
        (perDay.get(Math.floor((NOW - t.cTime) / DAY_MS)) ?? 0) + 1,
      );
    const counts = Array.from({ length: 89 }, (_, d) => perDay.get(d) ?? 0).sort((a, b) => a - b);
    const median = counts[44]!;
    expect(counts[counts.length - 1]!).toBeGreaterThan(4 * median);
    expect(counts.filter((c) => c < median / 5).length).toBeGreaterThanOrEqual(5);
  });

  test('some symbols are delisted: present in the order history, absent from the symbol lists', async () => {
    const sim = await startSimulator({ seed: 42, orders: 6000, now: () => NOW });
    try {
      const listed = await getJson<Array<{ symbol: string; status: string }>>(
        sim.url,
        '/api/v2/spot/public/symbols',
      );
      const listedNames = new Set(listed.body.data.map((s) => s.symbol));
      const traded = new Set(truth.filter((t) => t.market === 'spot').map((t) => t.symbol));
      const delisted = [...traded].filter((s) => !listedNames.has(s));
      expect(delisted.length).toBeGreaterThanOrEqual(2);
      expect(new Set(listed.body.data.map((s) => s.status))).toEqual(new Set(['online', 'halt', 'offline']));
      const contracts = await getJson<Array<{ symbol: string; symbolStatus: string }>>(
        sim.url,
        '/api/v2/mix/market/contracts',
        qs({ productType: 'usdt-futures' }),
      );
      expect(contracts.body.data.some((c) => c.symbolStatus !== 'normal')).toBe(true);
      const futuresTraded = new Set(truth.filter((t) => t.market === 'usdt-futures').map((t) => t.symbol));
      const contractNames = new Set(contracts.body.data.map((c) => c.symbol));
      expect([...futuresTraded].some((s) => !contractNames.has(s))).toBe(true);
      expect((await getJson(sim.url, '/api/v2/mix/market/contracts')).body.code).toBe('40019');
    } finally {
      await sim.close();
    }
  });

  test('--symbols sets the number of base coins', () => {
    const few = generateAccount({ seed: 2, orders: 10, symbols: 8, days: 90, now: NOW });
    const many = generateAccount({ seed: 2, orders: 10, symbols: 60, days: 90, now: NOW });
    expect(few.catalog.byMarket.spot).toHaveLength(8);
    expect(many.catalog.byMarket.spot).toHaveLength(60);
    expect(new Set(many.catalog.byMarket.spot.map((i) => i.symbol)).size).toBe(60);
  });
});

describe('the generated unified (UTA) account', () => {
  const classic = truthOf(42);
  const uta = truthOf(42, 6000, 'uta');
  const key = (t: TruthRecord) => `${t.market}/${t.kind}${t.planType ? '/' + t.planType : ''}`;

  test('has no spot TP/SL or spot plan orders, but keeps the requested count and every other stream', () => {
    expect(uta).toHaveLength(6000);
    const kinds = new Set(uta.map(key));
    expect(kinds).toContain('spot/normal');
    expect(kinds).not.toContain('spot/tpsl');
    expect(kinds).not.toContain('spot/plan');
    expect(uta.filter((t) => t.market === 'spot').every((t) => t.kind === 'normal')).toBe(true);
    for (const m of ['usdt-futures', 'usdc-futures', 'coin-futures']) {
      expect(kinds).toContain(`${m}/normal`);
      for (const p of ['normal_plan', 'track_plan']) expect(kinds).toContain(`${m}/plan/${p}`);
      expect(kinds).toContain(`${m}/tpsl/profit_loss`);
    }
  });

  test('is deterministic and shares ids, times, symbols and futures orders with the classic account', () => {
    expect(truthOf(42, 500, 'uta')).toEqual(truthOf(42, 500, 'uta'));
    expect(uta.map((t) => [t.orderId, t.cTime, t.symbol])).toEqual(
      classic.map((t) => [t.orderId, t.cTime, t.symbol]),
    );
    const futures = (list: TruthRecord[]) => list.filter((t) => t.market !== 'spot').map(key);
    expect(futures(uta)).toEqual(futures(classic));
    // Classic mode is unchanged: the spot TP/SL and plan orders of the classic account are the UTA spot extras.
    const spotExtra = classic.filter((t) => t.market === 'spot' && t.kind !== 'normal').map((t) => t.orderId);
    expect(spotExtra.length).toBeGreaterThan(100);
    const utaSpot = new Set(uta.filter((t) => t.market === 'spot').map((t) => t.orderId));
    expect(spotExtra.every((id) => utaSpot.has(id))).toBe(true);
  });

  test('every strategy row has posSide long or short, in hedge and in one-way mode', () => {
    const strategy = uta.filter((t) => t.kind !== 'normal');
    expect(strategy.length).toBeGreaterThan(300);
    for (const t of strategy) expect(['long', 'short']).toContain(t.raw.posSide);
    // The classic twin of each row says which position mode it was placed in.
    const byId = new Map(classic.map((t) => [t.orderId, t.raw]));
    const modeOf = (t: TruthRecord) => byId.get(t.orderId)!.posMode;
    for (const mode of ['hedge_mode', 'one_way_mode']) {
      const rows = strategy.filter((t) => modeOf(t) === mode);
      expect(new Set(rows.map((t) => t.raw.posSide))).toEqual(new Set(['long', 'short']));
    }
    for (const t of strategy.filter((x) => modeOf(x) === 'hedge_mode'))
      expect(t.raw.posSide).toBe(byId.get(t.orderId)!.posSide);
    // One-way TP/SL orders are reduce-only: a sell closes a long, a buy closes a short.
    const oneWayTpsl = strategy.filter((x) => modeOf(x) === 'one_way_mode' && x.planType === 'profit_loss');
    expect(oneWayTpsl.length).toBeGreaterThan(20);
    for (const t of oneWayTpsl)
      expect(t.raw.posSide).toBe(byId.get(t.orderId)!.side === 'sell' ? 'long' : 'short');
  });
});
