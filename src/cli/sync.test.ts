import type { SyncReport } from '../archive';
import { describe as describeSync } from './sync';

const T = Date.UTC(2026, 10, 2);
const set = (added: number, records: number) => ({
  dataset: '',
  fetched: added,
  added,
  duplicates: 0,
  conflicts: { count: 0, keys: [] },
  records,
  partitionsWritten: 1,
  gaps: [],
});
const report: SyncReport = {
  uid: '5512300918',
  mode: 'classic',
  runId: 'sync-1',
  asked: { since: null, until: T, streams: {} },
  served: { from: T - 86_400_000, to: T },
  fetched: 5,
  openOrders: 1,
  added: 4,
  updated: 1,
  records: 9,
  partitionsWritten: 2,
  gaps: [],
  staleOpen: 0,
  requests: 12,
  nothingNew: false,
  generation: 3,
  datasets: { fills: set(7, 20), ledger: { ...set(3, 30), taxSince: null } },
  database: null,
};

describe('the line a sync ends with', () => {
  it('counts each data set’s records in its own word', () => {
    expect(describeSync(report)).toBe(
      'sync: 4 orders added, 1 updated, 7 fills added, 3 ledger entries added (4 partitions written); ' +
        '9 orders, 20 fills, 30 ledger entries archived for account 5512300918, covered to 2026-11-02T00:00:00.000Z; ' +
        '5 orders fetched + 1 open, 12 requests',
    );
  });
});
