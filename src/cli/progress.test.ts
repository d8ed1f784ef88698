import { PassThrough } from 'node:stream';
import type { DatasetName } from '../core/dataset';
import { ProgressModel, ProgressReporter } from './progress';

const lane = (
  laneId: string,
  p: Partial<{ orders: number; requests: number; open: number; done: number; dataset: DatasetName }>,
) => ({
  laneId,
  dataset: p.dataset ?? ('orders' as const),
  orders: p.orders ?? 0,
  requests: p.requests ?? 0,
  cursorsOpen: p.open ?? 1,
  cursorsDone: p.done ?? 0,
});

describe('ProgressModel: what the progress display shows', () => {
  it("never moves a lane's bar backwards when splits add cursors", () => {
    const m = new ProgressModel(() => 0);
    const widths: number[] = [];
    const filled = () => (m.laneLines(60)[0]!.match(/#/g) ?? []).length;
    m.lane(lane('spot-history', { requests: 10, open: 1, done: 3 }));
    widths.push(filled());
    m.lane(lane('spot-history', { requests: 11, open: 6, done: 3 })); // a split: the total grows
    widths.push(filled());
    m.lane(lane('spot-history', { requests: 30, open: 0, done: 9 }));
    widths.push(filled());
    expect(widths[1]).toBeGreaterThanOrEqual(widths[0]!);
    expect(widths[2]).toBeGreaterThan(widths[1]!);
    expect(m.laneLines(60)[0]).toMatch(/\[#+\] 0 ord done$/);
  });

  it('fits every line into 60 columns, and into 40 after a resize', () => {
    let t = 0;
    const m = new ProgressModel(
      () => t,
      () => 20,
    );
    m.setStage('lanes');
    for (const id of ['spot-history', 'futures-plan', 'spot-plan-found', 'search-w12345678']) {
      t += 1000;
      m.lane(lane(id, { orders: 1_234_567, requests: 98_765, open: 4, done: 2 }));
    }
    for (const width of [60, 40]) {
      const lines = [m.stageLine(width), m.overallLine(width), ...m.laneLines(width)];
      expect(lines.filter((l) => l.length > width)).toEqual([]);
      expect(lines[0]).toMatch(/^lanes 0:0\d/);
    }
  });

  it('gives an ETA from the minimum requests still to make at each lane’s rate, refined as cursors finish', () => {
    let t = 0;
    const m = new ProgressModel(
      () => t,
      (id) => (id === 'spot-history' ? 20 : 10),
    );
    m.setStage('lanes');
    m.lane(lane('spot-history', { requests: 0, open: 40 })); // 40 requests at 20/s: 2 s
    m.lane(lane('futures-history', { requests: 0, open: 30 })); // 30 at 10/s: 3 s, the slower lane
    expect(m.etaMs()).toBe(3000);
    t += 1000;
    m.lane(lane('futures-history', { requests: 40, open: 20, done: 10 })); // 4 per finished cursor: 80 left
    expect(m.etaMs()).toBe(8000);
    expect(m.overallLine(60)).toMatch(/^0 orders {2}\d+\.\d\/30 req\/s {2}ETA 0:08$/);
  });
});

describe('ProgressModel: every data set counted in its own words', () => {
  it('says orders, fills and ledger entries apart, overall and per lane', () => {
    const m = new ProgressModel(() => 0);
    m.lane(lane('spot-history', { orders: 120, requests: 3 }));
    m.lane(lane('futures-history', { orders: 30, requests: 1 }));
    m.lane(lane('spot-fills', { orders: 80, requests: 2, dataset: 'fills' }));
    m.lane(lane('tax-spot', { orders: 500, requests: 1, open: 0, done: 1, dataset: 'ledger' }));
    expect(m.overallLine(80)).toMatch(/^150 orders, 80 fills, 500 ledger entries {2}/);
    expect(m.laneLines(80)).toEqual([
      expect.stringMatching(/ 120 ord 3 req$/),
      expect.stringMatching(/ 30 ord 1 req$/),
      expect.stringMatching(/ 80 fills 2 req$/),
      expect.stringMatching(/ 500 entries done$/),
    ]);
  });
});

describe('ProgressReporter off a terminal', () => {
  it('writes one plain line per interval, not one per update', () => {
    let t = 0;
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const stream = Object.assign(out, { isTTY: false }) as unknown as NodeJS.WriteStream;
    const r = new ProgressReporter(stream, 5000, () => t);
    for (let i = 0; i < 50; i++) {
      t += 300; // 15 s of updates
      r.update(lane('spot-history', { orders: i * 100, requests: i }));
    }
    r.stop();
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(2); // at 5 s and 10 s
    expect(lines[0]).toMatch(
      /^progress: planning 0:05 \| 1600 orders {2}\d+\.\d req\/s \| spot-history 1600\/16 req$/,
    );
  });
});
