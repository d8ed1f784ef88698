/**
 * The archive's report over archives whose manifest holds fills and ledger partitions, written through
 * `mergeDataset` (what a sync hands over per data set): fees per coin, volume per symbol and realised profit and
 * loss per futures symbol summed from the archived fills across their month partitions, funding from the
 * archived ledger; the orders' figures as before when the archive holds no fills; `report --archive`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ArchiveStore, FILLS, LEDGER, ORDERS, endpointStream, mergeDataset } from '../../src/archive';
import type { CoveredStream } from '../../src/archive';
import { main } from '../../src/cli/main';
import { openLocalBucket } from '../../src/cli/localBucket';
import { renderArchiveReport } from '../../src/report/archiveReport';
import { aFill, aLedgerEntry, anOrder } from '../helpers/canonicalRecords';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const OCT = Date.UTC(2026, 9, 20);
const NOV = Date.UTC(2026, 10, 3);
const served = { from: OCT - 10 * DAY, to: NOV + DAY };
const stream = (name: string): CoveredStream => ({ stream: name, served });

const orders = [
  anOrder({ orderId: '1', cTime: OCT, uTime: OCT + 1 }),
  anOrder({ orderId: '2', market: 'usdt-futures', symbol: 'ETHUSDT', cTime: NOV, uTime: NOV + 1 }),
];
const orderStreams = [stream('spot/normal'), stream('usdt-futures/normal')];

// Across two months (two partitions), two settle coins, a fee in a second coin.
const fills = [
  aFill({ tradeId: '11', orderId: '1', quoteVolume: '200', cTime: OCT }),
  aFill({ tradeId: '12', orderId: '1', quoteVolume: '300', cTime: OCT + 1 }),
  aFill({
    tradeId: '21',
    orderId: '2',
    market: 'usdt-futures',
    symbol: 'ETHUSDT',
    side: 'sell',
    size: '0.5',
    quoteVolume: '1500',
    profit: '12.5',
    fees: [{ fee: '0.9', feeCoin: 'USDT' }],
    cTime: NOV,
  }),
  aFill({
    tradeId: '22',
    orderId: '2',
    market: 'usdt-futures',
    symbol: 'ETHUSDT',
    side: 'sell',
    size: '0.5',
    quoteVolume: '1400',
    profit: '-2.25',
    fees: [{ fee: '0.84', feeCoin: 'USDT' }],
    cTime: NOV + 1,
  }),
  aFill({
    tradeId: '31',
    orderId: '3',
    market: 'coin-futures',
    symbol: 'BTCUSD',
    size: '100',
    quoteVolume: '100',
    profit: '0.0004',
    fees: [{ fee: '0.00001', feeCoin: 'BTC' }],
    cTime: NOV + 2,
  }),
];
const fillStreams = [
  stream(endpointStream('spotFills')),
  stream(endpointStream('futuresFills', 'USDT-FUTURES')),
  stream(endpointStream('futuresFills', 'COIN-FUTURES')),
];

const funding = (billId: string, amount: string, source: 'bills' | 'tax' = 'bills') =>
  aLedgerEntry({
    billId,
    source,
    account: 'usdt-futures',
    type: 'funding',
    businessType: source === 'tax' ? 'Funding fee' : 'contract_settle_fee',
    coin: 'USDT',
    amount,
    symbol: 'ETHUSDT',
    orderId: null,
    cTime: NOV + 3,
  });
const ledger = [funding('501', '-0.5'), funding('502', '0.125'), funding('501', '-0.5', 'tax')];
const ledgerStreams = [
  stream(endpointStream('futuresBills', 'USDT-FUTURES')),
  stream(endpointStream('taxFutureRecords')),
];

function io() {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: '', err: '' };
  out.on('data', (c: Buffer) => (text.out += c.toString()));
  err.on('data', (c: Buffer) => (text.err += c.toString()));
  return { io: { stdout: out, stderr: err as unknown as NodeJS.WriteStream, env: {} }, text };
}

/** The section of the report under the heading that starts with `title`, up to its end. */
const sectionOf = (html: string, title: string): string => {
  const at = html.indexOf(`<h2>${title}`);
  expect(at).toBeGreaterThan(-1);
  return html.slice(at, html.indexOf('</section>', at));
};

describe("the archive's report", () => {
  let dir: string;
  let bucket: Awaited<ReturnType<typeof openLocalBucket>>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'archive-report-'));
    bucket = await openLocalBucket(dir);
  });
  afterEach(async () => {
    await bucket.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const merge = async (uid: string, what: { fills?: boolean; ledger?: boolean }) => {
    const archive = new ArchiveStore(bucket.store, uid);
    await mergeDataset(archive, ORDERS, { records: orders, streams: orderStreams, at: served.to });
    if (what.fills)
      await mergeDataset(archive, FILLS, { records: fills, streams: fillStreams, at: served.to });
    if (what.ledger)
      await mergeDataset(archive, LEDGER, { records: ledger, streams: ledgerStreams, at: served.to });
    return archive;
  };

  it('sums fees, volume and realised PnL from the archived fills, across their partitions', async () => {
    await merge('1001', { fills: true, ledger: true });
    const { html } = await renderArchiveReport(bucket.store);

    const fees = sectionOf(html, 'Fees paid, per coin (from the fills)');
    expect(fees).toContain('<td>USDT</td><td>1.74</td>'); // 0.9 + 0.84
    expect(fees).toContain('<td>BTC</td><td>0.00003</td>'); // two spot fills and the coin-futures one
    const volume = sectionOf(html, 'Volume per symbol');
    expect(volume).toContain('<td>ETHUSDT</td><td>usdt-futures</td><td>1</td><td>2900</td><td>2</td>');
    expect(volume).toContain('<td>BTCUSDT</td><td>spot</td><td>0.02</td><td>500</td><td>2</td>');

    const pnl = sectionOf(html, 'Realised profit and loss');
    expect(pnl.match(/<svg /g)?.length).toBe(2); // one chart per settle coin, never added together
    expect(pnl).toContain('<td>USDT</td><td>ETHUSDT</td><td>usdt-futures</td><td>10.25</td>');
    expect(pnl).toContain('<td>USDT</td><td>total</td><td></td><td>10.25</td>');
    expect(pnl).toContain('<td>BTC</td><td>BTCUSD</td><td>coin-futures</td><td>0.0004</td>');

    const fundingTable = sectionOf(html, 'Funding paid and received');
    expect(fundingTable).toContain('<td>bills</td><td>USDT</td><td>0.5</td><td>0.125</td><td>-0.375</td>');
    expect(fundingTable).toContain('<td>tax</td><td>USDT</td><td>0.5</td><td>0</td><td>-0.5</td>');

    expect(html).toContain(
      '5 fills archived, covered 2026-10-10T00:00:00Z to 2026-11-04T00:00:00Z, 0 gaps: fees, volume and realised PnL below are summed from them',
    );
    expect(html).toContain('3 ledger entries archived');
    // orders per day (still from the orders), fees, volume, two PnL charts
    expect(html.match(/<svg /g)?.length).toBe(5);
    expect(html).not.toMatch(/<script|<link|<img|src=|href="(?!#)|url\((?!#)/i);
  });

  it('counts a fill once when a later sync brings it again', async () => {
    const archive = await merge('1001', { fills: true });
    const before = await renderArchiveReport(bucket.store);
    const again = await mergeDataset(archive, FILLS, { records: fills, streams: fillStreams, at: served.to });
    expect(again).toMatchObject({ added: 0, duplicates: fills.length });
    const after = await renderArchiveReport(bucket.store);
    // The numbers under the charts (the charts' SVG carries ids that differ from one rendering to the next).
    const tables = (html: string) => html.match(/<table>[\s\S]*?<\/table>/g);
    expect(tables(after.html)).toStrictEqual(tables(before.html));
    expect(after.html).toContain('<td>USDT</td><td>total</td><td></td><td>10.25</td>');
  });

  it("has the orders' fees and volume, and no PnL or funding, when the archive holds orders only", async () => {
    await merge('1001', {});
    const { html } = await renderArchiveReport(bucket.store);
    expect(html).toContain('<h2>Fees paid, per coin</h2>');
    expect(html).not.toContain('from the fills');
    expect(html).not.toContain('Realised profit and loss');
    expect(html).not.toContain('Funding');
    expect(html).not.toContain('fills archived');
    expect(html.match(/<svg /g)?.length).toBe(3);
  });

  it("lists the ledger's funding beside the orders' fees when the archive holds a ledger but no fills", async () => {
    await merge('1001', { ledger: true });
    const { html } = await renderArchiveReport(bucket.store);
    expect(html).toContain('<h2>Fees paid, per coin</h2>');
    expect(html).not.toContain('Realised profit and loss');
    expect(html).toContain('no fills archived (no sync fetched them)');
    expect(sectionOf(html, 'Funding paid and received')).toContain(
      '<td>bills</td><td>USDT</td><td>0.5</td><td>0.125</td><td>-0.375</td>',
    );
  });

  it('is written by `report --archive`, names the account when several are archived, and refuses a bad call', async () => {
    await merge('1001', { fills: true, ledger: true });
    await merge('2002', {});
    await bucket.close(); // the command opens the bucket itself
    const several = io();
    expect(await main(['report', '--archive', '--data-dir', dir], several.io)).toBe(2);
    expect(several.text.err).toContain('several accounts are archived here (1001, 2002)');

    const ok = io();
    const out = join(dir, 'copy', 'archive.html');
    expect(await main(['report', '--archive', '--uid', '1001', '--data-dir', dir, '--out', out], ok.io)).toBe(
      0,
    );
    expect(ok.text.out.trim()).toBe(out);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<h1>Archive of account 1001</h1>');
    expect(html).toContain('<td>USDT</td><td>total</td><td></td><td>10.25</td>');

    const both = io();
    expect(await main(['report', '--archive', '--run-id', 'r1', '--data-dir', dir], both.io)).toBe(2);
    expect(both.text.err).toContain('name one of --run-id <id> (a run) or --archive');
    const neither = io();
    expect(await main(['report', '--data-dir', dir], neither.io)).toBe(2);
    expect(neither.text.err).toContain('name one of');
    const uidAlone = io();
    expect(await main(['report', '--run-id', 'r1', '--uid', '1001', '--data-dir', dir], uidAlone.io)).toBe(2);
    expect(uidAlone.text.err).toContain('use it with --archive');
    bucket = await openLocalBucket(dir); // for afterEach
  });
});
