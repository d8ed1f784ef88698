import { parseFractionArg, parseIntArg, parseListArg, parseTimeArg } from './args';

describe('command-line arguments', () => {
  it('reads times as epoch milliseconds or ISO dates, and refuses anything else with the rule', () => {
    expect(parseTimeArg('1763683200000')).toBe(1763683200000);
    expect(parseTimeArg('2026-09-01')).toBe(Date.UTC(2026, 8, 1));
    expect(parseTimeArg('2026-09-01T12:00:00Z')).toBe(Date.UTC(2026, 8, 1, 12));
    expect(() => parseTimeArg('1763683200')).toThrow(/epoch seconds: give milliseconds/);
    expect(() => parseTimeArg('yesterday')).toThrow(/ISO date/);
  });
  it('refuses a date that does not exist instead of rolling it into the next month', () => {
    expect(() => parseTimeArg('2026-02-30')).toThrow('2026-02-30: 2026-02 has days 01 to 28, not 30');
    expect(() => parseTimeArg('2026-13-01')).toThrow('month 13 does not exist');
    expect(() => parseTimeArg('2026-04-31T10:00:00Z')).toThrow('has days 01 to 30');
    expect(() => parseTimeArg('2026-09-01T24:00:00Z')).toThrow('00:00:00 to 23:59:59');
    expect(parseTimeArg('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
  });
  it('accepts ISO 8601 date-times with a zone and refuses one without', () => {
    expect(parseTimeArg('2026-09-01T14:00+02:00')).toBe(Date.UTC(2026, 8, 1, 12));
    expect(parseTimeArg('2026-09-01T14:00:00.250+0200')).toBe(Date.UTC(2026, 8, 1, 12, 0, 0, 250));
    expect(parseTimeArg('2026-09-01 12:00:00Z')).toBe(Date.UTC(2026, 8, 1, 12));
    expect(() => parseTimeArg('2026-09-01T12:00:00')).toThrow('has no time zone: add Z (UTC) or an offset');
    expect(() => parseTimeArg('1763683200')).toThrow(
      'looks like epoch seconds: give milliseconds (1763683200000)',
    );
  });
  it('names the valid range of a bounded integer', () => {
    expect(() => parseIntArg(0, 65535)('99999')).toThrow('expected an integer from 0 to 65535');
    expect(parseIntArg(0, 65535)('8080')).toBe(8080);
  });
  it('reads lists, integers and fractions', () => {
    expect(parseListArg('spot, usdt-futures,')).toEqual(['spot', 'usdt-futures']);
    expect(() => parseListArg(',')).toThrow(/comma-separated/);
    expect(parseIntArg(1)('5')).toBe(5);
    expect(() => parseIntArg(1)('0')).toThrow(/>= 1/);
    expect(parseFractionArg('0.95')).toBe(0.95);
    expect(() => parseFractionArg('1.5')).toThrow(/\(0, 1\]/);
    expect(() => parseFractionArg('0')).toThrow(/\(0, 1\]/);
  });
});
