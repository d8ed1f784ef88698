import { backoffDelay } from './backoff';
import { canonicalDecimal, isZeroDecimal, negateDecimal } from './decimal';
import { decodeSpotFeeDetail, quoteJsonNumbers } from './feeDetail';

describe('decimal text', () => {
  it('is canonicalised without floats: trailing zeros, leading zeros and exponents go', () => {
    expect(canonicalDecimal('-0.000079400000')).toBe('-0.0000794');
    expect(canonicalDecimal('5.5000000000000000')).toBe('5.5');
    expect(canonicalDecimal('007.50')).toBe('7.5');
    expect(canonicalDecimal('-7.94E-5')).toBe('-0.0000794');
    expect(canonicalDecimal('1.5e3')).toBe('1500');
    expect(canonicalDecimal('-0.000')).toBe('0');
  });

  it('flips its sign on the text', () => {
    expect(negateDecimal('-0.004335')).toBe('0.004335');
    expect(negateDecimal('0.1')).toBe('-0.1');
    expect(negateDecimal('0')).toBe('0');
  });

  it('recognises zero in any spelling and rejects what is not a number', () => {
    expect(isZeroDecimal('0.0000')).toBe(true);
    expect(isZeroDecimal('0.0001')).toBe(false);
    expect(() => canonicalDecimal('abc')).toThrow('not a decimal number');
  });
});

describe('the spot feeDetail decoder', () => {
  it('keeps the exact text of numbers inside the JSON string', () => {
    expect(quoteJsonNumbers('{"a":-0.000079400000,"b":"x1","c":[1,2e-3],"d":false}')).toBe(
      '{"a":"-0.000079400000","b":"x1","c":["1","2e-3"],"d":false}',
    );
  });

  it('reads a row without newFees', () => {
    const detail =
      '{"BGB":{"deduction":true,"feeCoinCode":"BGB","totalDeductionFee":-0.0012,"totalFee":-0.0012}}';
    expect(decodeSpotFeeDetail(detail)).toEqual({ fee: '0.0012', feeCoin: 'BGB' });
  });

  it('answers null when nothing was paid or there is no detail', () => {
    expect(decodeSpotFeeDetail('{"newFees":{"t":0},"USDT":{"feeCoinCode":"USDT","totalFee":0}}')).toBeNull();
    expect(decodeSpotFeeDetail('')).toBeNull();
    expect(decodeSpotFeeDetail(null)).toBeNull();
  });
});

describe('the backoff', () => {
  it('grows strictly with the retry number until the cap, whatever the jitter', () => {
    for (const r of [0, 0.5, 0.999]) {
      const delays = [1, 2, 3, 4].map((n) =>
        backoffDelay(n, { baseDelayMs: 100, maxDelayMs: 10_000 }, () => r),
      );
      expect(delays[1]!).toBeGreaterThan(delays[0]!);
      expect(delays[2]!).toBeGreaterThan(delays[1]!);
      expect(delays[3]!).toBeGreaterThan(delays[2]!);
    }
    expect(backoffDelay(20, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0.999)).toBeLessThanOrEqual(1000);
  });
});
