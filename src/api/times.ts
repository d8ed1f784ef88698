import { BadRequestError } from './errors';

const EPOCH_MS = /^-?\d{1,16}$/;
// ISO 8601 as people write it: a date, or a date and time with a zone (Z or ±hh:mm). A time without a zone
// is refused: its meaning would depend on the server's time zone.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** A time given as epoch milliseconds or ISO 8601 (`2024-05-01`, `2024-05-01T12:00:00Z`), as epoch ms. */
export function parseTime(value: string, field: string): number {
  const text = value.trim();
  let ms = Number.NaN;
  if (EPOCH_MS.test(text)) ms = Number(text);
  else if (ISO_8601.test(text)) ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > 4_102_444_800_000) {
    throw new BadRequestError(
      `${field} must be epoch milliseconds or an ISO 8601 time with a zone (2024-05-01T00:00:00Z), got ${JSON.stringify(value)}`,
      field,
    );
  }
  return ms;
}

/** A time answered both ways: epoch milliseconds and its ISO 8601 UTC spelling. */
export function bothTimes(ms: number | null | undefined): { ms: number | null; iso: string | null } {
  return ms === null || ms === undefined ? { ms: null, iso: null } : { ms, iso: new Date(ms).toISOString() };
}
