import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS, readParquet } from '../../src/archive/exportFormats';
import { ORDERS, openArchive } from '../../src/archive';
import type { CanonicalOrder } from '../../src/core/order';
import { openLocalBucket } from '../../src/cli/localBucket';
import { createHash } from 'node:crypto';
import { lock } from 'proper-lockfile';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/extract';
import { startSimulator, type Simulator, type TruthRecord } from '../../src/sim';

jest.setTimeout(180_000);

const DAY = 86_400_000;

function io(env: NodeJS.ProcessEnv): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  (stderr as unknown as PassThrough).on('data', (d: Buffer) => (err += d.toString()));
  return { io: { stdout, stderr, env }, out: () => out, err: () => err };
}

describe('the archive commands: sync, archive status, export', () => {
  let sim: Simulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let truth: TruthRecord[];
  const run = async (args: string[]) => {
    const c = io(env);
    const code = await main(args, c.io);
    return { code, stdout: c.out(), stderr: c.err() };
  };

  beforeAll(async () => {
    sim = await startSimulator({ seed: 31, orders: 600, symbols: 3, days: 100, clockDaysAgo: 30 });
    dir = mkdtempSync(join(tmpdir(), 'cli-archive-'));
    env = {
      BITGET_API_KEY: sim.credentials.apiKey,
      BITGET_SECRET_KEY: sim.credentials.secretKey,
      BITGET_PASSPHRASE: sim.credentials.passphrase,
      BITGET_BASE_URL: sim.url,
    };
    truth = [];
    for await (const t of sim.truth()) truth.push(t);
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('archive status says there is no archive before the first sync, exit 1', async () => {
    const r = await run(['archive', 'status', '--data-dir', dir, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no archive yet/);
  });

  it('sync merges the account into its archive, then a second sync adds nothing and says so', async () => {
    const first = await run(['sync', '--data-dir', dir]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ uid: sim.uid, nothingNew: false });
    sim.clock.advance(30 * DAY);
    const second = await run(['sync', '--data-dir', dir]);
    expect(second.code).toBe(0);
    const third = await run(['sync', '--data-dir', dir]);
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/nothing new/);
    expect(JSON.parse(third.stdout)).toMatchObject({ added: 0, updated: 0, nothingNew: true });
  });

  it('archive status --json prints the contract shape', async () => {
    const r = await run(['archive', 'status', '--data-dir', dir, '--json']);
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout) as Record<string, unknown>;
    // the totals come with the fills and the ledger, synced beside the orders by default
    expect(Object.keys(status).sort()).toEqual(['datasets', 'lastSync', 'totals', 'uid']);
    const covered = {
      records: expect.any(Number),
      from: expect.any(Number),
      to: expect.any(Number),
      gaps: [],
    };
    expect(status).toEqual({
      uid: sim.uid,
      datasets: {
        orders: { records: truth.length, from: expect.any(Number), to: expect.any(Number), gaps: [] },
        fills: covered,
        ledger: { ...covered, tax: { from: expect.any(Number), to: expect.any(Number) } },
      },
      lastSync: expect.any(Number),
      totals: expect.any(Object),
    });
  });

  it('exports the archive as JSONL, sorted, equal to the ground truth', async () => {
    const out = join(dir, 'orders.jsonl');
    const r = await run([
      'export',
      '--data-dir',
      dir,
      '--dataset',
      'orders',
      '--format',
      'jsonl',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { orderId: string; raw: unknown });
    expect(lines.map((l) => l.orderId)).toEqual(truth.map((t) => t.orderId));
    expect(lines.map((l) => l.raw)).toEqual(truth.map((t) => t.raw));
  });

  it('exports a slice as CSV with ISO-8601 UTC times beside epoch milliseconds', async () => {
    const since = truth[100]!.cTime;
    const until = truth[200]!.cTime;
    const out = join(dir, 'orders.csv');
    const r = await run([
      'export',
      '--data-dir',
      dir,
      '--dataset',
      'orders',
      '--format',
      'csv',
      '--since',
      String(since),
      '--until',
      String(until),
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    // the same slice of the JSONL export, as CSV rows: every canonical field, ISO times beside, raw as JSON
    const jsonl = readFileSync(join(dir, 'orders.jsonl'), 'utf8').trim().split('\n');
    const slice = jsonl
      .map((l) => JSON.parse(l) as Record<string, unknown> & { cTime: number; uTime: number | null })
      .filter((o) => o.cTime >= since && o.cTime < until);
    expect(slice.length).toBe(truth.filter((t) => t.cTime >= since && t.cTime < until).length);
    const expected = stringify(
      slice.map((o) => ({
        ...o,
        reduceOnly: o['reduceOnly'] === null ? '' : String(o['reduceOnly']), // unknown stays empty
        cTimeIso: new Date(o.cTime).toISOString(),
        uTimeIso: o.uTime === null ? '' : new Date(o.uTime).toISOString(),
        raw: JSON.stringify(o['raw']),
      })),
      { header: true, columns: [...CSV_COLUMNS] },
    );
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(expected);
    expect(text.split('\n')[0]).toContain('cTime,cTimeIso,uTime,uTimeIso');
    expect(text).toContain(`,${slice[0]!.cTime},${new Date(slice[0]!.cTime).toISOString()},`);
  });

  const exportTo = async (format: string, out: string, extra: string[] = []) => {
    const r = await run([
      'export',
      '--data-dir',
      dir,
      '--dataset',
      'orders',
      '--format',
      format,
      '--out',
      out,
      ...extra,
    ]);
    expect(r.stderr).toMatch(new RegExp(`orders written to .* \\(${format}\\)`));
    expect(r.code).toBe(0);
  };
  const jsonlRecords = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as CanonicalOrder);

  it('exports the archive as Parquet that reads back, record by record, equal to the JSONL export', async () => {
    const jsonl = join(dir, 'pq-archive.jsonl');
    const parquet = join(dir, 'pq-archive.parquet');
    await exportTo('jsonl', jsonl);
    await exportTo('parquet', parquet);
    expect(readFileSync(parquet).subarray(0, 4).toString()).toBe('PAR1');
    const expected = jsonlRecords(jsonl);
    expect(expected.length).toBe(truth.length);
    expect(await readParquet(parquet)).toEqual(expected);
  });

  it('exports a run’s result (--run-id) as Parquet equal to its JSONL export', async () => {
    // a first sync into a fresh directory: its run holds everything Bitget serves
    const fresh = mkdtempSync(join(tmpdir(), 'cli-archive-run-'));
    try {
      const sync = await run(['sync', '--data-dir', fresh]);
      expect(sync.code).toBe(0);
      const { runId } = JSON.parse(sync.stdout) as { runId: string };
      const jsonl = join(fresh, 'pq-run.jsonl');
      const parquet = join(fresh, 'pq-run.parquet');
      const exportRun = async (format: string, out: string) => {
        const r = await run([
          'export',
          '--data-dir',
          fresh,
          '--run-id',
          runId,
          '--dataset',
          'orders',
          '--format',
          format,
          '--out',
          out,
        ]);
        expect(r.code).toBe(0);
      };
      await exportRun('jsonl', jsonl);
      await exportRun('parquet', parquet);
      const expected = jsonlRecords(jsonl);
      expect(expected.length).toBeGreaterThan(0);
      expect(await readParquet(parquet)).toEqual(expected);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('writes every archive partition as Parquet too, named in the manifest and equal to its NDJSON', async () => {
    const bucket = await openLocalBucket(dir);
    try {
      const { archive, manifest } = await openArchive(bucket.store);
      const partitions = manifest.datasets['orders']!.partitions;
      expect(partitions.length).toBeGreaterThan(1);
      for (const p of partitions) {
        expect(p.parquet?.key).toBe(
          p.key.replace('/orders/', '/parquet/orders/').replace(/\.ndjson$/, '.parquet'),
        );
        const chunks: Buffer[] = [];
        for await (const c of await bucket.store.openStream(p.parquet!.key)) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks);
        expect(createHash('sha256').update(body).digest('hex')).toBe(p.parquet!.sha256);
        expect(await readParquet(body)).toEqual(await archive.readPartition(ORDERS, p));
      }
      // nothing else under parquet/: older generations are collected with their NDJSON
      const named = new Set(
        Object.values(manifest.datasets).flatMap((d) => d.partitions.map((p) => p.parquet!.key)),
      );
      expect(
        Object.keys(manifest.datasets).every((d) => [...named].some((k) => k.includes(`/parquet/${d}/`))),
      ).toBe(true);
      const listed = (await bucket.store.list(`archive/${sim.uid}/parquet/`)).sort();
      expect(listed).toEqual([...named].sort());
    } finally {
      await bucket.close();
    }
  });

  it('refuses a second sync on the same data directory while one runs, exit 1', async () => {
    const release = await lock(dir, { retries: 0, lockfilePath: join(dir, 'sync.lock') });
    try {
      const r = await run(['sync', '--data-dir', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/another sync is running/);
    } finally {
      await release();
    }
  });

  it('refuses a data set that is not archived and an unknown format, naming them', async () => {
    // an archive of orders only: synced with --datasets orders
    const ordersOnly = mkdtempSync(join(tmpdir(), 'cli-archive-orders-'));
    const out = join(dir, 'x');
    try {
      const synced = await run(['sync', '--data-dir', ordersOnly, '--datasets', 'orders']);
      expect(synced.code).toBe(0);
      expect(JSON.parse(synced.stdout)).toMatchObject({ datasets: {} });
      const fills = await run([
        'export',
        '--data-dir',
        ordersOnly,
        '--dataset',
        'fills',
        '--format',
        'jsonl',
        '--out',
        out,
      ]);
      expect(fills.code).toBe(1);
      expect(fills.stderr).toMatch(/the archive of account \d+ has no fills data set \(archived: orders\)/);
    } finally {
      rmSync(ordersOnly, { recursive: true, force: true });
    }
    const xml = await run([
      'export',
      '--data-dir',
      dir,
      '--dataset',
      'orders',
      '--format',
      'xml',
      '--out',
      out,
    ]);
    expect(xml.code).toBe(2);
    expect(xml.stderr).toMatch(
      /--format must be one of jsonl, csv, parquet, koinly, cointracking \(got "xml"\)/,
    );
    const sync = await run(['sync', '--data-dir', dir, '--datasets', 'ledger,trades']);
    expect(sync.code).toBe(2);
    expect(sync.stderr).toMatch(/unknown data set "trades"/);
  });
});
