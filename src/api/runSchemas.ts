import { KINDS, MARKETS } from '../core/order';
import { runProgressSchema } from './progressSchema';
import { MAX_KEYSET_LIMIT } from './orderQuery';
import { RESULT_FILE_NAMES } from './runFiles';
import { canonicalOrderProperties, errors, executionArnParams } from './schemas';
import type { Schema } from './schemaParts';
import { closed, int, nullableText, text } from './schemaParts';

/** Schemas of the run endpoints: progress, stop, filtered orders, the report and result files, events. */
const both = (description: string): Schema =>
  closed(
    { ms: { type: ['integer', 'null'] }, iso: { type: ['string', 'null'], format: 'date-time' } },
    `${description}: epoch ms and ISO 8601 UTC`,
  );
/** A comma-separated list of values out of `values`, e.g. `spot,usdt-futures`. */
const listOf = (values: readonly string[], what: string): Schema => ({
  type: 'string',
  maxLength: 2000,
  pattern: `^(${values.join('|')})(,(${values.join('|')}))*$`,
  description: `${what}: one or more of ${values.join(', ')}, comma-separated`,
});
const timeParam = (description: string): Schema => ({
  type: 'string',
  maxLength: 40,
  description: `${description}: epoch ms (1714521600000) or ISO 8601 with a zone (2024-05-01T00:00:00Z, 2024-05-01)`,
});

const runIdParam = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$',
  description: 'The run id (run-20240501T120000Z-1a2b3c)',
};

export const stopExecutionSchema = {
  tags: ['orders'],
  summary: 'Stop a running execution',
  description:
    'StopExecution on AWS, an abort locally. The run keeps its cursors and parts in the bucket: `bitget-orders extract --run-id` (or a start with the same run id) resumes it. 409 when it is not running.',
  params: executionArnParams,
  response: {
    200: closed(
      {
        executionArn: text(),
        runId: nullableText('The run id to resume'),
        status: text('The status after the stop (ABORTED once the engine confirmed it)'),
        resumable: { type: 'boolean' },
        message: text(),
      },
      'The execution was stopped; its run stays resumable',
    ),
    ...errors,
  },
};

const filterProperties = {
  market: listOf(MARKETS, 'Markets'),
  kind: listOf(KINDS, 'Kinds'),
  symbol: {
    type: 'string',
    maxLength: 2000,
    pattern: '^[A-Za-z0-9_]{2,51}(,[A-Za-z0-9_]{2,51})*$',
    description: 'Symbols, comma-separated',
  },
  status: {
    type: 'string',
    maxLength: 500,
    pattern: '^[a-z_]{1,40}(,[a-z_]{1,40})*$',
    description: 'Statuses (filled, cancelled, …), comma-separated',
  },
  since: timeParam('Orders created at or after'),
  until: timeParam('Orders created before'),
};

export const filteredOrdersSchema = {
  tags: ['orders'],
  summary: 'Orders of an execution, filtered, by keyset pages',
  description: `Orders stored for the execution matching every filter given, in the run's order (cTime, then orderId), ${MAX_KEYSET_LIMIT} at most per page. Pass \`next\` as \`after\` for the following page: pages do not shift when rows are added, and a deep page costs what the first does. The source system's skip/limit pages stay at /orders/{executionArn}/database.`,
  params: executionArnParams,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...filterProperties,
      after: {
        type: 'string',
        maxLength: 200,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'The `next` of the previous page',
      },
      limit: { type: 'integer', minimum: 1, maximum: MAX_KEYSET_LIMIT, default: 100 },
    },
  },
  response: {
    200: closed(
      {
        executionArn: text(),
        filters: closed({
          market: { type: ['array', 'null'], items: text() },
          kind: { type: ['array', 'null'], items: text() },
          symbol: { type: ['array', 'null'], items: text() },
          status: { type: ['array', 'null'], items: text() },
          since: both('Lower bound'),
          until: both('Upper bound'),
        }),
        orders: {
          type: 'array',
          items: closed({
            ...canonicalOrderProperties,
            id: int('The database row id'),
            cTimeIso: text('cTime as ISO 8601 UTC'),
            uTimeIso: nullableText('uTime as ISO 8601 UTC'),
          }),
        },
        count: int('Orders in this page'),
        matched: int('Orders matching the filters, every page together'),
        limit: int(),
        next: nullableText('The cursor of the next page (pass as `after`); null on the last page'),
      },
      'A page of the matching orders and the cursor of the next',
    ),
    ...errors,
  },
};

const nonJson = (mediaType: string, description: string) => ({
  description,
  content: { [mediaType]: { schema: { type: 'string', description } } },
});
const redirect = {
  description: 'A redirect to a presigned URL of the object (deployments configured to presign, i.e. on AWS)',
  headers: { location: { type: 'string', description: 'The presigned URL, valid a few minutes' } },
};

export const runReportSchema = {
  tags: ['runs'],
  summary: "A run's report",
  description:
    'report.html of the run: self-contained (charts as SVG, the numbers under them), no network needed.',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['runId'],
    properties: { runId: runIdParam },
  },
  response: {
    200: nonJson('text/html', 'The report, one self-contained HTML document'),
    302: redirect,
    ...errors,
  },
};

export const runFileSchema = {
  tags: ['runs'],
  summary: "A file of a run's result",
  description: `Streams one file of the run's result (${RESULT_FILE_NAMES.join(', ')}) or redirects to a short-lived presigned URL, as the deployment is configured (locally: streamed). orders.csv and orders.parquet are written from orders.jsonl on first request, with the archive's exporters (csv-stringify, @dsnp/parquetjs), and kept beside it.`,
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['runId', 'name'],
    properties: { runId: runIdParam, name: { type: 'string', enum: RESULT_FILE_NAMES } },
  },
  response: {
    200: nonJson('application/octet-stream', 'The file, streamed with its own media type'),
    302: redirect,
    ...errors,
  },
};

export const runEventSchema = closed({
  at: both('When this event was sent'),
  runs: {
    type: 'array',
    items: closed({
      executionArn: text(),
      name: text(),
      runId: nullableText(),
      status: text(),
      startDate: both('Start'),
      stopDate: both('Stop'),
      request: { type: ['object', 'null'], additionalProperties: true },
      orders: { type: ['integer', 'null'], description: 'Orders of the result (when it ended)' },
      import: closed({ status: text(), importedOrders: int() }),
      progress: { ...runProgressSchema, type: ['object', 'null'] },
    }),
  },
});

export const runEventsSchema = {
  tags: ['runs'],
  summary: 'The runs, pushed as server-sent events',
  description:
    'text/event-stream: an event `runs` every second with the newest runs (status, and while running the progress of GET /orders/{executionArn}); the data of each event is JSON of the schema given here as the 200 answer of application/json clients.',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      once: { type: 'boolean', default: false, description: 'Answer one event as JSON and end (no stream)' },
    },
  },
  response: {
    200: { ...runEventSchema, description: 'One event (with ?once=true or Accept: application/json)' },
    ...errors,
  },
};
