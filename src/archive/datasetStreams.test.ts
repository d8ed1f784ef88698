import {
  billsCoverage,
  datasetStarts,
  datasetStreams,
  gapCoveredBy,
  resumeAfterBills,
  unfinishedOrdersBound,
} from './datasetStreams';
import type { DatasetState } from './manifest';

const DAY = 86_400_000;
const T = Date.UTC(2026, 10, 1);

// Bills covered from T-90d to T with a gap of 10 days; tax records to T-90d.
const state: DatasetState = {
  partitions: [],
  streams: {
    spotBills: { from: T - 90 * DAY, to: T },
    taxSpotRecords: { from: T - 730 * DAY, to: T - 90 * DAY },
    taxP2pRecords: { from: T - 730 * DAY, to: T - 5 * DAY },
  },
  gaps: [{ stream: 'spotBills', from: T - 40 * DAY, to: T - 30 * DAY, detectedAt: T - 30 * DAY }],
  open: [],
};

// The archive's orders: spot covered to T, an order of it last seen open, created 20 days before.
const orders: DatasetState = {
  partitions: [],
  streams: {
    'spot/normal': { from: T - 90 * DAY, to: T },
    'usdt-futures/normal': { from: T - 90 * DAY, to: T },
  },
  gaps: [],
  open: [{ stream: 'spot/normal', key: 'spot|1', cTime: T - 20 * DAY }],
};

describe('data-set streams of a sync', () => {
  it('names one stream per source of the plan, the tax streams marked', () => {
    const streams = datasetStreams('ledger', 'classic', ['spot', 'usdt-futures']);
    expect(streams.map((s) => [s.stream, s.tax])).toEqual([
      ['spotBills', false],
      ['futuresBills/USDT-FUTURES', false],
      ['taxSpotRecords', true],
      ['taxMarginRecords/isolated', true],
      ['taxMarginRecords/crossed', true],
      ['taxP2pRecords', true],
      ['taxFutureRecords/USDT-FUTURES', true],
    ]);
  });

  it('names each stream once when a market is named twice, and the unified account’s per category', () => {
    expect(
      datasetStreams('fills', 'uta', ['usdt-futures', 'spot', 'usdt-futures']).map((s) => s.stream),
    ).toEqual(['utaFills/SPOT', 'utaFills/MARGIN', 'utaFills/USDT-FUTURES']);
    expect(datasetStreams('ledger', 'uta', ['spot']).map((s) => [s.stream, s.tax])).toEqual([
      ['utaFinancialRecords/SPOT', false],
      ['utaFinancialRecords/MARGIN', false],
      ['utaFinancialRecords/OTHER', false],
      ['utaTaxRecords/SPOT', true],
      ['utaTaxRecords/MARGIN', true],
      ['utaTaxRecords/OTHER', true],
    ]);
  });

  it('resumes a tax stream past the time its bills cover without a gap, and not for margin or P2P', () => {
    expect(resumeAfterBills(state, 'taxSpotRecords', T - 90 * DAY)).toBe(T - 40 * DAY);
    expect(resumeAfterBills(state, 'taxSpotRecords', T - 35 * DAY)).toBe(T - 35 * DAY);
    expect(resumeAfterBills(state, 'taxSpotRecords', T - 30 * DAY)).toBe(T);
    expect(resumeAfterBills(state, 'taxP2pRecords', T - 5 * DAY)).toBe(T - 5 * DAY);
  });

  it('starts covered streams at their end, a new tax stream at its retention, and leaves new others open', () => {
    const streams = datasetStreams('ledger', 'classic', ['spot']);
    const { starts, uncovered } = datasetStarts(state, streams, T, orders);
    expect(starts).toEqual({
      // the orders' spot streams resume from an order last seen open: its fills may be listed only now
      spotBills: T - 20 * DAY,
      taxSpotRecords: T - 40 * DAY,
      taxP2pRecords: T - 5 * DAY,
      'taxMarginRecords/isolated': T - 730 * DAY,
      'taxMarginRecords/crossed': T - 730 * DAY,
    });
    expect(uncovered).toEqual([]);
    const fills = datasetStreams('fills', 'classic', ['spot']);
    const fresh = datasetStarts({ ...state, streams: {} }, fills, T, orders);
    expect(fresh).toEqual({ starts: {}, uncovered: ['spotFills'] });
    // fills covered, but the market's orders never synced: no bound on what is listed late, so asked in full
    const covered = { ...state, streams: { spotFills: { from: T - 90 * DAY, to: T } } };
    expect(datasetStarts(covered, fills, T, { ...orders, streams: {} })).toEqual({
      starts: {},
      uncovered: ['spotFills'],
    });
    expect(datasetStarts(covered, fills, T, orders).starts).toEqual({ spotFills: T - 20 * DAY });
  });

  it('bounds a fills or bills stream by the orders of its market not final at the last sync', () => {
    expect(unfinishedOrdersBound(orders, 'spotFills')).toBe(T - 20 * DAY);
    expect(unfinishedOrdersBound(orders, 'utaFinancialRecords/MARGIN')).toBe(T - 20 * DAY);
    expect(unfinishedOrdersBound(orders, 'futuresBills/USDT-FUTURES')).toBe(T);
    expect(unfinishedOrdersBound(orders, 'futuresFills/COIN-FUTURES')).toBeUndefined();
    expect(unfinishedOrdersBound(orders, 'utaFinancialRecords/OTHER')).toBe(Infinity);
  });

  it('says which tax stream covers a bills gap, and which entries the bills cover', () => {
    const covered: DatasetState = {
      ...state,
      streams: { ...state.streams, taxSpotRecords: { from: T - 730 * DAY, to: T - 30 * DAY } },
    };
    const gap = state.gaps[0]!;
    expect(gapCoveredBy(state, gap)).toBeNull();
    expect(gapCoveredBy(covered, gap)).toBe('taxSpotRecords');
    expect(gapCoveredBy(covered, { stream: 'spotFills', from: gap.from, to: gap.to })).toBeNull();
    const cover = billsCoverage(state);
    expect(cover({ account: 'spot', cTime: T - 50 * DAY })).toBe(true);
    expect(cover({ account: 'spot', cTime: T - 35 * DAY })).toBe(false);
    expect(cover({ account: 'spot', cTime: T - 100 * DAY })).toBe(false);
    expect(cover({ account: 'p2p', cTime: T - 50 * DAY })).toBe(false);
    expect(cover({ account: 'usdt-futures', cTime: T - 50 * DAY })).toBe(false);
  });
});
