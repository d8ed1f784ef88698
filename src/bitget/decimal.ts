/**
 * Decimal strings are handled as text, never as floats: an amount like 0.000079400000 survives exactly.
 * Canonical form: no exponent, no leading zeros, no trailing fractional zeros, no "-0": "-0.0794000" → "-0.0794".
 */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export function isDecimalString(value: string): boolean {
  const m = DECIMAL.exec(value.trim());
  return m !== null && ((m[2] ?? '') !== '' || (m[3] ?? '') !== '');
}

/** Plain canonical decimal of a decimal literal (exponents expanded); throws on anything else. */
export function canonicalDecimal(value: string): string {
  const m = DECIMAL.exec(value.trim());
  if (m === null || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) {
    throw new TypeError(`not a decimal number: ${JSON.stringify(value)}`);
  }
  const negative = m[1] === '-';
  let intPart = m[2] ?? '';
  let fracPart = m[3] ?? '';
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  if (exponent > 0) {
    const padded = fracPart.padEnd(exponent, '0');
    intPart += padded.slice(0, exponent);
    fracPart = padded.slice(exponent);
  } else if (exponent < 0) {
    const padded = intPart.padStart(-exponent, '0');
    fracPart = padded.slice(padded.length + exponent) + fracPart;
    intPart = padded.slice(0, padded.length + exponent);
  }
  intPart = intPart.replace(/^0+/, '') || '0';
  fracPart = fracPart.replace(/0+$/, '');
  const magnitude = fracPart === '' ? intPart : `${intPart}.${fracPart}`;
  return negative && magnitude !== '0' ? `-${magnitude}` : magnitude;
}

export function isZeroDecimal(value: string): boolean {
  return canonicalDecimal(value) === '0';
}

/** The sign flipped on the text: "-0.004335" → "0.004335", "0.5" → "-0.5", "0" → "0". */
export function negateDecimal(value: string): string {
  const canonical = canonicalDecimal(value);
  if (canonical === '0') return canonical;
  return canonical.startsWith('-') ? canonical.slice(1) : `-${canonical}`;
}
