/** Decimal amounts (decimal.js, never floating point) spelled one way. */
import Decimal from 'decimal.js';

/** One exact spelling per value ("-0.00790" and "-0.0079" are the same amount), for keys and outputs. */
export function plain(value: Decimal.Value): string {
  const d = new Decimal(value);
  return d.isZero() ? '0' : d.toFixed();
}
