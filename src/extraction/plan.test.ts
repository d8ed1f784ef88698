import { DAY_MS } from '../bitget/endpoints';
import { parseExtractionRequest } from '../core/request';
import { cutWindows, maxWindowMs, mayTradeAs, planRun } from './plan';
import { describeSource } from './sources';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

describe('planRun', () => {
  it('clamps an 8-year request to the 90 days Bitget serves and says so', () => {
    const { plan } = planRun({
      runId: 'r1',
      request: parseExtractionRequest({ since: NOW - 8 * 365 * DAY_MS }),
      serverNow: NOW,
      mode: 'classic',
    });
    expect(plan.served.since).toBe(NOW - 90 * DAY_MS + 10 * 60 * 1000);
    expect(plan.served.until).toBe(NOW + 1);
    expect(plan.requested.since).toBe(NOW - 8 * 365 * DAY_MS);
    expect(plan.notes.join(' ')).toMatch(/last 90 days only/);
    // the one kind of order no client can find without being told its symbol is named, not hidden
    expect(plan.notes.join(' ')).toMatch(/no longer lists whose only orders in the range are plan orders/);
  });

  it('puts every classic source into its rate-limit lane, one cursor per window', () => {
    const { plan, lanes } = planRun({
      runId: 'r',
      request: parseExtractionRequest({ datasets: ['orders'] }),
      serverNow: NOW,
      mode: 'classic',
    });
    expect(plan.laneIds.sort()).toEqual(['futures-history', 'futures-plan', 'spot-history']);
    const byId = Object.fromEntries(lanes.map((l) => [l.laneId, l]));
    expect(byId['spot-history']!.cursors.map((c) => c.id)).toEqual([
      'c0:spotHistoryOrders:normal',
      'c1:spotHistoryOrders:tpsl',
    ]);
    expect(byId['futures-history']!.cursors).toHaveLength(3);
    expect(byId['futures-plan']!.cursors).toHaveLength(9); // 3 product types × 3 plan types (profit_loss: kind tpsl)
    expect(plan.needsSymbolSearch).toBe(true);
    expect(plan.searchWindows).toHaveLength(1);
  });

  it('asks classic profit_loss plans for kind tpsl and trigger and trailing plans for kind plan', () => {
    const planTypesFor = (kinds: ('normal' | 'tpsl' | 'plan')[], mode: 'classic' | 'uta' = 'classic') =>
      planRun({
        runId: 'r',
        request: parseExtractionRequest({ kinds, markets: ['usdt-futures'], datasets: ['orders'] }),
        serverNow: NOW,
        mode,
      }).lanes.flatMap((l) =>
        l.cursors.map((c) => `${l.laneId}:${'planType' in c.source ? c.source.planType : ''}`),
      );
    expect(planTypesFor(['tpsl'])).toEqual(['futures-plan:profit_loss']);
    expect(planTypesFor(['plan'])).toEqual(['futures-plan:normal_plan', 'futures-plan:track_plan']);
    // v3 lists TP/SL and trigger orders on one endpoint: either kind asks it.
    expect(new Set(planTypesFor(['plan'], 'uta'))).toEqual(new Set(['uta-strategy:']));
    expect(new Set(planTypesFor(['tpsl'], 'uta'))).toEqual(new Set(['uta-strategy:']));
  });

  it('never asks for a span longer than an endpoint accepts (30 days on v3)', () => {
    const { lanes } = planRun({
      runId: 'r',
      request: parseExtractionRequest({ datasets: ['orders'] }),
      serverNow: NOW,
      mode: 'uta',
    });
    const history = lanes.find((l) => l.laneId === 'uta-history')!;
    for (const c of history.cursors) expect(c.end - c.start + 1).toBeLessThanOrEqual(30 * DAY_MS);
    // 5 categories (SPOT, MARGIN, 3 futures) × 3 windows of at most 30 days over ~90 days
    expect(history.cursors).toHaveLength(15);
    expect(lanes.map((l) => l.laneId).sort()).toEqual(['uta-history', 'uta-strategy']);
    // v3 strategy orders are documented for the futures categories only: 3 categories × 3 windows.
    const strategy = lanes.find((l) => l.laneId === 'uta-strategy')!;
    expect(new Set(strategy.cursors.map((c) => ('category' in c.source ? c.source.category : '')))).toEqual(
      new Set(['USDT-FUTURES', 'USDC-FUTURES', 'COIN-FUTURES']),
    );
    expect(strategy.cursors).toHaveLength(9);
  });

  it('gives named symbols their own cursors everywhere, spot plan included, with no search', () => {
    const { plan, lanes } = planRun({
      runId: 'r',
      request: parseExtractionRequest({ symbols: ['BTCUSDT', 'ethusdt'], markets: ['spot'] }),
      serverNow: NOW,
      mode: 'classic',
    });
    expect(plan.needsSymbolSearch).toBe(false);
    const plan_ = lanes.find((l) => l.laneId === 'spot-plan')!;
    expect(plan_.cursors.map((c) => c.source)).toEqual([
      { endpoint: 'spotPlanHistory', symbol: 'BTCUSDT' },
      { endpoint: 'spotPlanHistory', symbol: 'ETHUSDT' },
    ]);
  });

  it('starts each stream from its own start, sharing windows between streams that start together', () => {
    const since = NOW - 2 * DAY_MS;
    const { plan, lanes } = planRun({
      runId: 'r',
      request: parseExtractionRequest({
        since,
        streamSince: { 'usdt-futures/plan': NOW - 40 * DAY_MS, 'spot/plan': NOW - 10 * DAY_MS },
        markets: ['spot', 'usdt-futures'],
        kinds: ['normal', 'plan'],
      }),
      serverNow: NOW,
      mode: 'classic',
      listedSpotSymbols: ['BTCUSDT'],
    });
    const startsOf = (laneId: string) =>
      lanes.find((l) => l.laneId === laneId)!.cursors.map((c) => [describeSource(c.source), c.start]);
    expect(startsOf('spot-history')).toEqual([['spotHistoryOrders:normal', since]]);
    expect(startsOf('futures-history')).toEqual([['futuresHistoryOrders:USDT-FUTURES', since]]);
    expect(startsOf('futures-plan')).toEqual([
      ['futuresPlanHistory:USDT-FUTURES:normal_plan', NOW - 40 * DAY_MS],
      ['futuresPlanHistory:USDT-FUTURES:track_plan', NOW - 40 * DAY_MS],
    ]);
    expect(startsOf('spot-plan')).toEqual([['spotPlanHistory:BTCUSDT', NOW - 10 * DAY_MS]]);
    expect(plan.searchWindows.map((w) => w.start)).toEqual([NOW - 10 * DAY_MS]);
    expect(plan.served.since).toBe(NOW - 40 * DAY_MS);
    expect(plan.requested.streamSince).toEqual(
      parseExtractionRequest({
        streamSince: { 'usdt-futures/plan': NOW - 40 * DAY_MS, 'spot/plan': NOW - 10 * DAY_MS },
      }).streamSince,
    );
  });

  it('starts a v3 source that lists two streams at the earlier of their starts', () => {
    const { lanes } = planRun({
      runId: 'r',
      request: parseExtractionRequest({
        since: NOW - 2 * DAY_MS,
        streamSince: { 'coin-futures/plan': NOW - 20 * DAY_MS, 'coin-futures/tpsl': NOW - 5 * DAY_MS },
        markets: ['coin-futures'],
        kinds: ['normal', 'tpsl', 'plan'],
      }),
      serverNow: NOW,
      mode: 'uta',
    });
    const strategy = lanes.find((l) => l.laneId === 'uta-strategy')!;
    expect(strategy.cursors.map((c) => c.start)).toEqual([NOW - 20 * DAY_MS]);
    expect(lanes.find((l) => l.laneId === 'uta-history')!.cursors.map((c) => c.start)).toEqual([
      NOW - 2 * DAY_MS,
    ]);
  });

  it('plans nothing, and says why, for a range Bitget no longer serves', () => {
    const { plan, lanes } = planRun({
      runId: 'r',
      // The ledger's tax records reach further back: orders and fills are what Bitget no longer serves here.
      request: parseExtractionRequest({
        since: NOW - 400 * DAY_MS,
        until: NOW - 200 * DAY_MS,
        datasets: ['orders', 'fills'],
      }),
      serverNow: NOW,
      mode: 'classic',
    });
    expect(lanes).toEqual([]);
    expect(plan.notes.join(' ')).toMatch(/Nothing to fetch/);
  });
});

describe('mayTradeAs', () => {
  it('leaves out only the clear mismatches of Bitget contract naming', () => {
    expect(mayTradeAs('BTCUSDT', 'USDT-FUTURES')).toBe(true);
    expect(mayTradeAs('BTCUSDT', 'COIN-FUTURES')).toBe(false);
    expect(mayTradeAs('BTCUSDT', 'USDC-FUTURES')).toBe(false);
    expect(mayTradeAs('BTCPERP', 'USDC-FUTURES')).toBe(true);
    expect(mayTradeAs('BTCPERP', 'USDT-FUTURES')).toBe(false);
    expect(mayTradeAs('BTCUSD', 'COIN-FUTURES')).toBe(true);
    expect(mayTradeAs('BTCUSD', 'USDT-FUTURES')).toBe(true); // not a clear mismatch: asked
  });

  it('keeps named symbols out of product types they cannot belong to', () => {
    const { lanes } = planRun({
      runId: 'r',
      // Orders and fills (per symbol); the ledger is selected by account, not symbol.
      request: parseExtractionRequest({
        symbols: ['BTCUSDT'],
        markets: ['usdt-futures', 'coin-futures'],
        datasets: ['orders', 'fills'],
      }),
      serverNow: NOW,
      mode: 'classic',
    });
    const products = lanes.flatMap((l) =>
      l.cursors.map((c) => ('productType' in c.source ? c.source.productType : '')),
    );
    expect(new Set(products)).toEqual(new Set(['USDT-FUTURES']));
  });
});

describe('cutWindows', () => {
  it('covers the range exactly with consecutive windows no longer than the span', () => {
    const ws = cutWindows(0, 100, 30);
    expect(ws.map((w) => [w.start, w.end])).toEqual([
      [0, 30],
      [30, 60],
      [60, 90],
      [90, 100],
    ]);
    expect(maxWindowMs('utaHistoryOrders')).toBe(30 * DAY_MS - 1000);
  });
});
