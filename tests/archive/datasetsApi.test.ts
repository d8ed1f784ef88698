/**
 * `GET /archive/status` over an archive that holds fills and a ledger: the data sets listed like orders, the
 * ledger's tax reach, and the accounting totals, through the response schema (a closed schema would drop what
 * it does not name).
 */
import type { FastifyInstance } from 'fastify';
import { ArchiveStore, FILLS, LEDGER, endpointStream, mergeDataset } from '../../src/archive';
import { RunStore } from '../../src/storage/RunStore';
import { sqliteTestDatabase, type TestDatabase } from '../db/support/databases';
import { startTestS3, type TestS3 } from '../db/support/s3';
import { buildHarness } from '../api/support/harness';
import { aFill, aLedgerEntry, T0 } from '../helpers/canonicalRecords';

const UID = '6612300919';
const DAY = 86_400_000;

describe('GET /archive/status with fills and a ledger', () => {
  let s3: TestS3;
  let t: TestDatabase;
  let app: FastifyInstance;
  const served = { from: T0 - DAY, to: T0 + DAY };
  const taxFrom = T0 - 700 * DAY;

  beforeAll(async () => {
    s3 = await startTestS3();
    t = await sqliteTestDatabase();
    app = buildHarness(t, s3).app;
    const archive = new ArchiveStore(new RunStore(s3.s3, s3.bucket), UID);
    await mergeDataset(archive, FILLS, {
      records: [aFill({ tradeId: '1', cTime: T0 }), aFill({ tradeId: '2', cTime: T0 + 1 })],
      streams: [{ stream: endpointStream('spotFills'), served }],
      at: served.to,
    });
    await mergeDataset(archive, LEDGER, {
      records: [
        aLedgerEntry({ billId: '7', cTime: T0 }),
        aLedgerEntry({ billId: '7', source: 'tax', cTime: T0 }),
        aLedgerEntry({
          billId: '5',
          source: 'tax',
          type: 'funding',
          coin: 'USDT',
          amount: '0.5',
          cTime: taxFrom,
        }),
      ],
      streams: [
        { stream: endpointStream('spotBills'), served },
        { stream: endpointStream('taxSpotRecords'), served: { from: taxFrom, to: served.to } },
      ],
      at: served.to,
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
    await s3?.close();
  });

  it('lists fills and ledger with their coverage, the tax reach and the totals', async () => {
    const res = await app.inject(`/archive/status?uid=${UID}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      uid: UID,
      datasets: {
        fills: { records: 2, from: served.from, to: served.to, gaps: [] },
        ledger: { records: 3, from: taxFrom, to: served.to, gaps: [], tax: { from: taxFrom, to: served.to } },
      },
      lastSync: served.to,
      database: { rows: 0, fills: 0, ledger: 0 },
      totals: {
        feesPaid: { BTC: '0.00002' },
        volume: { spot: { BTCUSDT: { fills: 2, base: '0.02', quote: '1000' } } },
        realisedPnl: { bySymbol: {}, total: {} },
        funding: { bills: {}, tax: { USDT: { paid: '0', received: '0.5', net: '0.5' } } },
      },
    });
  });
});
