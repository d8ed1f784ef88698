import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { z } from 'zod';
import { ERROR_CATEGORIES } from '../core/errors';

/** The fields of a run's summary.json the API reports (the collector writes more). */
const runSummarySchema = z.object({
  orders: z.number().int().min(0),
  bySymbol: z.record(z.string(), z.number().int().min(0)),
  errors: z.record(z.string(), z.number().int().min(0)),
});
export type RunSummaryFacts = z.infer<typeof runSummarySchema>;

/** Parse, don't cast: summary.json as stored (text or parsed) to the facts the API reports, or null. */
export function parseRunSummary(value: unknown): RunSummaryFacts | null {
  let document = value;
  if (typeof value === 'string') {
    try {
      document = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  const parsed = runSummarySchema.safeParse(document);
  return parsed.success ? parsed.data : null;
}

const MAX_SUMMARY_BYTES = 1024 * 1024;

/** summary.json read from the bucket (when the database has none yet), or null when it cannot be read. */
export async function readRunSummary(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<RunSummaryFacts | null> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!object.Body || (object.ContentLength ?? 0) > MAX_SUMMARY_BYTES) return null;
    return parseRunSummary(await object.Body.transformToString('utf8'));
  } catch {
    return null;
  }
}

/**
 * The source system's `result.summary`: orders, symbols and errors by category, from summary.json.
 * `total_symbols_processed` is the number of symbols the request named; a run over every symbol queries each
 * market without naming symbols, so there is no such number and it is null.
 */
export function sourceSummary(summary: RunSummaryFacts, requestedSymbols: readonly string[] | null) {
  const symbolsWithData = new Set(Object.keys(summary.bySymbol).map((k) => k.slice(k.indexOf(':') + 1)));
  const categories = new Set<string>([...ERROR_CATEGORIES, ...Object.keys(summary.errors)]);
  return {
    total_orders: summary.orders,
    total_symbols_processed: requestedSymbols ? requestedSymbols.length : null,
    total_symbols_with_data: symbolsWithData.size,
    error_summary: Object.fromEntries(
      [...categories].map((category) => [category, { count: summary.errors[category] ?? 0 }]),
    ),
  };
}

/** A GET URL for one result object, signed now for `seconds` (results are never public). */
export function presignResult(s3: S3Client, bucket: string, key: string, seconds: number): Promise<string> {
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: seconds });
}
