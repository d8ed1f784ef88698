import { canonicalOrderProperties, errors } from './schemas';
import { closed, int, mapOf, nullable, nullableInt, nullableText, text, type Schema } from './schemaParts';

/** Response schemas of the archive's endpoints (src/api/routes/archive.ts). */
const span = (description: string) => closed({ from: int('epoch ms'), to: int('epoch ms') }, description);

export const archiveOrdersResponse = {
  200: closed(
    {
      orders: { type: 'array', items: closed(canonicalOrderProperties), description: 'Canonical records' },
      next: {
        type: ['string', 'null'],
        description: 'Pass as `after` for the next page; null on the last page',
      },
    },
    'A page of archived orders, sorted by (cTime, orderId)',
  ),
  ...errors,
};

/** A closed object with some properties that may be absent. */
const withOptional = (schema: Schema, optional: Record<string, Schema>): Schema => ({
  ...schema,
  properties: { ...(schema.properties as Record<string, Schema>), ...optional },
});

const decimal = (description?: string) => text(description ?? 'Decimal string');
const funding = closed({ paid: decimal('Paid out'), received: decimal(), net: decimal('received − paid') });

/** src/accounting/totals.ts's Totals, with decimal strings. */
export const totalsSchema = closed(
  {
    feesPaid: mapOf(decimal(), 'Trading fees paid, from the fills, per coin'),
    volume: mapOf(
      mapOf(closed({ fills: int(), base: decimal('In the base coin'), quote: decimal('In the quote coin') })),
      'Per market, per symbol',
    ),
    realisedPnl: closed({
      bySymbol: mapOf(
        mapOf(closed({ settleCoin: text(), profit: decimal('Signed') })),
        'Per futures market, per symbol',
      ),
      total: mapOf(decimal('Signed'), 'Per settle coin'),
    }),
    funding: closed(
      { bills: mapOf(funding, 'Per coin'), tax: mapOf(funding, 'Per coin') },
      'From funding ledger entries, per source (the tax records repeat the bills: never added together)',
    ),
  },
  'Accounting totals over the archive (decimal arithmetic)',
);

const datasetStatus = withOptional(
  closed({
    records: int(),
    from: nullableInt('Oldest record time, epoch ms'),
    to: nullableInt('Newest record time, epoch ms'),
    gaps: {
      type: 'array',
      description: 'Spans no sync covered while Bitget still served them, per stream',
      items: closed({
        stream: text(),
        from: int('epoch ms'),
        to: int('epoch ms'),
        coveredBy: nullableText(
          'A bills gap: the tax stream whose records (source "tax") hold its ledger entries; null: nothing does',
        ),
      }),
    },
  }),
  {
    tax: nullable({
      ...closed({ from: int('epoch ms'), to: int('epoch ms') }),
      description: 'The ledger only: how far back its tax records reach, and to when (null: none synced yet)',
    }),
  },
);

export const archiveStatusResponse = {
  200: withOptional(
    closed(
      {
        uid: text("The account's UID, read from the exchange"),
        datasets: {
          type: 'object',
          description: 'Per data set (orders, fills, ledger): records, the span they cover, the gaps',
          additionalProperties: datasetStatus,
        },
        lastSync: nullableInt('When the last sync ran (exchange time, epoch ms)'),
        database: closed({ rows: int('Archive rows the database holds for this account') }),
      },
      "The archive's coverage and gaps, from the bucket's manifest",
    ),
    { totals: { ...totalsSchema, description: 'Present when the archive holds fills or a ledger' } },
  ),
  ...errors,
};

const datasetSync = withOptional(
  closed({
    dataset: text(),
    fetched: int('Records the run fetched'),
    added: int('Records new to the archive'),
    duplicates: int('Records the archive already held (kept once)'),
    conflicts: closed(
      { count: int(), keys: { type: 'array', items: text(), description: 'The first 100' } },
      'Records brought again with other values: the archived copy is kept',
    ),
    records: int('Records of the data set in the archive after the sync'),
    partitionsWritten: int(),
    gaps: {
      type: 'array',
      description: 'Gaps this sync found; a bills gap names the tax stream that covers it',
      items: closed({
        stream: text(),
        from: int(),
        to: int(),
        detectedAt: int(),
        coveredBy: nullableText('The tax stream whose records hold the gap’s ledger entries'),
      }),
    },
  }),
  { taxSince: nullableInt('The ledger: where the tax records this sync asked begin (null: none asked)') },
);

export const syncResponse = {
  200: closed(
    {
      uid: text(),
      mode: { type: 'string', enum: ['classic', 'uta'] },
      runId: text('The extraction run the sync used'),
      asked: closed({
        since: nullableInt('null: everything Bitget serves'),
        until: int(),
        streams: {
          type: 'object',
          additionalProperties: int(),
          description:
            'Where each covered stream (market/kind) started: its watermark or its oldest order last seen open',
        },
      }),
      served: span('What Bitget served the run'),
      fetched: int('Orders the run fetched'),
      openOrders: int('Orders the open-order endpoints served'),
      added: int('Orders new to the archive'),
      updated: int('Archived orders replaced by a newer version'),
      records: int('Orders in the archive after the sync'),
      partitionsWritten: int(),
      gaps: {
        type: 'array',
        description: 'Gaps this sync found (spans Bitget no longer serves and no sync covered)',
        items: closed({ stream: text(), from: int(), to: int(), detectedAt: int() }),
      },
      staleOpen: int('Orders last seen open, older than what Bitget serves: kept as last seen'),
      requests: int('Requests of the run and of the sync itself'),
      nothingNew: { type: 'boolean', description: 'True when the sync added and updated nothing' },
      generation: int('The manifest generation the sync wrote'),
      datasets: {
        type: 'object',
        additionalProperties: false,
        description: 'Fills and the ledger, when synced (the fields above are the orders’)',
        properties: { fills: datasetSync, ledger: datasetSync },
      },
      database: {
        oneOf: [
          { type: 'null' },
          closed({ inserted: int(), updated: int(), partitions: int() }, 'Rows the database import changed'),
        ],
      },
    },
    'The sync is complete: its report',
  ),
  ...errors,
};

export const archiveReportResponse = {
  200: {
    description: "The archive's report, one self-contained HTML document",
    content: {
      'text/html': {
        schema: {
          type: 'string',
          description:
            'report.html of the archive: orders per day per market over its whole span with its gaps shaded, fees per coin, volume per symbol; charts as SVG, the numbers under them',
        },
      },
    },
  },
  ...errors,
};
