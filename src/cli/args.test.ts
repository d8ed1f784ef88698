import { parseFractionArg, parseIntArg, parseListArg, parseTimeArg } from './args';

describe('command-line arguments', () => {
  it('reads times as epoch milliseconds or ISO dates, and refuses anything else with the rule', () => {
    expect(parseTimeArg('1763683200000')).toBe(1763683200000);
    expect(parseTimeArg('2026-09-01')).toBe(Date.UTC(2026, 8, 1));
    expect(parseTimeArg('2026-09-01T12:00:00Z')).toBe(Date.UTC(2026, 8, 1, 12));
    expect(() => parseTimeArg('1763683200')).toThrow(/epoch milliseconds/); // seconds, not ms
    expect(() => parseTimeArg('yesterday')).toThrow(/ISO date/);
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
