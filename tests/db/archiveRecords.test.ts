/**
 * Fills and ledger entries of the archive in the database, on SQLite and MySQL: one row per record and account
 * keyed as the archive keys them, imported from the manifest's partitions (an import stopped between partitions
 * resumes, and an import run again adds nothing), read back in the archive's order through keyset pages under
 * filters, every field equal to the archived record. Records from the shared factory, in a local bucket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveStore, FILLS, LEDGER, endpointStream, mergeDataset, openArchive } from '../../src/archive';
import type { Manifest } from '../../src/archive';
import { openLocalBucket } from '../../src/cli/localBucket';
import type { CanonicalFill } from '../../src/core/fill';
import type { CanonicalLedgerEntry } from '../../src/core/ledgerEntry';
import { importArchive } from '../../src/db/archiveOrders';
import {
  countArchiveRecords,
  insertArchiveFills,
  insertArchiveLedger,
  listArchiveFills,
  listArchiveLedger,
  type ArchiveRecordPage,
} from '../../src/db/archiveRecords';
import { InvalidArchiveQueryError, InvalidArchiveRecordError } from '../../src/db/errors';
import { aFill, aLedgerEntry } from '../helpers/canonicalRecords';
import { DATABASE_KINDS, type TestDatabase } from './support/databases';

jest.setTimeout(240_000);

const UID = '4412300918';
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 7, 20);
const MARKETS = ['spot', 'usdt-futures', 'coin-futures'] as const;

/** 1500 fills over three months, several per millisecond, tradeIds of different lengths (sorted as integers). */
const fills: CanonicalFill[] = Array.from({ length: 1500 }, (_, i) => {
  const market = MARKETS[i % 3]!;
  return aFill({
    tradeId: String(i % 7 === 0 ? 900 + i : 1_200_000_000_000_000_000n + BigInt(i)),
    orderId: String(5000 + Math.floor(i / 4)),
    market,
    symbol: i % 5 === 0 ? 'ETHUSDT' : 'BTCUSDT',
    side: i % 2 ? 'sell' : 'buy',
    price: `${50000 + i}.10`,
    size: '0.000100000000',
    quoteVolume: '5.00001',
    profit: market === 'spot' ? null : i % 4 ? '-1.25' : '3.5',
    tradeSide: market === 'spot' ? null : 'close',
    posSide: market === 'spot' ? null : 'long',
    fees: i % 11 === 0 ? [] : [{ fee: '0.0000001', feeCoin: market === 'spot' ? 'BTC' : 'USDT' }],
    cTime: T0 + Math.floor(i / 3) * 0.2 * DAY,
    raw: { tradeId: String(i), note: 'ü' },
  });
}).map((f) => (f.fees.length === 0 ? { ...f, fee: null, feeCoin: null } : f));

/** 700 ledger entries; every fifth bill repeated as a tax record (same billId and time: a different key). */
const bills: CanonicalLedgerEntry[] = Array.from({ length: 600 }, (_, i) =>
  aLedgerEntry({
    billId: String(7_000_000_000n + BigInt(i)),
    account: i % 2 ? 'usdt-futures' : 'spot',
    coin: i % 3 ? 'USDT' : 'BTC',
    amount: i % 4 ? '-0.0425' : '12.5',
    balance: i % 2 ? '1000.0001' : null,
    type: i % 3 ? 'funding' : 'fee',
    businessType: i % 3 ? 'contract_settle_fee' : 'trade_fee',
    symbol: i % 6 === 5 ? null : 'BTCUSDT',
    orderId: i % 3 ? null : String(5000 + i),
    cTime: T0 + Math.floor(i / 2) * 0.3 * DAY,
  }),
);
const ledger: CanonicalLedgerEntry[] = [
  ...bills,
  ...bills
    .filter((_, i) => i % 6 === 0)
    .map((b) => ({ ...b, source: 'tax' as const, businessType: 'Trade fee' })),
];

const fillOrder = (a: CanonicalFill, b: CanonicalFill) =>
  a.cTime - b.cTime || Number(BigInt(a.tradeId) - BigInt(b.tradeId)) || (a.market < b.market ? -1 : 1);
const ledgerOrder = (a: CanonicalLedgerEntry, b: CanonicalLedgerEntry) =>
  a.cTime - b.cTime ||
  Number(BigInt(a.billId) - BigInt(b.billId)) ||
  (a.source === b.source ? (a.account < b.account ? -1 : 1) : a.source < b.source ? -1 : 1);

/** Every page of a listing, following `next`. */
async function allPages<R>(list: (after?: string) => Promise<ArchiveRecordPage<R>>): Promise<R[]> {
  const out: R[] = [];
  let after: string | undefined;
  do {
    const page = await list(after);
    out.push(...page.records);
    after = page.next ?? undefined;
  } while (after);
  return out;
}

describe.each(DATABASE_KINDS)('archived fills and ledger entries on %s', (_kind, open) => {
  let t: TestDatabase;
  let dir: string;
  let bucket: Awaited<ReturnType<typeof openLocalBucket>>;
  let manifest: Manifest;
  let archive: ArchiveStore;
  beforeAll(async () => {
    t = await open();
    dir = mkdtempSync(join(tmpdir(), 'db-archive-records-'));
    bucket = await openLocalBucket(dir);
    archive = new ArchiveStore(bucket.store, UID);
    const served = { from: T0 - DAY, to: T0 + 120 * DAY };
    await mergeDataset(archive, FILLS, {
      records: fills,
      streams: [{ stream: endpointStream('spotFills'), served }],
      at: served.to,
    });
    await mergeDataset(archive, LEDGER, {
      records: ledger,
      streams: [{ stream: endpointStream('spotBills'), served }],
      at: served.to,
    });
    manifest = (await openArchive(bucket.store, UID)).manifest;
  });
  afterAll(async () => {
    await bucket.close();
    rmSync(dir, { recursive: true, force: true });
    await t.dispose();
  });

  it('imports every partition of fills and ledger from the manifest; stopped between partitions, the next import completes it', async () => {
    const fillParts = manifest.datasets.fills!.partitions;
    const ledgerParts = manifest.datasets.ledger!.partitions;
    expect(fillParts.length).toBeGreaterThanOrEqual(3);
    let writes = 0;
    await expect(
      importArchive(t.database, archive, manifest, () => {
        writes += 1;
        if (writes === 3) throw new Error('killed before the third partition');
      }),
    ).rejects.toThrow(/killed before the third partition/);
    // The two partitions written before the stop are there in full, nothing of the third.
    expect(await countArchiveRecords(t.database, 'archive_fills', UID)).toBe(
      fillParts[0]!.records + fillParts[1]!.records,
    );
    expect(await countArchiveRecords(t.database, 'archive_ledger', UID)).toBe(0);

    const resumed = await importArchive(t.database, archive, manifest);
    expect(resumed.datasets).toEqual({
      orders: { inserted: 0, updated: 0, partitions: 0 },
      fills: {
        inserted: fillParts.slice(2).reduce((n, p) => n + p.records, 0),
        updated: 0,
        partitions: fillParts.length - 2,
      },
      ledger: { inserted: ledger.length, updated: 0, partitions: ledgerParts.length },
    });
    expect(resumed).toMatchObject({ inserted: 0, updated: 0, partitions: 0 });
    expect(await countArchiveRecords(t.database, 'archive_fills', UID)).toBe(fills.length);
    expect(await countArchiveRecords(t.database, 'archive_ledger', UID)).toBe(ledger.length);

    const again = await importArchive(t.database, archive, manifest);
    expect(again.datasets.fills).toEqual({ inserted: 0, updated: 0, partitions: 0 });
    expect(again.datasets.ledger).toEqual({ inserted: 0, updated: 0, partitions: 0 });
  });

  it('answers the fills in (cTime, tradeId, market) order through keyset pages, field for field, under filters', async () => {
    const everything = await allPages((after) =>
      listArchiveFills(t.database, { uid: UID, limit: 97, ...(after ? { after } : {}) }),
    );
    expect(everything).toEqual([...fills].sort(fillOrder));

    const since = T0 + 10 * DAY;
    const until = T0 + 70 * DAY;
    const filtered = await allPages((after) =>
      listArchiveFills(t.database, {
        uid: UID,
        market: 'usdt-futures',
        symbol: 'btcusdt',
        since,
        until,
        limit: 13,
        ...(after ? { after } : {}),
      }),
    );
    const expected = fills
      .filter(
        (f) => f.market === 'usdt-futures' && f.symbol === 'BTCUSDT' && f.cTime >= since && f.cTime < until,
      )
      .sort(fillOrder);
    expect(expected.length).toBeGreaterThan(50);
    expect(filtered).toEqual(expected);

    const ofOrder = await listArchiveFills(t.database, { uid: UID, orderId: '5010', limit: 10 });
    expect(ofOrder.records.map((f) => f.tradeId)).toEqual(
      fills
        .filter((f) => f.orderId === '5010')
        .sort(fillOrder)
        .map((f) => f.tradeId),
    );
    expect(await listArchiveFills(t.database, { uid: '1', limit: 10 })).toEqual({ records: [], next: null });
  });

  it('answers the ledger in (cTime, billId, source, account) order, bills and tax records side by side, under filters', async () => {
    const everything = await allPages((after) =>
      listArchiveLedger(t.database, { uid: UID, limit: 61, ...(after ? { after } : {}) }),
    );
    expect(everything).toEqual([...ledger].sort(ledgerOrder));

    const funding = await allPages((after) =>
      listArchiveLedger(t.database, {
        uid: UID,
        account: 'usdt-futures',
        type: 'funding',
        coin: 'usdt',
        source: 'bills',
        since: T0 + 5 * DAY,
        limit: 17,
        ...(after ? { after } : {}),
      }),
    );
    const expected = ledger
      .filter(
        (e) =>
          e.account === 'usdt-futures' &&
          e.type === 'funding' &&
          e.coin === 'USDT' &&
          e.source === 'bills' &&
          e.cTime >= T0 + 5 * DAY,
      )
      .sort(ledgerOrder);
    expect(expected.length).toBeGreaterThan(20);
    expect(funding).toEqual(expected);
    const tax = await allPages((after) =>
      listArchiveLedger(t.database, { uid: UID, source: 'tax', limit: 500, ...(after ? { after } : {}) }),
    );
    expect(tax).toHaveLength(ledger.length - bills.length);
  });

  it('refuses a cursor it did not hand out, a bad limit, and a record too long for its column, naming the field', async () => {
    await expect(listArchiveFills(t.database, { uid: UID, after: 'bogus', limit: 5 })).rejects.toBeInstanceOf(
      InvalidArchiveQueryError,
    );
    await expect(listArchiveLedger(t.database, { uid: UID, limit: 501 })).rejects.toThrow(/limit must be/);
    const long = aFill({ tradeId: '77', symbol: 'X'.repeat(41) });
    await expect(insertArchiveFills(t.database, UID, [long])).rejects.toThrow(
      new InvalidArchiveRecordError(
        'fill spot/77 of account 4412300918',
        'symbol',
        'must be at most 40 characters',
      ),
    );
    const badAmount = aLedgerEntry({ billId: '78', amount: '1e' });
    await expect(insertArchiveLedger(t.database, UID, [badAmount])).rejects.toThrow(/amount/);
    expect(await countArchiveRecords(t.database, 'archive_fills', UID)).toBe(fills.length);
  });
});
