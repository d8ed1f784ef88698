import { aFill, aLedgerEntry, T0 } from '../../tests/helpers/canonicalRecords';
import { fillStream, ledgerStream } from '../archive/coverage';
import type { DatasetState, Manifest } from '../archive/manifest';
import { emptyDatasetState, emptyManifest } from '../archive/manifest';
import { archivedSpans } from './archiveCoverage';

const DAY = 86_400_000;
const span = { from: T0 - 10 * DAY, to: T0 + 10 * DAY };

function manifestOf(datasets: Record<string, Partial<DatasetState>>): Manifest {
  return {
    ...emptyManifest('1'),
    datasets: Object.fromEntries(
      Object.entries(datasets).map(([name, s]) => [name, { ...emptyDatasetState(), ...s }]),
    ),
  };
}

describe('the stream a record is filed under', () => {
  it('names fills and ledger entries by endpoint and the selector the record says', () => {
    expect(fillStream(aFill())).toBe('spotFills');
    expect(fillStream(aFill({ market: 'coin-futures' }))).toBe('futuresFills/COIN-FUTURES');
    expect(fillStream(aFill({ market: 'usdt-futures', raw: { category: 'USDT-FUTURES' } }))).toBe(
      'utaFills/USDT-FUTURES',
    );
    const bills = (account: string, raw = {}) =>
      ledgerStream(aLedgerEntry({ account: account as never, raw }));
    const tax = (account: string) => ledgerStream(aLedgerEntry({ account: account as never, source: 'tax' }));
    expect([bills('spot'), bills('usdc-futures'), bills('uta', { category: 'MARGIN' })]).toEqual([
      'spotBills',
      'futuresBills/USDC-FUTURES',
      'utaFinancialRecords/MARGIN',
    ]);
    expect(['spot', 'usdt-futures', 'margin', 'p2p', 'uta'].map(tax)).toEqual([
      'taxSpotRecords',
      'taxFutureRecords',
      'taxMarginRecords',
      'taxP2pRecords',
      'utaTaxRecords',
    ]);
  });
});

describe('archivedSpans', () => {
  it('holds a record inside its endpoint’s covered span, per product type, outside the gaps', () => {
    const archived = archivedSpans(
      manifestOf({
        fills: { streams: { 'futuresFills/USDT-FUTURES': span, 'utaFills/SPOT': span } },
        ledger: {
          streams: { spotBills: span, 'utaFinancialRecords/OTHER': span },
          gaps: [{ stream: 'spotBills', from: T0, to: T0 + DAY, detectedAt: T0 + 20 * DAY }],
        },
      }),
    );
    expect(archived.fill(aFill({ market: 'usdt-futures' }))).toBe(true);
    expect(archived.fill(aFill({ market: 'usdc-futures' }))).toBe(false);
    expect(archived.fill(aFill({ market: 'usdt-futures', cTime: span.to }))).toBe(false);
    // a unified account's spot fill: looked for in every category's stream
    expect(archived.fill(aFill({ raw: { category: 'MARGIN' } }))).toBe(true);
    expect(archived.ledger(aLedgerEntry({ cTime: T0 - DAY }))).toBe(true);
    expect(archived.ledger(aLedgerEntry({ cTime: T0 + 1000 }))).toBe(false);
    expect(archived.ledger(aLedgerEntry({ account: 'uta', raw: { category: 'SPOT' } }))).toBe(true);
  });

  it('holds a tax record only where its account’s bills do not cover its time', () => {
    const archived = archivedSpans(
      manifestOf({
        ledger: {
          streams: {
            spotBills: { from: T0, to: span.to },
            taxSpotRecords: span,
            'taxMarginRecords/crossed': span,
          },
        },
      }),
    );
    expect(archived.ledger(aLedgerEntry({ source: 'tax', cTime: T0 - DAY }))).toBe(true);
    expect(archived.ledger(aLedgerEntry({ source: 'tax', cTime: T0 + DAY }))).toBe(false);
    expect(archived.ledger(aLedgerEntry({ source: 'tax', account: 'margin', cTime: T0 + DAY }))).toBe(true);
    expect(archived.ledger(aLedgerEntry({ source: 'tax', account: 'p2p', cTime: T0 + DAY }))).toBe(false);
  });
});
