import { KINDS, MARKETS } from '../core/order';
import { SYMBOL_PATTERN } from '../core/request';
import { EXECUTION_ARN_PATTERN } from './executionArn';

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

const errorBody = {
  type: 'object',
  description: 'An error naming the field and the rule',
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
    field: { type: 'string' },
  },
};

const started = {
  type: 'object',
  properties: {
    executionArn: { type: 'string' },
    name: { type: 'string' },
    startDate: { type: 'string', format: 'date-time' },
    status: { type: 'string' },
    links: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const executionArnParams = {
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
  response: { 202: started, '4xx': errorBody },
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
  response: { 202: started, '4xx': errorBody },
};

export const healthSchema = {
  tags: ['ultra'],
  summary: 'Health check',
  description: 'Status, whether the database answers, version and uptime. Open without an API key.',
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
  response: { 202: started, '4xx': errorBody },
};

export const listExecutionsSchema = {
  tags: ['orders'],
  summary: 'List executions',
  description: 'Executions known to the engine merged with those in the database, newest first.',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
  },
};

export const getExecutionSchema = {
  tags: ['orders'],
  summary: 'Status of an execution',
  description:
    'Status and timing (with human-readable durations). When the execution has succeeded its result is imported into the database, once.',
  params: executionArnParams,
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
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 100 },
    },
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
};

export const saveFromUrlSchema = {
  tags: ['orders'],
  summary: 'Import a result file of this deployment into an execution',
  description:
    "Reads s3://<bucket>/<key> or a presigned URL of this deployment's bucket through the S3 client (never another host), validates it as orders.json or NDJSON of canonical orders and imports it.",
  params: executionArnParams,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: { url: { type: 'string', minLength: 6, maxLength: 2048 } },
  },
};

export const symbolsSchema = {
  tags: ['orders'],
  summary: 'Symbols per market',
  description: 'Spot symbols and the contracts of each futures product type, each with counts by status.',
};

export const rootSchema = {
  tags: ['meta'],
  summary: 'What this is',
  description: 'What this API is, with links.',
};
export const infoSchema = {
  tags: ['meta'],
  summary: 'Deployment information',
  description: 'Version, engine kind, database kind and results bucket. Never secrets.',
};
