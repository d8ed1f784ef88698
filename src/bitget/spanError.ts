/**
 * The exchange's "time range too wide" answer, recognised as such: the copies of the docs disagree on the tax
 * records' span (30 or 366 days) and on futures fills' (7 days or three months), so the exchange's own refusal
 * is what a caller acts on (halve the window and ask again), never either copy.
 */
import { BitgetApiError } from './errors';
import type { EndpointId } from './endpoints';

/** 40705 "The start and end time cannot exceed 90 days" (futures error table; the simulator's 30-day twin). */
const SPAN_CODES: ReadonlySet<string> = new Set(['40705']);
/** Other wordings of the same refusal: "…interval between startTime and endTime … 30 days", "exceed 7 days". */
const SPAN_MESSAGE = /(exceed|interval|range|span|maximum).*\bdays?\b|\bdays?\b.*(exceed|interval|range)/i;

export class SpanTooWideError extends Error {
  override readonly name = 'SpanTooWideError';
  constructor(
    readonly endpoint: EndpointId,
    readonly startTime: number,
    readonly endTime: number,
    /** What the exchange said, for the log: code and message. */
    readonly exchangeCode: string | null,
    readonly exchangeMessage: string | null,
  ) {
    super(
      `Bitget ${endpoint} refused the window [${startTime}, ${endTime}) as too wide ` +
        `(code ${exchangeCode ?? '-'} "${exchangeMessage ?? ''}"): ask again with half the window`,
    );
  }

  /** The two halves of the refused window, oldest first; a window of under 2 ms cannot be halved. */
  halves(): [{ startTime: number; endTime: number }, { startTime: number; endTime: number }] {
    if (this.endTime - this.startTime < 2) {
      throw new RangeError(
        `window [${this.startTime}, ${this.endTime}) of ${this.endpoint} cannot be halved`,
      );
    }
    const mid = this.startTime + Math.floor((this.endTime - this.startTime) / 2);
    return [
      { startTime: this.startTime, endTime: mid },
      { startTime: mid, endTime: this.endTime },
    ];
  }
}

/** Whether a failed call is the exchange refusing the time range (a parameter error about days). */
export function isSpanRefusal(error: unknown): error is BitgetApiError {
  if (!(error instanceof BitgetApiError) || error.category !== 'param') return false;
  if (error.exchangeCode !== null && SPAN_CODES.has(error.exchangeCode)) return true;
  return SPAN_MESSAGE.test(error.exchangeMessage ?? '');
}
