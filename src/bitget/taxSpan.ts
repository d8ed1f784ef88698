/**
 * The span asked of the tax records per query. Default: the smallest the docs give (30 days v2, 7 days v3:
 * `ENDPOINTS[...].maxSpanDays`). Configurable because the other copy of the docs says 366 days: the proposed
 * names are the environment variable `TAX_SPAN_DAYS` and the CLI option `--tax-span-days` (one number for
 * every tax endpoint). A span the exchange refuses comes back as `SpanTooWideError` (spanError.ts), so a
 * setting that is too wide costs one halving, never data.
 */
import type { DatasetEndpointId } from './datasetSchemas';
import type { TaxEndpointId } from './endpoints';
import { DAY_MS, ENDPOINTS } from './endpoints';

export const TAX_SPAN_ENV = 'TAX_SPAN_DAYS';
/** The widest span any copy of the docs allows. */
export const TAX_SPAN_MAX_DAYS = 366;

export const TAX_ENDPOINTS: readonly TaxEndpointId[] = [
  'taxSpotRecords',
  'taxFutureRecords',
  'taxMarginRecords',
  'taxP2pRecords',
  'utaTaxRecords',
];

/** The documented smallest span of one tax endpoint, in days. */
export function defaultTaxSpanDays(endpoint: TaxEndpointId): number {
  return ENDPOINTS[endpoint].maxSpanDays!;
}

/** A span setting's text (`TAX_SPAN_DAYS=366`) → whole days in 1…366; anything else is a clear error. */
export function parseTaxSpanDays(text: string, name: string = TAX_SPAN_ENV): number {
  const trimmed = text.trim();
  const days = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(days) || days < 1 || days > TAX_SPAN_MAX_DAYS) {
    throw new RangeError(
      `${name} must be a whole number of days from 1 to ${TAX_SPAN_MAX_DAYS}, got "${text}"`,
    );
  }
  return days;
}

/** The span setting from the environment, or undefined when `TAX_SPAN_DAYS` is not set (or empty). */
export function taxSpanDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env[TAX_SPAN_ENV];
  return value === undefined || value.trim() === '' ? undefined : parseTaxSpanDays(value);
}

/** Milliseconds per query of one tax endpoint: the setting when given, else the documented smallest. */
export function taxSpanMs(endpoint: TaxEndpointId, spanDays?: number): number {
  return (spanDays ?? defaultTaxSpanDays(endpoint)) * DAY_MS;
}

/** The window one page request of a data-set endpoint may span: its documented span, the tax setting for tax. */
export function datasetSpanMs(endpoint: DatasetEndpointId, taxSpanDays?: number): number {
  if ((TAX_ENDPOINTS as readonly string[]).includes(endpoint)) {
    return taxSpanMs(endpoint as TaxEndpointId, taxSpanDays);
  }
  return ENDPOINTS[endpoint].maxSpanDays! * DAY_MS;
}
