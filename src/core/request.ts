import { z } from 'zod';
import { DATASET_NAMES, DATASET_STREAM_ENDPOINTS } from './dataset';
import type { DatasetName } from './dataset';
import { InvalidRequestError } from './errors';
import { KINDS, MARKETS } from './order';
import type { Kind, Market } from './order';

/** A Bitget symbol as a caller may name it: letters and digits, optionally a v1 suffix (`BTCUSDT_UMCBL`). */
export const SYMBOL_PATTERN = /^[A-Za-z0-9]{2,40}(_[A-Za-z]{2,10})?$/;

/**
 * A stream, the unit a sync keeps a watermark for: of orders as `market/kind` (`spot/plan`, `usdt-futures/normal`),
 * of fills or the ledger as the endpoint and its selectors (`spotBills`, `futuresFills/USDT-FUTURES`).
 */
export const STREAM_PATTERN = new RegExp(
  `^((${MARKETS.join('|')})/(${KINDS.join('|')})|(${DATASET_STREAM_ENDPOINTS.join('|')})(/[A-Za-z0-9_-]{1,40}){0,2})$`,
);

const epochMs = z
  .number()
  .int('must be an integer number of epoch milliseconds')
  .min(1_262_304_000_000, 'must be epoch milliseconds after 2010-01-01')
  .max(4_102_444_800_000, 'must be epoch milliseconds before 2100-01-01');

/** What one extraction is asked to fetch. Validated at every entry point (CLI, API, coordinator). */
export const extractionRequestSchema = z
  .strictObject({
    /** Restrict to these symbols (and discover nothing else). Omitted: every symbol. */
    symbols: z
      .array(z.string().regex(SYMBOL_PATTERN, 'must be a Bitget symbol such as BTCUSDT'))
      .min(1, 'must name at least one symbol when given')
      .max(2000, 'must name at most 2000 symbols')
      .optional(),
    markets: z
      .array(z.enum(MARKETS))
      .min(1, 'must name at least one market')
      .default([...MARKETS]),
    kinds: z
      .array(z.enum(KINDS))
      .min(1, 'must name at least one kind')
      .default([...KINDS]),
    /** Inclusive lower bound (epoch ms). Omitted: as far back as Bitget serves (90 days). */
    since: epochMs.optional(),
    /** Exclusive upper bound (epoch ms). Omitted: now. */
    until: epochMs.optional(),
    /**
     * Per stream (`market/kind`), an inclusive lower bound (epoch ms) that replaces `since` for that stream: a
     * sync asks each stream from its own watermark. A stream not named starts at `since`.
     */
    streamSince: z
      .record(
        z
          .string()
          .regex(
            STREAM_PATTERN,
            'must be a stream such as spot/plan (market/kind) or futuresBills/USDT-FUTURES (endpoint/selector)',
          ),
        epochMs,
      )
      .optional(),
    order: z.enum(['asc', 'desc']).default('asc'),
    /** The data sets fetched (shared DESIGN.md, "Data sets"). Omitted: all three. */
    datasets: z
      .array(
        z.string().refine((name) => (DATASET_NAMES as readonly string[]).includes(name), {
          error: (issue) =>
            `names an unknown data set "${String(issue.input)}" (the data sets are ${DATASET_NAMES.join(', ')})`,
        }),
      )
      .min(1, 'must name at least one data set')
      .default([...DATASET_NAMES]),
    /** Days per tax-record query (src/bitget/taxSpan.ts). Omitted: the smallest span the docs give. */
    taxSpanDays: z.number().int('must be a whole number of days').min(1).max(366).optional(),
  })
  .refine((r) => r.since === undefined || r.until === undefined || r.since < r.until, {
    message: 'must be before until',
    path: ['since'],
  })
  .superRefine((r, ctx) => {
    for (const [stream, start] of Object.entries(r.streamSince ?? {})) {
      const [market, kind] = stream.split('/') as [Market, Kind];
      const isOrderStream = (MARKETS as readonly string[]).includes(market);
      if (isOrderStream && (!r.markets.includes(market) || !r.kinds.includes(kind)))
        ctx.addIssue({
          code: 'custom',
          message: 'must be a stream of the requested markets and kinds',
          path: ['streamSince', stream],
        });
      if (r.until !== undefined && start >= r.until)
        ctx.addIssue({ code: 'custom', message: 'must be before until', path: ['streamSince', stream] });
    }
  });

export type ExtractionRequestInput = z.input<typeof extractionRequestSchema>;
export interface ExtractionRequest {
  symbols?: string[];
  markets: Market[];
  kinds: Kind[];
  since?: number;
  until?: number;
  /** Per stream (`market/kind`), where it starts instead of `since`. */
  streamSince?: Record<string, number>;
  order: 'asc' | 'desc';
  /** Omitted (a request built in code before data sets existed): all three (`requestedDatasets`). */
  datasets?: DatasetName[];
  taxSpanDays?: number;
}

/** The data sets a request asks for. */
export function requestedDatasets(request: Pick<ExtractionRequest, 'datasets'>): DatasetName[] {
  return request.datasets ?? [...DATASET_NAMES];
}

/** Parse, don't cast: returns a normalised request or throws an error naming each bad field and rule. */
export function parseExtractionRequest(input: unknown): ExtractionRequest {
  const parsed = extractionRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.join('.') || '(request)',
      message: i.message,
    }));
    throw new InvalidRequestError(
      `invalid extraction request: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      issues,
    );
  }
  const r = parsed.data;
  return {
    ...(r.symbols ? { symbols: [...new Set(r.symbols.map(canonicalSymbol))] } : {}),
    markets: [...new Set(r.markets)],
    kinds: [...new Set(r.kinds)],
    ...(r.since !== undefined ? { since: r.since } : {}),
    ...(r.until !== undefined ? { until: r.until } : {}),
    ...(r.streamSince !== undefined ? { streamSince: sortedRecord(r.streamSince) } : {}),
    order: r.order,
    datasets: DATASET_NAMES.filter((d) => r.datasets.includes(d)),
    ...(r.taxSpanDays !== undefined ? { taxSpanDays: r.taxSpanDays } : {}),
  };
}

// Keys in one order, so that the plan and the summary echo the same starts as the same JSON.
const sortedRecord = (r: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Upper case, v1 suffix removed: `btcusdt_umcbl` → `BTCUSDT`. */
export function canonicalSymbol(symbol: string): string {
  return symbol.split('_')[0]!.toUpperCase();
}
