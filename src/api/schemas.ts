import { KINDS, MARKETS } from '../core/order';
import { SYMBOL_PATTERN } from '../core/request';
import { EXECUTION_ARN_PATTERN } from './executionArn';
import { runProgressSchema } from './progressSchema';
import { FUTURES_PRODUCT_TYPES } from './symbols';
import type { Schema } from './schemaParts';
import {
  bool,
  closed,
  dateTime,
  int,
  mapOf,
  nullable,
  nullableDateTime,
  nullableInt,
  nullableNum,
  nullableText,
  num,
  text,
} from './schemaParts';

/** Route JSON schemas: validation (unknown fields refused) and the OpenAPI documentation served at /docs. */

const EPOCH_MIN = 1_262_304_000_000; // 2010-01-01
const EPOCH_MAX = 4_102_444_800_000; // 2100-01-01

const symbol = {
  type: 'string',
  pattern: SYMBOL_PATTERN.source,
  maxLength: 51,
  description: 'A Bitget symbol, e.g. BTCUSDT',
};
const symbols = { type: 'array', items: symbol, minItems: 1, maxItems: 2000 };
const markets = {
  type: 'array',
  items: { type: 'string', enum: [...MARKETS] },
  minItems: 1,
  maxItems: MARKETS.length * 2,
};
const kinds = {
  type: 'array',
  items: { type: 'string', enum: [...KINDS] },
  minItems: 1,
  maxItems: KINDS.length * 2,
};
const epochMs = (description: string) => ({
  type: 'integer',
  minimum: EPOCH_MIN,
  maximum: EPOCH_MAX,
  description,
});
const order = { type: 'string', enum: ['asc', 'desc'], description: 'Sort order of the result by cTime' };

// Response schemas. Every object is closed (additionalProperties: false) and lists what it always holds, so the
// tests that hold real responses against this document catch a field that is missing, extra or mistyped.
/** A success answer: a closed object with its description (the document's "description" of the response). */
const ok = (description: string, properties: Record<string, Schema>): Schema =>
  closed(properties, description);

const links = closed({ status: text(), database: text(), logs: text() }, 'Where to follow the execution');
const importState = closed({
  status: { type: 'string', enum: ['pending', 'importing', 'imported', 'failed'] },
  importedOrders: int('Orders of this execution stored in the database'),
});
const decimalText = nullableText('A decimal amount exactly as Bitget sent it');

/** The canonical order record (src/core/order.ts). */
export const canonicalOrderProperties: Record<string, Schema> = {
  orderId: text(),
  clientOid: nullableText(),
  market: { type: 'string', enum: [...MARKETS] },
  kind: { type: 'string', enum: [...KINDS] },
  symbol: text(),
  side: { type: ['string', 'null'], enum: ['buy', 'sell', null], description: 'Direction of the trade' },
  orderType: text(),
  status: text(),
  price: decimalText,
  size: decimalText,
  priceAvg: decimalText,
  baseVolume: decimalText,
  quoteVolume: decimalText,
  fee: decimalText,
  feeCoin: nullableText(),
  leverage: decimalText,
  marginMode: nullableText(),
  posSide: nullableText(),
  tradeSide: nullableText(),
  reduceOnly: { type: ['boolean', 'null'], description: 'null where the row does not say' },
  cTime: int('Creation time, epoch ms'),
  uTime: nullableInt('Last update, epoch ms'),
  raw: { type: 'object', additionalProperties: true, description: "The exchange's row as received" },
};

const errorResponse = closed(
  { statusCode: int(), error: text(), message: text() },
  'An error naming the rule (and the field, when one is at fault)',
);
(errorResponse.properties as Record<string, Schema>).field = text('The field at fault, e.g. body/symbols/0');
/** Every route's error answers: 4xx for the request, 5xx for what it depends on. */
export const errors = { '4xx': errorResponse, '5xx': errorResponse };

const startedProperties: Record<string, Schema> = {
  executionArn: text('The execution to poll'),
  name: text('The execution name'),
  startDate: dateTime(),
  links,
  execution_name: text('The execution name (source-system name)'),
  database_saved: bool('Whether the execution was recorded in the database'),
  database_message: text(),
  message: text(),
};
const startedOrders = closed(
  {
    ...startedProperties,
    status: { type: 'string', enum: ['started'] },
    symbols: { type: 'array', items: text(), description: 'The symbols to extract, as normalised' },
  },
  'The run started; poll links.status',
);
const startedExtraction = closed(
  { ...startedProperties, status: { type: 'string', enum: ['started'] } },
  'The run started; poll links.status',
);
const startedSingleSymbol = closed(
  { ...startedProperties, status: { type: 'string', enum: ['processing'] }, symbol: text() },
  'The run started; poll links.status',
);

export const executionArnParams = {
  type: 'object',
  additionalProperties: false,
  required: ['executionArn'],
  properties: {
    executionArn: {
      type: 'string',
      maxLength: 300,
      pattern: EXECUTION_ARN_PATTERN,
      description: 'arn:aws:states:<region>:<account>:execution:<machine>:<name> (local runs: region local)',
    },
  },
};

const extractionProperties = {
  symbols,
  markets,
  kinds,
  since: epochMs('Inclusive lower bound, epoch ms (default: as far back as Bitget serves, 90 days)'),
  until: epochMs('Exclusive upper bound, epoch ms (default: now)'),
  order,
};

export const extractOrdersSchema = {
  tags: ['ultra'],
  summary: 'Start an extraction of every order',
  description:
    'Starts a run of the extraction state machine (all symbols unless `symbols` is given) and answers 202 at once.',
  body: { type: ['object', 'null'], additionalProperties: false, properties: extractionProperties },
  response: { 202: startedExtraction, ...errors },
};

export const extractSingleSymbolSchema = {
  tags: ['ultra'],
  summary: 'Start an extraction of one symbol',
  description: 'Same as POST /extract-orders restricted to the symbol in the path; answers 202 at once.',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['symbol'],
    properties: { symbol },
  },
  body: {
    type: ['object', 'null'],
    additionalProperties: false,
    properties: {
      markets,
      kinds,
      since: extractionProperties.since,
      until: extractionProperties.until,
      order,
    },
  },
  response: { 202: startedSingleSymbol, ...errors },
};

const health = closed(
  {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    database: closed({ kind: text(), reachable: bool() }),
    version: text(),
    uptimeSeconds: int(),
  },
  '200 when the database answers, 503 (degraded) when it does not',
);

export const healthSchema = {
  tags: ['ultra'],
  summary: 'Health check',
  description: 'Status, whether the database answers, version and uptime. Open without an API key.',
  response: { 200: health, 503: health, '4xx': errorResponse },
};

export const startOrdersSchema = {
  tags: ['orders'],
  summary: 'Start an extraction for symbols and a time range',
  description:
    'The orders API request: symbols and [start_ms, end_ms) in epoch ms, optionally markets, kinds and order. Answers 202 with the execution ARN to poll.',
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['symbols', 'start_ms', 'end_ms'],
    properties: {
      symbols,
      start_ms: epochMs('Inclusive start, epoch ms'),
      end_ms: epochMs('Exclusive end, epoch ms; after start_ms and at most a day in the future'),
      markets,
      kinds,
      order,
    },
  },
  response: { 202: startedOrders, ...errors },
};

const executionListItem = closed({
  executionArn: text(),
  name: text(),
  status: text(
    'RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE (UNKNOWN before the engine said)',
  ),
  startDate: nullableDateTime(),
  stopDate: nullableDateTime(),
  duration: nullableText('As people read it: "2m 3s"'),
  orders: nullableInt('Orders the run reports; null until it has a result'),
  import: importState,
  links,
  id: nullableInt('The database row id; null while only the engine knows the execution'),
  execution_arn: text(),
  symbols: nullable({ type: 'array', items: text() }),
  total_orders: nullableInt('Orders the run reports; null until it has a result'),
  created_at: nullableDateTime('When the database recorded the execution'),
  updated_at: nullableDateTime(),
});

export const listExecutionsSchema = {
  tags: ['orders'],
  summary: 'List executions',
  description: 'Executions known to the engine merged with those in the database, newest first.',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
  },
  response: {
    ...errors,
    200: ok('Executions, newest first', {
      executions: { type: 'array', items: executionListItem },
      count: int('Executions in this answer'),
      total_executions: int("The database's executions plus those only the engine listed"),
    }),
  },
};

const timingSchema = closed({
  startDate: nullableDateTime(),
  stopDate: nullableDateTime(),
  durationMs: nullableInt(),
  duration: nullableText('As people read it: "2m 3s"'),
  running: bool(),
});

const errorSummary = mapOf(
  closed({ count: int() }),
  'Errors the run met, per category (auth, permission, rate_limit, symbol_not_found, param, server, network, timeout, uta_mode)',
);

const resultSchema = closed({
  bucket: text(),
  ordersJsonlKey: nullableText(),
  ordersJsonKey: nullableText(),
  summaryKey: nullableText(),
  orders: nullableInt(),
  complete: { type: ['boolean', 'null'] },
  success: bool('True when the run fetched everything'),
  message: text(),
  summary: nullable(
    closed({
      total_orders: int(),
      total_symbols_processed: nullableInt('Symbols the request named; null for a run over every symbol'),
      total_symbols_with_data: int('Distinct symbols with at least one order'),
      error_summary: errorSummary,
    }),
  ),
  s3_data_url: nullableText('orders.json, presigned for this read (the bucket is never public)'),
  s3_data_url_expires_in_seconds: nullableInt(),
  aws_total_duration_seconds: nullableNum(),
  aws_total_duration_formatted: nullableText('e.g. "1m 55.092s"'),
  aws_execution_details: closed({
    startDate: nullableDateTime(),
    stopDate: nullableDateTime(),
    duration_seconds: nullableNum(),
    duration_formatted: nullableText(),
    stateMachineArn: text(),
  }),
  database_info: closed({
    orders_in_db: int(),
    processing_time_seconds: nullableNum('How long the last import took'),
    created_at: nullableDateTime('When the database recorded the execution'),
  }),
});

const executionSchema = closed(
  {
    executionArn: text(),
    name: text(),
    status: text(),
    startDate: nullableDateTime(),
    processing_time_seconds: nullableNum('Seconds since the start (until the stop once it ended)'),
    request: { type: ['object', 'null'], additionalProperties: true, description: 'The extraction request' },
    timing: timingSchema,
    result: nullable(resultSchema),
    error: nullableText(),
    cause: nullableText(),
    import: closed({
      status: { type: 'string', enum: ['pending', 'importing', 'imported', 'failed'] },
      importedOrders: int(),
      error: nullableText(),
      importedAt: nullableDateTime(),
    }),
    links,
  },
  'The execution: status, timing, result (signed URL included) and import state',
);
// While the execution runs: how far it is, read from its lane states (absent once it ended).
(executionSchema.properties as Record<string, Schema>).progress = runProgressSchema;

export const getExecutionSchema = {
  tags: ['orders'],
  summary: 'Status of an execution',
  description:
    'Status and timing (with human-readable durations). When the execution has succeeded its result is imported into the database, once, and `result.s3_data_url` is a URL signed for this read.',
  params: executionArnParams,
  response: { 200: executionSchema, ...errors },
};

export const executionOrdersSchema = {
  tags: ['orders'],
  summary: 'Orders of an execution, from the database',
  description:
    'A page of the imported orders ordered by cTime then orderId, with total, skip, limit and has_more.',
  params: executionArnParams,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      skip: { type: 'integer', minimum: 0, maximum: 100_000_000, default: 0 },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
    },
  },
  response: {
    ...errors,
    200: ok('A page of the stored orders, with the execution and the page', {
      executionArn: text(),
      import: importState,
      orders: {
        type: 'array',
        items: closed({
          ...canonicalOrderProperties,
          id: int('The database row id'),
          order_id: text(),
          c_time: int(),
          created_at: nullableDateTime('When the row was stored; null for rows stored before this was kept'),
        }),
      },
      total: int(),
      skip: int(),
      limit: int(),
      has_more: bool(),
      execution_arn: text(),
      execution_info: closed({
        status: text(),
        total_orders: int(),
        total_symbols: int('Distinct symbols among the stored orders'),
        s3_uri: nullableText('s3://<bucket>/<key> of orders.json'),
        created_at: dateTime(),
      }),
      pagination: closed({
        skip: int(),
        limit: int(),
        total_orders: int(),
        returned_count: int(),
        has_more: bool(),
      }),
    }),
  },
};

export const executionLogsSchema = {
  tags: ['orders'],
  summary: 'Processing logs of an execution',
  description: 'What the API did with the execution (imports, failures), oldest first.',
  params: executionArnParams,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
  },
  response: {
    ...errors,
    200: ok('The processing logs, oldest first', {
      executionArn: text(),
      logs: {
        type: 'array',
        items: closed({
          level: { type: 'string', enum: ['debug', 'info', 'warn', 'error'] },
          message: text(),
          createdAt: dateTime(),
        }),
      },
    }),
  },
};

const sourceUrl = {
  type: 'string',
  minLength: 6,
  maxLength: 2048,
  description: "s3://<bucket>/<key> or a presigned URL of this deployment's bucket",
};

export const saveFromUrlSchema = {
  tags: ['orders'],
  summary: 'Import a result file of this deployment into an execution',
  description:
    "Reads s3://<bucket>/<key> or a presigned URL of this deployment's bucket through the S3 client (never another host), validates it as orders.json or NDJSON of canonical orders and imports it.",
  params: executionArnParams,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      public_url: { ...sourceUrl, description: 'The source system spelling: the URL as a query parameter' },
    },
  },
  body: {
    type: ['object', 'null'],
    additionalProperties: false,
    properties: { url: sourceUrl },
  },
  response: {
    ...errors,
    200: ok('The file was read, validated and stored', {
      executionArn: text(),
      source: text('s3://<bucket>/<key> read'),
      orders: int('Orders in the file'),
      status: { type: 'string', enum: ['imported', 'already-imported', 'in-progress'] },
      importedOrders: int('Orders of the execution in the database'),
      insertedNow: int('Orders this call added'),
      success: bool(),
      message: text(),
      saved_orders_count: int('Orders of the file stored for the execution'),
      execution_arn: text(),
      processing_time_seconds: num('How long this call took'),
    }),
  },
};

const statusCounts = closed({ total: int(), byStatus: mapOf(int()) });
const symbolList = closed({
  total: int(),
  byStatus: mapOf(int()),
  symbols: { type: 'array', items: closed({ symbol: text(), status: text() }) },
});

export const symbolsSchema = {
  tags: ['orders'],
  summary: 'Symbols per market',
  description: 'Spot symbols and the contracts of each futures product type, each with counts by status.',
  response: {
    ...errors,
    200: ok('Symbols per market, and as one list', {
      spot: symbolList,
      futures: closed(
        Object.fromEntries(FUTURES_PRODUCT_TYPES.map((t) => [t, symbolList])),
        'Per futures product type',
      ),
      summary: closed(
        Object.fromEntries(['spot', ...FUTURES_PRODUCT_TYPES].map((t) => [t, statusCounts])),
        'Counts by status per market',
      ),
      symbols: {
        type: 'array',
        items: closed({
          symbol: text(),
          product_type: { type: 'string', enum: [...MARKETS] },
          status: text('As Bitget spells it: online, offline, normal, maintain, …'),
        }),
      },
      total_count: int('Entries in symbols'),
      product_types_summary: closed(Object.fromEntries(MARKETS.map((m) => [m, closed({ count: int() })]))),
    }),
  },
};

export const rootSchema = {
  tags: ['meta'],
  summary: 'What this is',
  description: 'What this API is, with links.',
  response: {
    ...errors,
    200: ok('What this API is', { name: text(), version: text(), description: text(), links: mapOf(text()) }),
  },
};
export const infoSchema = {
  tags: ['meta'],
  summary: 'Deployment information',
  description: 'Version, engine kind, database kind and results bucket. Never secrets.',
  response: {
    ...errors,
    200: ok('This deployment', {
      name: text(),
      version: text(),
      engine: text(),
      database: text(),
      bucket: text(),
      apiKeyRequired: bool(),
      node: text(),
      exchange: nullableText(
        'Where runs read orders: "simulator" (serve without Bitget keys), else the Bitget address',
      ),
    }),
  },
};
