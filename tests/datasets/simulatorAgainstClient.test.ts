/**
 * The simulator's fills, ledger and tax records, fetched and normalised by the client, equal the simulator's
 * ground truth record for record: the wire shapes both sides were written from (the recorded sample, the
 * reference and the SDK's types) agree, and so do the canonical mappings.
 */
import { fetchDatasetWindow } from '../../src/bitget/datasetWindow';
import type { DatasetSource } from '../../src/bitget/datasetSources';
import { BitgetClient } from '../../src/bitget/BitgetClient';
import {
  DAY_MS,
  ENDPOINTS,
  retentionDaysOf,
  UTA_CATEGORIES,
  UTA_TAX_BIZ_TYPES,
  type EndpointId,
} from '../../src/bitget/endpoints';
import type { CanonicalFill } from '../../src/core/fill';
import { compareFills } from '../../src/core/fill';
import type { CanonicalLedgerEntry } from '../../src/core/ledgerEntry';
import { compareLedgerEntries } from '../../src/core/ledgerEntry';
import { startSimulator, type Simulator } from '../../src/sim';
import { manualClock } from '../../src/sim/testkit';
import {
  describeRecordMismatches,
  FILL_CHECK,
  LEDGER_CHECK,
  verifyRecords,
} from '../../src/verify/verifyRecords';

const T0 = 1_750_000_000_000;
const PRODUCT_TYPES = ['USDT-FUTURES', 'USDC-FUTURES', 'COIN-FUTURES'] as const;
const unlimited = Object.fromEntries(Object.keys(ENDPOINTS).map((id) => [id, 1e6])) as Record<
  EndpointId,
  number
>;

const CLASSIC_SOURCES: DatasetSource[] = [
  { endpoint: 'spotFills' },
  ...PRODUCT_TYPES.map((productType) => ({ endpoint: 'futuresFills' as const, productType })),
  { endpoint: 'spotBills' },
  ...PRODUCT_TYPES.map((productType) => ({ endpoint: 'futuresBills' as const, productType })),
  { endpoint: 'taxSpotRecords' },
  ...PRODUCT_TYPES.map((productType) => ({ endpoint: 'taxFutureRecords' as const, productType })),
  { endpoint: 'taxMarginRecords', marginType: 'crossed' },
  { endpoint: 'taxMarginRecords', marginType: 'isolated' },
  { endpoint: 'taxP2pRecords' },
];
const UTA_SOURCES: DatasetSource[] = [
  ...UTA_CATEGORIES.map((category) => ({ endpoint: 'utaFills' as const, category })),
  ...UTA_TAX_BIZ_TYPES.map((category) => ({ endpoint: 'utaFinancialRecords' as const, category })),
  ...UTA_TAX_BIZ_TYPES.map((bizType) => ({ endpoint: 'utaTaxRecords' as const, bizType })),
];

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* stream<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** The oldest time an endpoint serves at T0, a day inside its retention. */
const oldestServed = (id: EndpointId) => T0 - (retentionDaysOf(id) - 1) * DAY_MS;

describe.each([
  ['classic', CLASSIC_SOURCES],
  ['uta', UTA_SOURCES],
] as const)('a %s account: the client reads the simulator’s data sets as the truth says', (mode, sources) => {
  const clock = manualClock(T0);
  let sim: Simulator;
  let fills: CanonicalFill[];
  let ledger: CanonicalLedgerEntry[];

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 11,
      orders: 1500,
      days: 800,
      mode,
      now: clock.now,
      rateLimits: { perSecond: unlimited },
    });
    const client = new BitgetClient({
      baseUrl: sim.url,
      credentials: sim.credentials,
      rateLimits: { ratePerSecond: unlimited },
      now: clock.now,
    });
    fills = [];
    ledger = [];
    for (const source of sources) {
      const { records } = await fetchDatasetWindow(client, source, {
        startTime: oldestServed(source.endpoint),
        endTime: T0 + 1,
      });
      for (const r of records) ('tradeId' in r ? fills : ledger).push(r as never);
    }
    fills.sort(compareFills);
    ledger.sort(compareLedgerEntries);
  }, 120_000);
  afterAll(() => sim.close());

  it('fills: every fill the endpoints serve, each field as the truth says', async () => {
    const truth = (await collect(sim.fillTruth())).filter((f) => f.cTime >= T0 - 89 * DAY_MS);
    expect(truth.length).toBeGreaterThan(100);
    const v = await verifyRecords(FILL_CHECK, stream(fills), stream(truth));
    expect(describeRecordMismatches(v)).toEqual([expect.stringContaining('0 mismatches')]);
    expect(v).toMatchObject({ ok: true, missing: 0, unexpected: 0, duplicates: 0, alteredRaw: 0 });
  });

  it('ledger: every bill and tax record served, each field as the truth says', async () => {
    const billsFrom = T0 - 89 * DAY_MS;
    const taxFrom = oldestServed(mode === 'uta' ? 'utaTaxRecords' : 'taxSpotRecords');
    const truth = (await collect(sim.ledgerTruth())).filter((e) =>
      e.source === 'bills' ? e.cTime >= billsFrom : e.cTime >= taxFrom,
    );
    expect(truth.some((e) => e.source === 'tax' && e.cTime < billsFrom)).toBe(true);
    const v = await verifyRecords(LEDGER_CHECK, stream(ledger), stream(truth));
    expect(describeRecordMismatches(v)).toEqual([expect.stringContaining('0 mismatches')]);
    expect(v).toMatchObject({ ok: true, missing: 0, unexpected: 0, duplicates: 0, alteredRaw: 0 });
  });
});
