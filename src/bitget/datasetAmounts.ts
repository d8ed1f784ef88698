/** Fee arithmetic of the fills and ledger normalisers, on decimal.js: the exchange's text in, exact text out. */
import Decimal from 'decimal.js';

/** "" and null say nothing; anything else is a number the schema already checked. */
export function isBlank(value: string | null | undefined): value is null | undefined | '' {
  return value === null || value === undefined || value.trim() === '';
}

/** Whether the text is a zero ("0", "-0.000", "0e-8"). */
export function isZeroAmount(value: string): boolean {
  return new Decimal(value).isZero();
}

/** A v2 fee (negative = paid) as the amount paid: "-0.000079400000" → "0.0000794"; a rebate comes out negative. */
export function paidFromNegative(value: string): string {
  return new Decimal(value).negated().toFixed();
}

/** A v3 fee (positive = paid) in plain notation: "0.00120" → "0.0012". */
export function paidFromPositive(value: string): string {
  return new Decimal(value).toFixed();
}

/** A ledger entry's fee: the magnitude charged, or null when the row says none (blank or zero). */
export function feeMagnitude(value: string | null | undefined): string | null {
  if (isBlank(value) || isZeroAmount(value)) return null;
  return new Decimal(value).abs().toFixed();
}
