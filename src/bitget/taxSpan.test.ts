import { DAY_MS } from './endpoints';
import { BitgetApiError } from './errors';
import { isSpanRefusal, SpanTooWideError } from './spanError';
import {
  datasetSpanMs,
  defaultTaxSpanDays,
  parseTaxSpanDays,
  TAX_ENDPOINTS,
  taxSpanDaysFromEnv,
  taxSpanMs,
} from './taxSpan';

describe('the tax records’ span per query', () => {
  it('defaults to the smallest documented: 30 days on v2, 7 on v3', () => {
    expect(TAX_ENDPOINTS.map((e) => [e, defaultTaxSpanDays(e)])).toEqual([
      ['taxSpotRecords', 30],
      ['taxFutureRecords', 30],
      ['taxMarginRecords', 30],
      ['taxP2pRecords', 30],
      ['utaTaxRecords', 7],
    ]);
    expect(taxSpanMs('utaTaxRecords')).toBe(7 * DAY_MS);
  });

  it('is configurable by TAX_SPAN_DAYS', () => {
    expect(taxSpanDaysFromEnv({ TAX_SPAN_DAYS: '366' })).toBe(366);
    expect(taxSpanDaysFromEnv({})).toBeUndefined();
    expect(taxSpanMs('taxSpotRecords', 366)).toBe(366 * DAY_MS);
  });

  it.each(['0', '367', '3.5', 'thirty', '-1'])('refuses %p, naming the setting', (text) => {
    expect(() => parseTaxSpanDays(text)).toThrow(
      /TAX_SPAN_DAYS must be a whole number of days from 1 to 366/,
    );
  });

  it('names the CLI option when read from it', () => {
    expect(() => parseTaxSpanDays('x', '--tax-span-days')).toThrow(/^--tax-span-days must be/);
  });
});

describe('the span refusal', () => {
  const apiError = (exchangeCode: string, exchangeMessage: string, category: 'param' | 'server' = 'param') =>
    BitgetApiError.create({
      category,
      endpoint: 'taxSpotRecords',
      path: '/api/v2/tax/spot-record',
      httpStatus: 400,
      exchangeCode,
      exchangeMessage,
      transportCode: null,
      attempts: 1,
    });

  it.each([
    ['40705', 'The start and end time cannot exceed 90 days'],
    ['40017', 'The maximum interval between startTime and endTime is 30 days'],
    ['40020', 'The time range between startTime and endTime must not exceed 7 days'],
  ])('is recognised: %s %s', (code, message) => {
    expect(isSpanRefusal(apiError(code, message))).toBe(true);
  });

  it('is not any other parameter error, nor a server error', () => {
    expect(isSpanRefusal(apiError('40019', 'Parameter coin cannot be empty'))).toBe(false);
    expect(isSpanRefusal(apiError('40705', 'cannot exceed 90 days', 'server'))).toBe(false);
    expect(isSpanRefusal(new Error('exceed 30 days'))).toBe(false);
  });

  it('halves a window into two that meet; a 1 ms window cannot be halved', () => {
    expect(new SpanTooWideError('utaTaxRecords', 10, 21, '40705', '').halves()).toEqual([
      { startTime: 10, endTime: 15 },
      { startTime: 15, endTime: 21 },
    ]);
    expect(() => new SpanTooWideError('utaTaxRecords', 10, 11, null, null).halves()).toThrow(RangeError);
  });
});

describe('datasetSpanMs', () => {
  it('is the documented span, or the tax setting on the tax endpoints', () => {
    expect(datasetSpanMs('futuresFills')).toBe(7 * DAY_MS);
    expect(datasetSpanMs('spotBills', 366)).toBe(90 * DAY_MS);
    expect(datasetSpanMs('taxP2pRecords')).toBe(30 * DAY_MS);
    expect(datasetSpanMs('taxP2pRecords', 366)).toBe(366 * DAY_MS);
  });
});
