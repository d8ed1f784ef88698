import { DAY_MS } from '../bitget/endpoints';
import { parseExtractionRequest } from '../core/request';
import { planRun } from './plan';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const MARGIN = 10 * 60 * 1000;
const SERVED_SINCE = NOW - 90 * DAY_MS + MARGIN;

const planFor = (input: object, mode: 'classic' | 'uta' = 'classic') =>
  planRun({ runId: 'r', request: parseExtractionRequest(input), serverNow: NOW, mode });

describe('planRun: fills and ledger streams', () => {
  it('gives each classic data-set endpoint its own lane beside the order lanes', () => {
    const { plan, lanes } = planFor({ since: NOW - 800 * DAY_MS });
    expect(plan.laneIds.sort()).toEqual(
      [
        'futures-bills',
        'futures-fills',
        'futures-history',
        'futures-plan',
        'spot-bills',
        'spot-fills',
        'spot-history',
        'tax-future',
        'tax-margin',
        'tax-p2p',
        'tax-spot',
      ].sort(),
    );
    const byId = Object.fromEntries(lanes.map((l) => [l.laneId, l]));
    expect(byId['spot-fills']).toMatchObject({ endpoint: 'spotFills', dataset: 'fills' });
    expect(byId['tax-future']).toMatchObject({ endpoint: 'taxFutureRecords', dataset: 'ledger' });
    expect(byId['spot-history']!.dataset).toBeUndefined();
    // Spot fills: one 90-day window; futures fills: 7-day windows per product type.
    expect(byId['spot-fills']!.cursors.map((c) => c.source)).toEqual([{ endpoint: 'spotFills' }]);
    const futuresFills = byId['futures-fills']!.cursors;
    expect(new Set(futuresFills.map((c) => c.id.split(':').slice(1).join(':')))).toEqual(
      new Set(['futuresFills:USDT-FUTURES', 'futuresFills:USDC-FUTURES', 'futuresFills:COIN-FUTURES']),
    );
    expect(futuresFills).toHaveLength(3 * 13);
    for (const c of futuresFills) expect(c.end - c.start).toBeLessThanOrEqual(7 * DAY_MS);
    // Bills over the orders' range; futures bills in 30-day windows.
    expect(byId['spot-bills']!.cursors.map((c) => [c.start, c.end])).toEqual([[SERVED_SINCE, NOW + 1]]);
    expect(byId['futures-bills']!.cursors).toHaveLength(3 * 3);
  });

  it('asks the tax records for the part older than the bills serve, as far back as they reach, and says so', () => {
    const { plan, lanes } = planFor({ since: NOW - 800 * DAY_MS });
    const taxReach = NOW - 730 * DAY_MS + MARGIN;
    const spot = lanes.find((l) => l.laneId === 'tax-spot')!;
    expect(Math.min(...spot.cursors.map((c) => c.start))).toBe(taxReach);
    expect(Math.max(...spot.cursors.map((c) => c.end))).toBe(SERVED_SINCE);
    // The windows tile [reach, served since) without gap or overlap, 30 days at most (the smaller copy).
    const sorted = [...spot.cursors].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start).toBe(sorted[i - 1]!.end);
    for (const c of sorted) expect(c.end - c.start).toBeLessThanOrEqual(30 * DAY_MS);
    expect(lanes.find((l) => l.laneId === 'tax-margin')!.cursors.map((c) => c.source)).toEqual(
      expect.arrayContaining([
        { endpoint: 'taxMarginRecords', marginType: 'isolated' },
        { endpoint: 'taxMarginRecords', marginType: 'crossed' },
      ]),
    );
    const recent = { since: SERVED_SINCE, until: NOW + 1 };
    const older = { since: taxReach, until: SERVED_SINCE };
    expect(plan.datasetRanges).toEqual({
      fills: {
        since: SERVED_SINCE,
        until: NOW + 1,
        streams: {
          spotFills: recent,
          'futuresFills/USDT-FUTURES': recent,
          'futuresFills/USDC-FUTURES': recent,
          'futuresFills/COIN-FUTURES': recent,
        },
      },
      ledger: {
        since: taxReach,
        until: NOW + 1,
        taxSince: taxReach,
        streams: {
          spotBills: recent,
          'futuresBills/USDT-FUTURES': recent,
          'futuresBills/USDC-FUTURES': recent,
          'futuresBills/COIN-FUTURES': recent,
          taxSpotRecords: older,
          'taxMarginRecords/isolated': { since: taxReach, until: NOW + 1 },
          'taxMarginRecords/crossed': { since: taxReach, until: NOW + 1 },
          taxP2pRecords: { since: taxReach, until: NOW + 1 },
          'taxFutureRecords/USDT-FUTURES': older,
          'taxFutureRecords/USDC-FUTURES': older,
          'taxFutureRecords/COIN-FUTURES': older,
        },
      },
    });
    expect(plan.notes.join(' ')).toMatch(/tax records \(source "tax"\) cover 2024-11-21T12:10:00\.000Z to/);
    expect(plan.notes.join(' ')).toMatch(/asked from 2024-09-12/);
  });

  it('asks no tax record without a since (the 90 days the orders are served), and says how far back they reach', () => {
    const { plan, lanes } = planFor({});
    expect(lanes.some((l) => l.laneId.startsWith('tax-'))).toBe(false);
    expect(plan.datasetRanges!['ledger']).toMatchObject({
      since: SERVED_SINCE,
      until: NOW + 1,
      taxSince: null,
    });
    expect(Object.keys(plan.datasetRanges!['ledger']!.streams!).some((s) => s.startsWith('tax'))).toBe(false);
    expect(plan.notes.join(' ')).toMatch(
      /tax records reach back to 2024-11-21T12:10:00\.000Z: name an older --since/,
    );
  });

  it('asks only the tax records of accounts without bills when the asked range lies within the bills, and widens the span when told', () => {
    const recent = planFor({ since: NOW - 10 * DAY_MS });
    // Spot and futures entries come from their bills; margin and P2P have no bills, only tax records.
    expect(
      recent.lanes
        .filter((l) => l.laneId.startsWith('tax-'))
        .map((l) => l.laneId)
        .sort(),
    ).toEqual(['tax-margin', 'tax-p2p']);
    expect(recent.plan.datasetRanges!['ledger']).toMatchObject({
      since: NOW - 10 * DAY_MS,
      until: NOW + 1,
      taxSince: NOW - 10 * DAY_MS,
    });
    const wide = planFor({ since: NOW - 400 * DAY_MS, taxSpanDays: 366 });
    const spot = wide.lanes.find((l) => l.laneId === 'tax-spot')!;
    expect(spot.cursors.map((c) => [c.start, c.end])).toEqual([[NOW - 400 * DAY_MS, SERVED_SINCE]]);
  });

  it("starts each stream at its own time when the request names it (a sync's watermarks), never before it is served", () => {
    const taxReach = NOW - 730 * DAY_MS + MARGIN;
    const { plan, lanes } = planFor({
      markets: ['spot'],
      // No `since`: streams without their own start are asked as far back as Bitget serves (bills, fills) or
      // not at all (tax records).
      streamSince: {
        spotFills: NOW - 2 * DAY_MS,
        spotBills: NOW - 200 * DAY_MS,
        taxSpotRecords: NOW - 800 * DAY_MS,
        taxP2pRecords: NOW - 100 * DAY_MS,
      },
    });
    expect(plan.datasetRanges!['fills']!.streams).toEqual({
      spotFills: { since: NOW - 2 * DAY_MS, until: NOW + 1 },
    });
    expect(plan.datasetRanges!['ledger']!.streams).toEqual({
      spotBills: { since: SERVED_SINCE, until: NOW + 1 },
      taxSpotRecords: { since: taxReach, until: SERVED_SINCE },
      // P2P records have no bills: they are asked to the end of the range.
      taxP2pRecords: { since: NOW - 100 * DAY_MS, until: NOW + 1 },
    });
    expect(plan.datasetRanges!['ledger']!.taxSince).toBe(taxReach);
    const byId = Object.fromEntries(lanes.map((l) => [l.laneId, l]));
    expect(byId['spot-fills']!.cursors.map((c) => [c.start, c.end])).toEqual([[NOW - 2 * DAY_MS, NOW + 1]]);
    expect(byId['tax-margin']).toBeUndefined();
  });

  it('plans v3 fills per category and v3 financial and tax records per category, OTHER included', () => {
    const { lanes } = planFor({ markets: ['spot', 'usdt-futures'], since: NOW - 400 * DAY_MS }, 'uta');
    const byId = Object.fromEntries(lanes.map((l) => [l.laneId, l]));
    const labels = (laneId: string) => new Set(byId[laneId]!.cursors.map((c) => c.id.replace(/^c\d+:/, '')));
    expect(labels('uta-fills')).toEqual(
      new Set(['utaFills:SPOT', 'utaFills:MARGIN', 'utaFills:USDT-FUTURES']),
    );
    expect(labels('uta-financial-records')).toEqual(
      new Set([
        'utaFinancialRecords:SPOT',
        'utaFinancialRecords:MARGIN',
        'utaFinancialRecords:USDT-FUTURES',
        'utaFinancialRecords:OTHER',
      ]),
    );
    // v3 tax records reach 366 days back, 7 days a query.
    const tax = byId['uta-tax']!;
    expect(Math.min(...tax.cursors.map((c) => c.start))).toBe(NOW - 366 * DAY_MS + MARGIN);
    for (const c of tax.cursors) expect(c.end - c.start).toBeLessThanOrEqual(7 * DAY_MS);
    expect(new Set(tax.cursors.map((c) => ('bizType' in c.source ? c.source.bizType : '')))).toEqual(
      new Set(['SPOT', 'MARGIN', 'USDT-FUTURES', 'OTHER']),
    );
  });

  it('plans only the data sets asked for; named symbols select fills, not the ledger', () => {
    const fillsOnly = planFor({ datasets: ['fills'], symbols: ['BTCUSDT'] });
    expect(fillsOnly.plan.laneIds.sort()).toEqual(['futures-fills', 'spot-fills']);
    expect(fillsOnly.plan.needsSymbolSearch).toBe(false);
    expect(fillsOnly.lanes.flatMap((l) => l.cursors.map((c) => c.source))).toEqual(
      expect.arrayContaining([
        { endpoint: 'spotFills', symbol: 'BTCUSDT' },
        { endpoint: 'futuresFills', productType: 'USDT-FUTURES', symbol: 'BTCUSDT' },
      ]),
    );
    const ledger = planFor({ datasets: ['ledger'], symbols: ['BTCUSDT'], since: NOW - DAY_MS });
    expect(ledger.plan.laneIds.sort()).toEqual(['futures-bills', 'spot-bills', 'tax-margin', 'tax-p2p']);
    expect(ledger.plan.notes.join(' ')).toMatch(/selected by account, not by symbol/);
  });
});
