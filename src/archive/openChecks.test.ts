import { OPEN_CHECK_EVERY_MS, dueOpenChecks, streamStarts, syncStart } from './coverage';
import { emptyDatasetState, type DatasetState } from './manifest';

const T = 1_760_000_000_000;
const HOUR = 3_600_000;
const streams = ['spot/normal', 'spot/plan', 'usdt-futures/normal', 'usdt-futures/plan'];

function state(overrides: Partial<DatasetState>): DatasetState {
  return {
    ...emptyDatasetState(),
    streams: Object.fromEntries(streams.map((s) => [s, { from: T - 90 * 24 * HOUR, to: T - HOUR }])),
    ...overrides,
  };
}

describe('which open-order endpoints a sync asks', () => {
  it('asks every stream on a first sync', () => {
    expect([...dueOpenChecks(emptyDatasetState(), streams, T).due].sort()).toEqual([...streams].sort());
  });

  it('skips the streams asked less than a day ago with nothing open, asking spot plan only for open symbols', () => {
    const checked = Object.fromEntries(streams.map((s) => [s, T - HOUR]));
    const s = state({
      openChecked: checked,
      open: [
        { stream: 'usdt-futures/plan', key: 'usdt-futures|1', cTime: T - 5 * HOUR },
        { stream: 'spot/plan', key: 'spot|2', cTime: T - 5 * HOUR, symbol: 'ethusdt' },
      ],
    });
    const { due, planSymbols } = dueOpenChecks(s, streams, T);
    expect([...due]).toEqual(['usdt-futures/plan']);
    expect(planSymbols).toEqual(['ETHUSDT']);
  });

  it('asks every stream again once a day has passed since they were asked', () => {
    const s = state({ openChecked: Object.fromEntries(streams.map((x) => [x, T - OPEN_CHECK_EVERY_MS])) });
    const { due, planSymbols } = dueOpenChecks(s, streams, T);
    expect([...due].sort()).toEqual([...streams].sort());
    expect(planSymbols).toEqual([]);
  });

  it('reads a manifest without openChecked as asked at each stream’s covered end', () => {
    expect([...dueOpenChecks(state({}), streams, T).due]).toEqual([]);
    expect([...dueOpenChecks(state({}), streams, T - HOUR + OPEN_CHECK_EVERY_MS).due].sort()).toEqual(
      [...streams].sort(),
    );
  });
});

describe('where a sync starts after skipping open-order endpoints', () => {
  it('asks history again from when a stream’s open orders were last asked', () => {
    const s = state({ openChecked: { 'usdt-futures/plan': T - 3 * HOUR } });
    expect(syncStart(s, streams)).toBe(T - 3 * HOUR);
  });

  it('starts at the covered end when every stream was asked then', () => {
    const s = state({ openChecked: Object.fromEntries(streams.map((x) => [x, T - HOUR])) });
    expect(syncStart(s, streams)).toBe(T - HOUR);
  });
});

describe('where each stream starts', () => {
  it('starts each stream at its own watermark, or its open orders’ last check, or its oldest order last seen open', () => {
    const s = state({
      openChecked: { 'usdt-futures/normal': T - 3 * HOUR },
      open: [
        { stream: 'usdt-futures/plan', key: 'usdt-futures|1', cTime: T - 30 * 24 * HOUR },
        { stream: 'usdt-futures/plan', key: 'usdt-futures|2', cTime: T - 2 * 24 * HOUR },
      ],
      streams: {
        'spot/normal': { from: T - 90 * 24 * HOUR, to: T - HOUR },
        'usdt-futures/normal': { from: T - 90 * 24 * HOUR, to: T - HOUR },
        'usdt-futures/plan': { from: T - 90 * 24 * HOUR, to: T - HOUR },
      },
    });
    // spot/plan was never covered: left out, so the run asks it from as far back as Bitget serves
    expect(streamStarts(s, streams)).toEqual({
      'spot/normal': T - HOUR,
      'usdt-futures/normal': T - 3 * HOUR,
      'usdt-futures/plan': T - 30 * 24 * HOUR,
    });
    expect(syncStart(s, streams)).toBeUndefined();
  });
});
