import {
  billsCoverage,
  datasetStarts,
  datasetStreams,
  gapCoveredBy,
  resumeAfterBills,
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

describe('data-set streams of a sync', () => {
  it('names one stream per source of the plan, the tax streams marked', () => {
    const streams = datasetStreams('ledger', 'classic', ['spot', 'usdt-futures'], ['normal']);
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

  it('resumes a tax stream past the time its bills cover without a gap, and not for margin or P2P', () => {
    expect(resumeAfterBills(state, 'taxSpotRecords', T - 90 * DAY)).toBe(T - 40 * DAY);
    expect(resumeAfterBills(state, 'taxSpotRecords', T - 35 * DAY)).toBe(T - 35 * DAY);
    expect(resumeAfterBills(state, 'taxSpotRecords', T - 30 * DAY)).toBe(T);
    expect(resumeAfterBills(state, 'taxP2pRecords', T - 5 * DAY)).toBe(T - 5 * DAY);
  });

  it('starts covered streams at their end, a new tax stream at its retention, and leaves new others open', () => {
    const streams = datasetStreams('ledger', 'classic', ['spot'], ['normal']);
    const { starts, uncovered } = datasetStarts(state, streams, T);
    expect(starts).toEqual({
      spotBills: T,
      taxSpotRecords: T - 40 * DAY,
      taxP2pRecords: T - 5 * DAY,
      'taxMarginRecords/isolated': T - 730 * DAY,
      'taxMarginRecords/crossed': T - 730 * DAY,
    });
    expect(uncovered).toEqual([]);
    const fresh = datasetStarts(
      { ...state, streams: {} },
      datasetStreams('fills', 'classic', ['spot'], ['normal']),
      T,
    );
    expect(fresh).toEqual({ starts: {}, uncovered: ['spotFills'] });
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
