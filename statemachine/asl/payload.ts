import type { JsonPath, PayloadTemplate } from './types';

/**
 * A Payload Template made only of references: `refs({ runId: '$.runId' })` gives
 * `{ "runId.$": "$.runId" }`. Keeping payloads to references keeps state small.
 */
export function refs(fields: Readonly<Record<string, JsonPath>>): PayloadTemplate {
  return Object.fromEntries(Object.entries(fields).map(([key, path]) => [`${key}.$`, path]));
}
