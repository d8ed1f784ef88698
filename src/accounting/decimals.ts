/** Sums of decimal strings, kept per key, with decimal.js: never floating point. */
import Decimal from 'decimal.js';

/** One exact spelling per value ("-0.00790" and "-0.0079" are the same amount), for keys and outputs. */
export function plain(value: Decimal.Value): string {
  const d = new Decimal(value);
  return d.isZero() ? '0' : d.toFixed();
}

/** A running sum per key (a coin, a symbol), read out as decimal strings in key order. */
export class DecimalSums {
  private readonly sums = new Map<string, Decimal>();

  add(key: string, amount: Decimal.Value): void {
    this.sums.set(key, (this.sums.get(key) ?? new Decimal(0)).plus(amount));
  }

  get(key: string): Decimal {
    return this.sums.get(key) ?? new Decimal(0);
  }

  keys(): string[] {
    return [...this.sums.keys()].sort();
  }

  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of this.keys()) out[key] = plain(this.get(key));
    return out;
  }
}
