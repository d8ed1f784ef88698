import { aFill, aLedgerEntry } from '../../tests/helpers/canonicalRecords';
import { parseFillLine, parseLedgerLine, RecordLineError } from './recordLines';

describe('record lines', () => {
  it('reads back a canonical fill and ledger entry as written', () => {
    const fill = aFill({ profit: '-1.5', raw: { tradeId: '2001' } });
    expect(parseFillLine(JSON.stringify(fill))).toEqual(fill);
    const entry = aLedgerEntry({ balance: '3.2' });
    expect(parseLedgerLine(JSON.stringify(entry))).toEqual(entry);
  });

  it('refuses a float amount or a missing field, naming the field', () => {
    const floatSize = JSON.stringify({ ...aFill(), size: 0.01 });
    expect(() => parseFillLine(floatSize)).toThrow(RecordLineError);
    expect(() => parseFillLine(floatSize)).toThrow(/bad size/);
    const { coin: _coin, ...noCoin } = aLedgerEntry();
    expect(() => parseLedgerLine(JSON.stringify(noCoin))).toThrow(/bad coin/);
    expect(() => parseLedgerLine('{not json')).toThrow(/not JSON/);
  });
});
