/**
 * Fills and the ledger through `sync`: a first sync of a new archive reaches as far back as the tax records go
 * and says how far that was; a sync after more than 90 days records the bills' and fills' gaps with exact
 * bounds, and the tax records fill the ledger's; every archived record equals the simulator's truth, once,
 * for exactly the spans the archive says it covers.
 */
import type { SyncReport } from '../../src/archive';
import { archiveStatus, FILLS, LEDGER, openArchive, readRecords } from '../../src/archive';
import { fillKey, type CanonicalFill } from '../../src/core/fill';
import { ledgerKey, type CanonicalLedgerEntry } from '../../src/core/ledgerEntry';
import { archivedSpans } from '../../src/verify/archiveCoverage';
import { DAY, archiveEnv, type ArchiveEnv } from './support';

jest.setTimeout(300_000);

async function collect<R>(it: AsyncIterable<R>): Promise<R[]> {
  const out: R[] = [];
  for await (const r of it) out.push(r);
  return out;
}

describe('fills and the ledger synced into the archive', () => {
  let env: ArchiveEnv;
  let first: SyncReport;
  let later: SyncReport;
  let firstAt: number;
  beforeAll(async () => {
    env = await archiveEnv({ seed: 41, orders: 900, symbols: 3, days: 800, clockDaysAgo: 150 });
    firstAt = env.sim.clock.now();
    first = await env.sync();
    env.sim.clock.advance(120 * DAY);
    later = await env.sync();
  });
  afterAll(() => env.close());

  it('reaches as far back as the tax records go on the first sync, and says how far that was', () => {
    expect(first.datasets.ledger!.taxSince).toBeGreaterThanOrEqual(firstAt - 730 * DAY);
    expect(first.datasets.ledger!.taxSince).toBeLessThan(firstAt - 729 * DAY);
    expect(first.datasets.fills!.added).toBeGreaterThan(0);
    expect(first.datasets.ledger!.added).toBeGreaterThan(0);
    expect([first.datasets.fills!.gaps, first.datasets.ledger!.gaps]).toEqual([[], []]);
  });

  it('records the gaps of a sync 120 days later with exact bounds, the ledger’s covered by the tax records', () => {
    const billsFrom = env.sim.clock.now() - 90 * DAY;
    const ledgerGaps = later.datasets.ledger!.gaps;
    const fillGaps = later.datasets.fills!.gaps;
    expect(fillGaps.map((g) => g.stream).sort()).toEqual(
      [
        'futuresFills/COIN-FUTURES',
        'futuresFills/USDC-FUTURES',
        'futuresFills/USDT-FUTURES',
        'spotFills',
      ].sort(),
    );
    expect(ledgerGaps.map((g) => [g.stream, g.coveredBy]).sort()).toEqual(
      [
        ['futuresBills/COIN-FUTURES', 'taxFutureRecords/COIN-FUTURES'],
        ['futuresBills/USDC-FUTURES', 'taxFutureRecords/USDC-FUTURES'],
        ['futuresBills/USDT-FUTURES', 'taxFutureRecords/USDT-FUTURES'],
        ['spotBills', 'taxSpotRecords'],
      ].sort(),
    );
    for (const g of [...fillGaps, ...ledgerGaps]) {
      // from where the first sync's coverage ended to where Bitget's 90 days began (a planner margin inside)
      expect(g.from).toBe(first.served.to);
      expect(g.to).toBeGreaterThan(billsFrom);
      expect(g.to).toBeLessThan(billsFrom + 3_600_000);
      expect(g.coveredBy === null).toBe(g.stream.includes('Fills'));
    }
  });

  it('holds every fill and ledger entry of the truth the archive says it covers, once, and nothing else', async () => {
    const { archive, manifest } = await openArchive(env.stack.store);
    const fills = await collect(readRecords(archive, manifest, FILLS));
    const ledger = await collect(readRecords(archive, manifest, LEDGER));
    const fillTruth = (await collect(env.sim.fillTruth())) as CanonicalFill[];
    const ledgerTruth = (await collect(env.sim.ledgerTruth())) as CanonicalLedgerEntry[];
    // what the archive says it covers: its streams' spans minus their gaps, tax records where the bills are not
    const spans = archivedSpans(manifest);
    const expectedFills = fillTruth.filter(spans.fill);
    const expectedLedger = ledgerTruth.filter(spans.ledger);
    // the bills' gap of the later sync is filled by tax records
    expect(
      expectedLedger.some((e) => e.source === 'tax' && e.account === 'spot' && e.cTime >= first.served.to),
    ).toBe(true);
    expect(expectedFills.length).toBeGreaterThan(100);
    expect(expectedLedger.some((e) => e.source === 'tax')).toBe(true);
    // every key once
    expect(new Set(fills.map(fillKey)).size).toBe(fills.length);
    expect(new Set(ledger.map(ledgerKey)).size).toBe(ledger.length);
    const byKey = <R>(rs: R[], key: (r: R) => string) =>
      Object.fromEntries(rs.map((r) => [key(r), r]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
    expect(byKey(fills, fillKey)).toEqual(byKey(expectedFills, fillKey));
    expect(byKey(ledger, ledgerKey)).toEqual(byKey(expectedLedger, ledgerKey));
    // the tax records hold the entries of the bills' gap
    const gap = later.datasets.ledger!.gaps.find((g) => g.stream === 'spotBills')!;
    expect(
      ledger.some(
        (e) => e.source === 'tax' && e.account === 'spot' && e.cTime >= gap.from && e.cTime < gap.to,
      ),
    ).toBe(
      ledgerTruth.some(
        (e) => e.source === 'tax' && e.account === 'spot' && e.cTime >= gap.from && e.cTime < gap.to,
      ),
    );
  });

  it('lists the gaps in archive status with the tax stream that covers each', async () => {
    const { manifest } = await openArchive(env.stack.store);
    const status = archiveStatus(manifest);
    expect(status.datasets['ledger']!.tax!.from).toBe(first.datasets.ledger!.taxSince);
    const spotGap = status.datasets['ledger']!.gaps.find((g) => g.stream === 'spotBills')!;
    expect(spotGap.coveredBy).toBe('taxSpotRecords');
    expect(status.datasets['fills']!.gaps.every((g) => g.coveredBy === null)).toBe(true);
  });

  it('adds nothing in a sync right after, and asks no spot or futures tax record again', async () => {
    const before = { ...env.sim.stats().served } as Record<string, number>;
    const again = await env.sync();
    const after = env.sim.stats().served as Record<string, number>;
    expect(again.nothingNew).toBe(true);
    expect([after['taxSpotRecords'] ?? 0, after['taxFutureRecords'] ?? 0]).toEqual([
      before['taxSpotRecords'] ?? 0,
      before['taxFutureRecords'] ?? 0,
    ]);
  });
});
