/**
 * `export --dataset fills|ledger` from a run's result, in every format, through the built CLI. The run's result
 * files are written straight into the local bucket (canonical records from the test factory): the extraction of
 * fills and the ledger is proved elsewhere.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { KOINLY_COLUMNS } from '../../src/accounting/koinly';
import { COINTRACKING_COLUMNS } from '../../src/accounting/coinTracking';
import { FILL_CSV_COLUMNS, LEDGER_CSV_COLUMNS, readParquet } from '../../src/archive/exportFormats';
import { openLocalBucket } from '../../src/cli/localBucket';
import { aLedgerEntry, anOrder, T0 } from '../helpers/canonicalRecords';
import { aFundingPayment, aFuturesClose, aSpotBuy, aSpotFeeEntry, jsonLines } from '../helpers/tradedAccount';
import { ensureBuilt, runCli } from './support';

// Every case spawns the CLI (ensureBuilt may first compile it), like the other CLI suites.
jest.setTimeout(120_000);

const RUN = 'run-accounting-1';
const fills = [aSpotBuy(), aFuturesClose(T0 + 60_000)];
const ledger = [
  aLedgerEntry({
    billId: '21',
    type: 'deposit',
    businessType: 'deposit',
    coin: 'USDT',
    amount: '1000',
    symbol: null,
    orderId: null,
    cTime: T0 - 1000,
  }),
  // the spot fill's fee: on its trade row already
  aSpotFeeEntry(),
  aLedgerEntry({ billId: '23', type: 'trade', coin: 'BTC', amount: '0.004', cTime: T0 }),
  aFundingPayment(T0 + 120_000),
];

describe('export --dataset fills|ledger', () => {
  let dir: string;
  const run = (args: string[]) => runCli(['export', '--data-dir', dir, ...args]);
  const exportTo = async (dataset: string, format: string, runId: string | null = RUN) => {
    const out = join(dir, `${dataset}.${format}`);
    const r = await run([
      ...(runId ? ['--run-id', runId] : []),
      '--dataset',
      dataset,
      '--format',
      format,
      '--out',
      out,
    ]);
    return { ...r, out };
  };

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'cli-export-datasets-'));
    const bucket = await openLocalBucket(dir);
    try {
      await bucket.store.putText(`results/${RUN}/orders.jsonl`, jsonLines([anOrder()]));
      await bucket.store.putText(`results/${RUN}/fills.jsonl`, jsonLines(fills));
      await bucket.store.putText(`results/${RUN}/ledger.jsonl`, jsonLines(ledger));
      await bucket.store.putText(`results/only-orders/orders.jsonl`, jsonLines([anOrder()]));
    } finally {
      await bucket.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the canonical fills and ledger as JSONL, record for record', async () => {
    const f = await exportTo('fills', 'jsonl');
    expect(f.code).toBe(0);
    expect(readFileSync(f.out, 'utf8')).toBe(jsonLines(fills));
    const l = await exportTo('ledger', 'jsonl');
    expect(readFileSync(l.out, 'utf8')).toBe(jsonLines(ledger));
    expect(l.stderr).toMatch(/4 ledger written/);
  });

  const csv = (columns: readonly string[], rows: Record<string, string>[]) =>
    stringify(rows, { header: true, columns: [...columns] });
  const iso = (ms: number) => new Date(ms).toISOString();
  const koinly = (r: Partial<Record<(typeof KOINLY_COLUMNS)[number], string>>) => ({
    ...Object.fromEntries(KOINLY_COLUMNS.map((c) => [c, ''])),
    ...r,
  });
  const coinTracking = (r: Partial<Record<(typeof COINTRACKING_COLUMNS)[number], string>>) => ({
    ...Object.fromEntries(COINTRACKING_COLUMNS.map((c) => [c, ''])),
    Exchange: 'Bitget',
    ...r,
  });
  const koinlyDate = (ms: number) => iso(ms).replace('T', ' ').slice(0, 19) + ' UTC';
  const ctDate = (ms: number) => {
    const t = iso(ms);
    return `${t.slice(8, 10)}.${t.slice(5, 7)}.${t.slice(0, 4)} ${t.slice(11, 19)}`;
  };

  it('writes CSV with ISO-8601 UTC times beside the epoch ms, fees and raw as JSON', async () => {
    const f = await exportTo('fills', 'csv');
    expect(f.code).toBe(0);
    expect(readFileSync(f.out, 'utf8')).toBe(
      csv(
        FILL_CSV_COLUMNS,
        fills.map((x) => ({
          ...(x as unknown as Record<string, string>),
          fees: JSON.stringify(x.fees),
          raw: JSON.stringify(x.raw),
          cTimeIso: iso(x.cTime),
        })),
      ),
    );
    const l = await exportTo('ledger', 'csv');
    expect(readFileSync(l.out, 'utf8')).toBe(
      csv(
        LEDGER_CSV_COLUMNS,
        ledger.map((x) => ({
          ...(x as unknown as Record<string, string>),
          raw: JSON.stringify(x.raw),
          cTimeIso: iso(x.cTime),
        })),
      ),
    );
  });

  it('writes Parquet that reads back equal to the records', async () => {
    const f = await exportTo('fills', 'parquet');
    expect(f.code).toBe(0);
    expect(await readParquet(f.out, 'fills')).toEqual(fills);
    const l = await exportTo('ledger', 'parquet');
    expect(await readParquet(l.out, 'ledger')).toEqual(ledger);
  });

  it('writes Koinly’s universal CSV: its header exactly, a trade row per spot fill, PnL and fees labelled', async () => {
    const f = await exportTo('fills', 'koinly');
    expect(f.code).toBe(0);
    const text = readFileSync(f.out, 'utf8');
    expect(text.split('\n')[0]).toBe(
      'Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Net Worth Amount,Net Worth Currency,Label,Description,TxHash',
    );
    expect(text).toBe(
      csv(KOINLY_COLUMNS, [
        koinly({
          Date: koinlyDate(T0),
          'Sent Amount': '200',
          'Sent Currency': 'USDT',
          'Received Amount': '0.004',
          'Received Currency': 'BTC',
          'Fee Amount': '0.00001',
          'Fee Currency': 'BTC',
          Description: 'spot BTCUSDT buy 0.004 @ 50000',
          TxHash: '11',
        }),
        koinly({
          Date: koinlyDate(T0 + 60_000),
          'Received Amount': '10',
          'Received Currency': 'USDT',
          Label: 'realized gain',
          Description: 'usdt-futures BTCUSDT sell 0.01 @ 50000: realised profit',
          TxHash: '12',
        }),
        koinly({
          Date: koinlyDate(T0 + 60_000),
          'Sent Amount': '0.306',
          'Sent Currency': 'USDT',
          Label: 'margin fee',
          Description: 'usdt-futures BTCUSDT sell 0.01 @ 50000: trading fee',
          TxHash: '12',
        }),
      ]),
    );
  });

  it('writes the ledger for Koinly without the fee and trade entries the fills carry', async () => {
    const l = await exportTo('ledger', 'koinly');
    expect(l.code).toBe(0);
    expect(readFileSync(l.out, 'utf8')).toBe(
      csv(KOINLY_COLUMNS, [
        koinly({
          Date: koinlyDate(T0 - 1000),
          'Received Amount': '1000',
          'Received Currency': 'USDT',
          Description: 'spot deposit (bills)',
          TxHash: '21',
        }),
        koinly({
          Date: koinlyDate(T0 + 120_000),
          'Sent Amount': '0.0425',
          'Sent Currency': 'USDT',
          Label: 'margin fee',
          Description: 'usdt-futures contract_settle_fee BTCUSDT (bills)',
          TxHash: '24',
        }),
      ]),
    );
    expect(l.stderr).toMatch(/2 rows from ledger written/);
    expect(l.stderr).toMatch(/1 trade entries .*, 1 fee entries on a fill's row/);
  });

  it('writes CoinTracking’s CSV with its header and type words', async () => {
    const f = await exportTo('fills', 'cointracking');
    const text = readFileSync(f.out, 'utf8');
    expect(text.split('\n')[0]).toBe(
      'Type,Buy Amount,Buy Currency,Sell Amount,Sell Currency,Fee,Fee Currency,Exchange,Trade-Group,Comment,Date',
    );
    expect(text).toBe(
      csv(COINTRACKING_COLUMNS, [
        coinTracking({
          Type: 'Trade',
          'Buy Amount': '0.004',
          'Buy Currency': 'BTC',
          'Sell Amount': '200',
          'Sell Currency': 'USDT',
          Fee: '0.00001',
          'Fee Currency': 'BTC',
          Comment: 'spot BTCUSDT buy 0.004 @ 50000 [11]',
          Date: ctDate(T0),
        }),
        coinTracking({
          Type: 'Derivatives / Futures Profit',
          'Buy Amount': '10',
          'Buy Currency': 'USDT',
          Comment: 'usdt-futures BTCUSDT sell 0.01 @ 50000: realised profit [12]',
          Date: ctDate(T0 + 60_000),
        }),
        coinTracking({
          Type: 'Margin Fee',
          'Sell Amount': '0.306',
          'Sell Currency': 'USDT',
          Comment: 'usdt-futures BTCUSDT sell 0.01 @ 50000: trading fee [12]',
          Date: ctDate(T0 + 60_000),
        }),
      ]),
    );
  });

  it('refuses a format a data set is not written in, naming both', async () => {
    const r = await exportTo('orders', 'koinly');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--format koinly is not written for --dataset orders \(koinly takes fills or ledger\)/,
    );
  });

  it('says which data set is missing, from a run and from the archive', async () => {
    const r = await exportTo('fills', 'csv', 'only-orders');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run only-orders has no fills data set/);
    const needsFills = await exportTo('ledger', 'koinly', 'only-orders');
    expect(needsFills.code).toBe(1);
    expect(needsFills.stderr).toMatch(/has no ledger data set/);
    const archive = await exportTo('ledger', 'jsonl', null);
    expect(archive.code).toBe(1);
    expect(archive.stderr).toMatch(/no archive yet/);
  });
});
