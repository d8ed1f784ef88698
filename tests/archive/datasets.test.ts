/**
 * Fills and the ledger in the archive: what a sync hands over per data set (`mergeDataset`) lands in month
 * partitions, sorted, one record per key; a second merge adds nothing; a changed record is reported, not
 * written over; tax records are kept beside the bills with their own coverage; the reader and `archive
 * status` (with the accounting totals) see them. Records from the test factory, in a local bucket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArchiveRecordError,
  ArchiveStore,
  FILLS,
  LEDGER,
  archiveStatusWithTotals,
  endpointStream,
  mergeDataset,
  openArchive,
  readRecords,
  type DatasetSpec,
} from '../../src/archive';
import { readParquet } from '../../src/archive/exportFormats';
import { openLocalBucket } from '../../src/cli/localBucket';
import { compareFills, fillKey, type CanonicalFill } from '../../src/core/fill';
import { compareLedgerEntries, type CanonicalLedgerEntry } from '../../src/core/ledgerEntry';
import type { RunStore } from '../../src/storage/RunStore';
import { aFill, aLedgerEntry } from '../helpers/canonicalRecords';
import { aFundingPayment, aFuturesClose, aSpotFeeEntry } from '../helpers/tradedAccount';

const UID = '4412300917';
const DAY = 86_400_000;
const OCT = Date.UTC(2026, 9, 20);
const NOV = Date.UTC(2026, 10, 3);

const SPOT_FILLS = endpointStream('spotFills');
const FUTURES_FILLS = endpointStream('futuresFills', 'USDT-FUTURES');
const SPOT_BILLS = endpointStream('spotBills');
const FUTURES_BILLS = endpointStream('futuresBills', 'USDT-FUTURES');
const TAX_SPOT = endpointStream('taxSpotRecords');

// Unsorted on purpose, across two months: the partitions come out sorted all the same.
const fills: CanonicalFill[] = [
  aFill({ tradeId: '31', orderId: '3', cTime: NOV + 5000 }),
  aFill({ tradeId: '11', orderId: '1', size: '0.004', quoteVolume: '200', cTime: OCT }),
  aFuturesClose(NOV, { tradeId: '21' }),
  aFill({ tradeId: '12', orderId: '1', size: '0.006', quoteVolume: '300', cTime: OCT }),
];

const ledger: CanonicalLedgerEntry[] = [
  aSpotFeeEntry({ billId: '501', cTime: OCT }),
  aFundingPayment(NOV + 1000, { billId: '502', symbol: 'BTCUSDT', orderId: null }),
  // A tax record with the same billId as a bill: a different key, kept beside it.
  aLedgerEntry({ billId: '501', source: 'tax', businessType: 'Trade fee', coin: 'BTC', cTime: OCT }),
  // and one from long before the bills reach
  aLedgerEntry({
    billId: '400',
    source: 'tax',
    type: 'deposit',
    businessType: 'Deposit',
    coin: 'USDT',
    amount: '1000',
    symbol: null,
    orderId: null,
    cTime: OCT - 300 * DAY,
  }),
];

const fillStreams = (from: number, to: number) => [
  { stream: SPOT_FILLS, served: { from, to } },
  { stream: FUTURES_FILLS, served: { from, to } },
];
const ledgerStreams = (from: number, to: number) => [
  { stream: SPOT_BILLS, served: { from, to } },
  { stream: FUTURES_BILLS, served: { from, to } },
  { stream: TAX_SPOT, served: { from: OCT - 365 * DAY, to } },
];

async function bytesOf(store: RunStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.openStream(key)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function readAll<R>(store: RunStore, dataset: DatasetSpec<R>): Promise<R[]> {
  const { archive, manifest } = await openArchive(store, UID);
  const out: R[] = [];
  for await (const r of readRecords(archive, manifest, dataset)) out.push(r);
  return out;
}

describe('fills and the ledger in the archive', () => {
  let dir: string;
  let bucket: Awaited<ReturnType<typeof openLocalBucket>>;
  let archive: ArchiveStore;
  const start = OCT - 10 * DAY;
  const end = NOV + DAY;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'archive-datasets-'));
    bucket = await openLocalBucket(dir);
    archive = new ArchiveStore(bucket.store, UID);
  });
  afterEach(async () => {
    await bucket.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('merges fills into month partitions, sorted, with their Parquet, and a second merge adds nothing', async () => {
    const first = await mergeDataset(archive, FILLS, {
      records: fills,
      streams: fillStreams(start, end),
      at: end,
    });
    expect(first).toMatchObject({ fetched: 4, added: 4, duplicates: 0, conflicts: [], records: 4 });

    const { manifest } = await openArchive(bucket.store, UID);
    const parts = manifest.datasets.fills!.partitions;
    expect(parts.map((p) => [p.month, p.records])).toEqual([
      ['2026-10', 2],
      ['2026-11', 2],
    ]);
    expect(parts[0]!.key).toBe(
      `archive/${UID}/fills/2026/10.${String(first.generation).padStart(6, '0')}.ndjson`,
    );
    const sorted = [...fills].sort(compareFills);
    expect(await archive.readPartition(FILLS, parts[0]!)).toEqual(sorted.slice(0, 2));
    expect(await archive.readPartition(FILLS, parts[1]!)).toEqual(sorted.slice(2));
    const parquet = parts[1]!.parquet!;
    expect(parquet.key).toMatch(new RegExp(`^archive/${UID}/parquet/fills/2026/11\\.`));
    expect(await readParquet(await bytesOf(bucket.store, parquet.key), 'fills')).toEqual(sorted.slice(2));

    const again = await mergeDataset(archive, FILLS, {
      records: [...fills].reverse(),
      streams: fillStreams(start, end),
      at: end,
    });
    expect(again).toMatchObject({ fetched: 4, added: 0, duplicates: 4, conflicts: [], partitionsWritten: 0 });
    const after = (await openArchive(bucket.store, UID)).manifest.datasets.fills!;
    expect(after.partitions).toEqual(parts);
    expect(await readAll(bucket.store, FILLS)).toEqual(sorted);
  });

  it('keeps a tax record beside the bill of the same id, each stream with its own coverage, merging twice adds nothing', async () => {
    const first = await mergeDataset(archive, LEDGER, {
      records: ledger,
      streams: ledgerStreams(start, end),
      at: end,
    });
    expect(first).toMatchObject({ added: 4, duplicates: 0, records: 4 });
    const again = await mergeDataset(archive, LEDGER, {
      records: ledger,
      streams: ledgerStreams(start, end),
      at: end,
    });
    expect(again).toMatchObject({ added: 0, duplicates: 4, partitionsWritten: 0, records: 4 });

    const held = await readAll(bucket.store, LEDGER);
    expect(held).toEqual([...ledger].sort(compareLedgerEntries));
    expect(held.filter((e) => e.billId === '501').map((e) => e.source)).toEqual(['bills', 'tax']);
    const { manifest } = await openArchive(bucket.store, UID);
    expect(Object.keys(manifest.datasets)).toEqual(['ledger']);
    expect(manifest.datasets.ledger!.streams).toEqual({
      [SPOT_BILLS]: { from: start, to: end },
      [FUTURES_BILLS]: { from: start, to: end },
      [TAX_SPOT]: { from: OCT - 365 * DAY, to: end },
    });
    expect(manifest.datasets.ledger!.partitions.map((p) => p.month)).toEqual([
      '2025-12',
      '2026-10',
      '2026-11',
    ]);
  });

  it('reports a changed record with an archived key and keeps the archived copy', async () => {
    await mergeDataset(archive, FILLS, { records: fills, streams: fillStreams(start, end), at: end });
    const changed = {
      ...fills[1]!,
      price: '50001',
      fee: '0.2',
      feeCoin: 'USDT',
      fees: [{ fee: '0.2', feeCoin: 'USDT' }],
    };
    const report = await mergeDataset(archive, FILLS, {
      records: [changed],
      streams: fillStreams(end, end + DAY),
      at: end + DAY,
    });
    expect(report).toMatchObject({ added: 0, duplicates: 1, partitionsWritten: 0 });
    expect(report.conflicts).toEqual([
      { key: fillKey(changed), fields: ['price', 'fee', 'feeCoin', 'fees'] },
    ]);
    expect((await readAll(bucket.store, FILLS)).find((f) => f.tradeId === changed.tradeId)).toEqual(fills[1]);
    const state = (await openArchive(bucket.store, UID)).manifest.datasets.fills!;
    expect(state.conflicts).toEqual([
      { key: fillKey(changed), fields: ['price', 'fee', 'feeCoin', 'fees'], detectedAt: end + DAY },
    ]);
  });

  it('records a gap per stream when a later merge starts after the previous coverage ended', async () => {
    await mergeDataset(archive, FILLS, { records: fills, streams: fillStreams(start, end), at: end });
    const later = end + 100 * DAY;
    const report = await mergeDataset(archive, FILLS, {
      records: [],
      streams: [{ stream: SPOT_FILLS, served: { from: later - 90 * DAY, to: later } }],
      at: later,
    });
    expect(report.gaps).toEqual([{ stream: SPOT_FILLS, from: end, to: later - 90 * DAY, detectedAt: later }]);
    const state = (await openArchive(bucket.store, UID)).manifest.datasets.fills!;
    expect(state.streams[SPOT_FILLS]).toEqual({ from: start, to: later });
    expect(state.streams[FUTURES_FILLS]).toEqual({ from: start, to: end });
  });

  it('archive status lists fills and ledger with their coverage, the tax reach, and the totals', async () => {
    await mergeDataset(archive, FILLS, { records: fills, streams: fillStreams(start, end), at: end });
    await mergeDataset(archive, LEDGER, { records: ledger, streams: ledgerStreams(start, end), at: end });
    const { manifest } = await openArchive(bucket.store, UID);
    const status = await archiveStatusWithTotals(archive, manifest);
    expect(status.datasets.fills).toEqual({ records: 4, from: start, to: end, gaps: [] });
    expect(status.datasets.ledger).toEqual({
      records: 4,
      from: OCT - 365 * DAY,
      to: end,
      gaps: [],
      tax: { from: OCT - 365 * DAY, to: end },
    });
    expect(status.totals).toEqual({
      feesPaid: { BTC: '0.00003', USDT: '0.306' },
      volume: {
        spot: { BTCUSDT: { fills: 3, base: '0.02', quote: '1000' } },
        'usdt-futures': { BTCUSDT: { fills: 1, base: '0.01', quote: '510' } },
      },
      realisedPnl: {
        bySymbol: { 'usdt-futures': { BTCUSDT: { settleCoin: 'USDT', profit: '10' } } },
        total: { USDT: '10' },
      },
      funding: { bills: { USDT: { paid: '0.0425', received: '0', net: '-0.0425' } }, tax: {} },
    });
  });

  it('leaves the previous archive readable when killed before the manifest, and the next merge completes it', async () => {
    await mergeDataset(archive, FILLS, {
      records: fills.slice(0, 2),
      streams: fillStreams(start, end),
      at: end,
    });
    const before = (await openArchive(bucket.store, UID)).manifest;
    const killed = new ArchiveStore(bucket.store, UID, (point) => {
      if (point === 'manifest') throw new Error('killed before the manifest');
    });
    await expect(
      mergeDataset(killed, FILLS, { records: fills, streams: fillStreams(start, end + DAY), at: end + DAY }),
    ).rejects.toThrow('killed before the manifest');
    expect((await openArchive(bucket.store, UID)).manifest).toEqual(before);
    expect(await readAll(bucket.store, FILLS)).toEqual(fills.slice(0, 2).sort(compareFills));

    const report = await mergeDataset(archive, FILLS, {
      records: fills,
      streams: fillStreams(start, end + DAY),
      at: end + DAY,
    });
    expect(report).toMatchObject({ added: 2, duplicates: 2, records: 4 });
    const { manifest } = await openArchive(bucket.store, UID);
    const named = manifest.datasets.fills!.partitions.flatMap((p) => [p.key, p.parquet!.key]);
    expect((await bucket.store.list(`archive/${UID}/`)).sort()).toEqual(
      [...named, `archive/${UID}/manifest.json`].sort(),
    );
  });

  it('refuses to read past a stored line that is not a fill, naming the field', () => {
    const { tradeId: _dropped, ...noId } = fills[0]!;
    expect(() => FILLS.parse(JSON.stringify(noId))).toThrow(ArchiveRecordError);
    expect(() => FILLS.parse(JSON.stringify(noId))).toThrow(/tradeId/);
    expect(() => LEDGER.parse('{not json')).toThrow(ArchiveRecordError);
  });
});
