/**
 * GET /archive/fills and GET /archive/ledger on SQLite and MySQL: the archive's fills and ledger entries as the
 * database holds them after an import, in the archive's order through keyset pages, under the filters, times
 * taken as ISO 8601 or epoch ms and answered as both; bad filters answered 400 naming the field.
 */
import type { FastifyInstance } from 'fastify';
import { ArchiveStore, FILLS, LEDGER, endpointStream, mergeDataset, openArchive } from '../../src/archive';
import type { CanonicalFill } from '../../src/core/fill';
import type { CanonicalLedgerEntry } from '../../src/core/ledgerEntry';
import { importArchive } from '../../src/db/archiveOrders';
import { RunStore } from '../../src/storage/RunStore';
import { aFill, aLedgerEntry } from '../helpers/canonicalRecords';
import { DATABASE_KINDS, type TestDatabase } from '../db/support/databases';
import { startTestS3, type TestS3 } from '../db/support/s3';
import { buildHarness } from './support/harness';

jest.setTimeout(180_000);

const UID = '4412300919';
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 8, 1);

const fills: CanonicalFill[] = Array.from({ length: 240 }, (_, i) =>
  aFill({
    tradeId: String(3_000_000 + i),
    orderId: String(9000 + Math.floor(i / 3)),
    market: i % 2 ? 'usdt-futures' : 'spot',
    symbol: i % 3 ? 'BTCUSDT' : 'ETHUSDT',
    profit: i % 2 ? '1.5' : null,
    cTime: T0 + i * 0.25 * DAY,
  }),
);
const ledger: CanonicalLedgerEntry[] = Array.from({ length: 150 }, (_, i) =>
  aLedgerEntry({
    billId: String(8_000_000 + i),
    account: i % 2 ? 'usdt-futures' : 'spot',
    type: i % 3 ? 'funding' : 'fee',
    coin: i % 2 ? 'USDT' : 'BTC',
    source: i % 5 === 0 ? 'tax' : 'bills',
    cTime: T0 + i * 0.4 * DAY,
  }),
);

interface Page<K extends string, R> {
  body: Record<K, (R & { cTimeIso: string })[]> & {
    next: string | null;
    since: { ms: number | null; iso: string | null };
    until: { ms: number | null; iso: string | null };
  };
}

describe.each(DATABASE_KINDS)('the archive record endpoints on %s', (_kind, open) => {
  let t: TestDatabase;
  let s3: TestS3;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await open();
    s3 = await startTestS3();
    app = buildHarness(t, s3).app;
    const archive = new ArchiveStore(new RunStore(s3.s3, s3.bucket), UID);
    const served = { from: T0 - DAY, to: T0 + 100 * DAY };
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
    await importArchive(t.database, archive, (await archive.readManifest())!);
  });
  afterAll(async () => {
    await app.close();
    await s3.close();
    await t.dispose();
  });

  async function pages<K extends string, R>(
    url: string,
    key: K,
    query: Record<string, string>,
  ): Promise<{ records: (R & { cTimeIso: string })[]; first: Page<K, R>['body'] }> {
    const records: (R & { cTimeIso: string })[] = [];
    let after: string | null = null;
    let first: Page<K, R>['body'] | undefined;
    do {
      const res: { statusCode: number; json(): unknown } = await app.inject({
        url,
        query: { ...query, ...(after ? { after } : {}) },
      });
      expect(res.statusCode).toBe(200);
      const body = res.json() as Page<K, R>['body'];
      first ??= body;
      records.push(...body[key]);
      after = body.next;
    } while (after);
    return { records, first: first! };
  }

  it('GET /archive/fills pages through the fills under market, symbol and a span given in ISO 8601 and epoch ms', async () => {
    const since = T0 + 10 * DAY;
    const until = T0 + 40 * DAY;
    const { records, first } = await pages<'fills', CanonicalFill>('/archive/fills', 'fills', {
      market: 'usdt-futures',
      symbol: 'btcusdt',
      since: new Date(since).toISOString(),
      until: String(until),
      limit: '7',
    });
    const expected = fills.filter(
      (f) => f.market === 'usdt-futures' && f.symbol === 'BTCUSDT' && f.cTime >= since && f.cTime < until,
    );
    expect(expected.length).toBeGreaterThan(20);
    expect(records).toEqual(expected.map((f) => ({ ...f, cTimeIso: new Date(f.cTime).toISOString() })));
    expect(first.since).toEqual({ ms: since, iso: new Date(since).toISOString() });
    expect(first.until).toEqual({ ms: until, iso: new Date(until).toISOString() });

    const all = await pages<'fills', CanonicalFill>('/archive/fills', 'fills', { limit: '500' });
    expect(all.records.map((f) => f.tradeId)).toEqual(fills.map((f) => f.tradeId));
    expect(all.first.since).toEqual({ ms: null, iso: null });
    const ofOrder = await pages<'fills', CanonicalFill>('/archive/fills', 'fills', { orderId: '9004' });
    expect(ofOrder.records.map((f) => f.tradeId)).toEqual(['3000012', '3000013', '3000014']);
  });

  it('GET /archive/ledger filters by account, type, coin, source and a day given as a date', async () => {
    const { records } = await pages<'entries', CanonicalLedgerEntry>('/archive/ledger', 'entries', {
      account: 'usdt-futures',
      type: 'funding',
      coin: 'usdt',
      source: 'bills',
      since: new Date(T0 + 5 * DAY).toISOString().slice(0, 10),
      limit: '4',
    });
    const expected = ledger.filter(
      (e) =>
        e.account === 'usdt-futures' &&
        e.type === 'funding' &&
        e.coin === 'USDT' &&
        e.source === 'bills' &&
        e.cTime >= T0 + 5 * DAY,
    );
    expect(expected.length).toBeGreaterThan(10);
    expect(records).toEqual(expected.map((e) => ({ ...e, cTimeIso: new Date(e.cTime).toISOString() })));
    const tax = await pages<'entries', CanonicalLedgerEntry>('/archive/ledger', 'entries', { source: 'tax' });
    expect(tax.records.map((e) => e.billId)).toEqual(
      ledger.filter((e) => e.source === 'tax').map((e) => e.billId),
    );
  });

  it('GET /archive/status counts the rows of each data set the database holds', async () => {
    const res = await app.inject('/archive/status');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      uid: UID,
      datasets: { fills: { records: fills.length }, ledger: { records: ledger.length } },
      database: { rows: 0, fills: fills.length, ledger: ledger.length },
    });
    const manifest = (await openArchive(new RunStore(s3.s3, s3.bucket), UID)).manifest;
    expect(Object.keys(manifest.datasets).sort()).toEqual(['fills', 'ledger']);
  });

  it.each([
    ['/archive/fills', { since: 'yesterday' }, 'querystring/since'],
    ['/archive/fills', { until: '2026-09-01T00:00:00' }, 'querystring/until'],
    ['/archive/fills', { since: '2026-09-02', until: '2026-09-01' }, 'querystring/since'],
    ['/archive/fills', { after: 'bogus' }, 'querystring/after'],
    ['/archive/fills', { market: 'moon' }, 'market'],
    ['/archive/ledger', { type: 'gift' }, 'type'],
    ['/archive/ledger', { limit: '501' }, 'limit'],
  ] as const)('%s?%j answers 400 naming %s', async (url, query, field) => {
    const res = await app.inject({ url, query });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(field);
  });

  it('answers an account the database does not hold with an empty page', async () => {
    const res = await app.inject({ url: '/archive/ledger', query: { uid: '1', source: 'bills' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      entries: [],
      since: { ms: null, iso: null },
      until: { ms: null, iso: null },
      next: null,
    });
  });
});
