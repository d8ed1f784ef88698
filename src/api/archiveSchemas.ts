import { MARKETS } from '../core/order';
import { LEDGER_SOURCES, LEDGER_TYPES } from '../core/ledgerEntry';
import { canonicalOrderProperties, errors } from './schemas';
import {
  closed,
  dateTime,
  int,
  mapOf,
  nullable,
  nullableInt,
  nullableText,
  text,
  type Schema,
} from './schemaParts';

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

const amount = text('A decimal amount exactly as Bitget sent it');
const maybeAmount = nullableText('A decimal amount exactly as Bitget sent it; null when it does not apply');
const raw = { type: 'object', additionalProperties: true, description: "The exchange's row as received" };
const cTimeIso = dateTime('cTime in ISO 8601 UTC');
const nextCursor = {
  type: ['string', 'null'],
  description: 'Pass as `after` for the next page; null on the last page',
};
const bothTimes = (what: string) =>
  closed(
    { ms: nullableInt('epoch ms'), iso: { ...dateTime('ISO 8601 UTC'), type: ['string', 'null'] } },
    `${what}: as epoch ms and ISO 8601 (null when not given)`,
  );

/** The canonical fill (src/core/fill.ts) and its time in ISO 8601. */
export const canonicalFillProperties: Record<string, Schema> = {
  tradeId: text(),
  orderId: text(),
  market: { type: 'string', enum: [...MARKETS] },
  symbol: text(),
  side: { type: 'string', enum: ['buy', 'sell'], description: 'Direction of the trade' },
  price: amount,
  size: text('In the base coin'),
  quoteVolume: text('In the quote coin'),
  fee: maybeAmount,
  feeCoin: nullableText(),
  fees: {
    type: 'array',
    description: 'Every fee coin of the fill, in the exchange order; empty when nothing was paid',
    items: closed({ fee: amount, feeCoin: text() }),
  },
  role: { type: ['string', 'null'], enum: ['taker', 'maker', null] },
  tradeSide: nullableText(),
  posSide: nullableText(),
  profit: nullableText('Realised profit or loss of a futures fill, signed; null on spot'),
  cTime: int('Execution time, epoch ms'),
  cTimeIso,
  raw,
};

/** The canonical ledger entry (src/core/ledgerEntry.ts) and its time in ISO 8601. */
export const canonicalLedgerProperties: Record<string, Schema> = {
  billId: text(),
  account: text('The ledger account: spot, usdt-futures, usdc-futures, coin-futures, margin, uta, p2p'),
  coin: text(),
  amount: text('Signed: negative leaves the account'),
  fee: maybeAmount,
  balance: maybeAmount,
  type: { type: 'string', enum: [...LEDGER_TYPES] },
  businessType: text("The exchange's own word for the entry"),
  symbol: nullableText(),
  orderId: nullableText(),
  source: { type: 'string', enum: [...LEDGER_SOURCES], description: 'bills, or the tax records' },
  cTime: int('Entry time, epoch ms'),
  cTimeIso,
  raw,
};

export const archiveFillsResponse = {
  200: closed(
    {
      fills: { type: 'array', items: closed(canonicalFillProperties), description: 'Canonical fills' },
      since: bothTimes('since'),
      until: bothTimes('until'),
      next: nextCursor,
    },
    'A page of archived fills, sorted by (cTime, tradeId, market)',
  ),
  ...errors,
};

export const archiveLedgerResponse = {
  200: closed(
    {
      entries: {
        type: 'array',
        items: closed(canonicalLedgerProperties),
        description: 'Canonical ledger entries',
      },
      since: bothTimes('since'),
      until: bothTimes('until'),
      next: nextCursor,
    },
    'A page of archived ledger entries, sorted by (cTime, billId, source, account)',
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
        database: closed({
          rows: int('Archived orders the database holds for this account'),
          fills: int('Archived fills the database holds for this account'),
          ledger: int('Archived ledger entries the database holds for this account'),
        }),
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
          closed(
            {
              inserted: int('Orders inserted'),
              updated: int('Orders replaced by a newer version'),
              partitions: int('Order partitions imported'),
              datasets: mapOf(
                closed({ inserted: int(), updated: int(), partitions: int() }),
                'Per data set (orders, fills, ledger)',
              ),
            },
            "Rows the database import changed: the orders' figures, and each data set's",
          ),
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
