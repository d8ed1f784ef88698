/** Decimal amounts (decimal.js, never floating point): exact sums, spelled one way. */
import DecimalJs from 'decimal.js';

/**
 * decimal.js rounds every result to 20 significant digits by default: a sum such as 123456789.123456789012
 * would lose its last digits. Exchange amounts have far fewer than 100 digits, so at this precision every sum
 * of them is exact.
 */
export const Decimal = DecimalJs.clone({ precision: 100 });
export type Decimal = DecimalJs;

/** One exact spelling per value ("-0.00790" and "-0.0079" are the same amount), for keys and outputs. */
export function plain(value: DecimalJs.Value): string {
  const d = new Decimal(value);
  return d.isZero() ? '0' : d.toFixed();
}
