import { canonicalDecimal, isZeroDecimal, negateDecimal } from './decimal';

/**
 * Every number literal outside strings wrapped in quotes, so that JSON.parse keeps its exact text:
 * `{"totalFee":-0.000079400000}` → `{"totalFee":"-0.000079400000"}`.
 */
export function quoteJsonNumbers(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += json[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let j = i + 1;
      while (j < json.length && /[0-9.eE+-]/.test(json[j]!)) j++;
      out += `"${json.slice(i, j)}"`;
      i = j - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

export interface PaidFee {
  fee: string;
  feeCoin: string | null;
}

/**
 * Spot `feeDetail` (a JSON document in a string; older rows lack `newFees`): one entry per coin,
 * `{"feeCoinCode":"LTC","totalFee":-0.0000794,…}`, negative when paid. Returns the first coin whose totalFee is
 * not zero, as the positive amount paid (canonical decimal text: "0.0000794"), or null when nothing was paid.
 * A rebate (positive totalFee) comes out negative. Throws a TypeError on a document it cannot read.
 */
export function decodeSpotFeeDetail(
  feeDetail: string | Record<string, unknown> | null | undefined,
): PaidFee | null {
  if (feeDetail === null || feeDetail === undefined) return null;
  let doc: unknown = feeDetail;
  if (typeof feeDetail === 'string') {
    if (feeDetail.trim() === '') return null;
    doc = JSON.parse(quoteJsonNumbers(feeDetail));
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new TypeError('feeDetail is not a JSON object');
  }
  for (const [key, entry] of Object.entries(doc as Record<string, unknown>)) {
    if (key === 'newFees' || typeof entry !== 'object' || entry === null) continue;
    const { feeCoinCode, totalFee } = entry as { feeCoinCode?: unknown; totalFee?: unknown };
    if (totalFee === undefined || totalFee === null) continue;
    const total = String(totalFee);
    if (isZeroDecimal(total)) continue;
    const coin = typeof feeCoinCode === 'string' && feeCoinCode !== '' ? feeCoinCode : key;
    return { fee: negateDecimal(total), feeCoin: coin };
  }
  return null;
}

/** v3 `feeDetail: [{feeCoin, fee}]`, already positive: the first non-zero entry (all entries stay in raw). */
export function pickUtaFee(
  feeDetail: readonly { feeCoin: string; fee: string }[] | null | undefined,
): PaidFee | null {
  for (const entry of feeDetail ?? []) {
    if (entry.fee.trim() === '' || isZeroDecimal(entry.fee)) continue;
    return { fee: canonicalDecimal(entry.fee), feeCoin: entry.feeCoin };
  }
  return null;
}

/** Futures `fee` (negative when paid, in the margin coin) as the positive amount paid, or null when zero/empty. */
export function futuresFee(
  fee: string | null | undefined,
  marginCoin: string | null | undefined,
): PaidFee | null {
  if (fee === null || fee === undefined || fee.trim() === '' || isZeroDecimal(fee)) return null;
  return { fee: negateDecimal(fee), feeCoin: marginCoin && marginCoin !== '' ? marginCoin : null };
}
