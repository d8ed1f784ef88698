/**
 * The built CLI over an archive that holds fills and a ledger: `export --dataset fills --format koinly` reads
 * them from the archive (the same rows as from a run's result holding the same records), and `archive status`
 * lists the data sets and the totals. The archive is written with `mergeDataset`, what a sync hands over.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { KOINLY_COLUMNS } from '../../src/accounting/koinly';
import { ArchiveStore, FILLS, LEDGER, endpointStream, mergeDataset } from '../../src/archive';
import { openLocalBucket } from '../../src/cli/localBucket';
import { T0 } from '../helpers/canonicalRecords';
import { aFundingPayment, aFuturesClose, aSpotBuy, aSpotFeeEntry, jsonLines } from '../helpers/tradedAccount';
import { ensureBuilt, runCli } from '../cli/support';

jest.setTimeout(120_000);

const UID = '5512300918';
const RUN = 'run-archive-fills-1';
const DAY = 86_400_000;

const fills = [aSpotBuy(), aFuturesClose(T0 + 40 * DAY)];
const ledger = [aSpotFeeEntry(), aFundingPayment(T0 + 41 * DAY)];

describe('the CLI over an archive with fills and a ledger', () => {
  let dir: string;
  const served = { from: T0 - DAY, to: T0 + 50 * DAY };

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'archive-datasets-cli-'));
    const bucket = await openLocalBucket(dir);
    try {
      const archive = new ArchiveStore(bucket.store, UID);
      await mergeDataset(archive, FILLS, {
        records: fills,
        streams: [
          { stream: endpointStream('spotFills'), served },
          { stream: endpointStream('futuresFills', 'USDT-FUTURES'), served },
        ],
        at: served.to,
      });
      await mergeDataset(archive, LEDGER, {
        records: ledger,
        streams: [
          { stream: endpointStream('spotBills'), served },
          { stream: endpointStream('futuresBills', 'USDT-FUTURES'), served },
        ],
        at: served.to,
      });
      await bucket.store.putText(`results/${RUN}/fills.jsonl`, jsonLines(fills));
    } finally {
      await bucket.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports the archived fills for Koinly, the same rows as from a run holding the same fills', async () => {
    const fromArchive = join(dir, 'archive.koinly.csv');
    const fromRun = join(dir, 'run.koinly.csv');
    const a = await runCli([
      'export',
      '--data-dir',
      dir,
      '--dataset',
      'fills',
      '--format',
      'koinly',
      '--out',
      fromArchive,
    ]);
    expect(a.stderr).toMatch(/rows from fills written/);
    expect(a.code).toBe(0);
    const r = await runCli([
      'export',
      '--data-dir',
      dir,
      '--run-id',
      RUN,
      '--dataset',
      'fills',
      '--format',
      'koinly',
      '--out',
      fromRun,
    ]);
    expect(r.code).toBe(0);
    const csv = readFileSync(fromArchive, 'utf8');
    expect(csv).toBe(readFileSync(fromRun, 'utf8'));
    const [header, ...rows] = csv.trimEnd().split('\n');
    expect(header + '\n').toBe(stringify([[...KOINLY_COLUMNS]]));
    // the spot fill is one trade: 200 USDT sent, 0.004 BTC received, its fee beside it
    expect(rows[0]).toMatch(/^[^,]+,200,USDT,0\.004,BTC,0\.00001,BTC,/);
    expect(rows.length).toBeGreaterThan(1);
  });

  it('archive status lists fills and ledger and the totals, as JSON and as text', async () => {
    const j = await runCli(['archive', 'status', '--data-dir', dir, '--json']);
    expect(j.code).toBe(0);
    const status = JSON.parse(j.stdout) as Record<string, never>;
    expect(status).toMatchObject({
      uid: UID,
      datasets: {
        fills: { records: 2, from: served.from, to: served.to, gaps: [] },
        ledger: { records: 2, from: served.from, to: served.to, gaps: [], tax: null },
      },
      totals: {
        feesPaid: { BTC: '0.00001', USDT: '0.306' },
        realisedPnl: { total: { USDT: '10' } },
        funding: { bills: { USDT: { paid: '0.0425', received: '0', net: '-0.0425' } } },
      },
    });
    const t = await runCli(['archive', 'status', '--data-dir', dir]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^fills: 2 records/m);
    expect(t.stdout).toMatch(/^ledger: 2 records/m);
    expect(t.stdout).toMatch(/no tax records synced yet/);
    expect(t.stdout).toMatch(/fees paid: 0\.00001 BTC, 0\.306 USDT/);
    expect(t.stdout).toMatch(/realised PnL usdt-futures BTCUSDT: 10 USDT/);
    expect(t.stdout).toMatch(/funding \(bills\) USDT: paid 0\.0425, received 0, net -0\.0425/);
  });
});
