import { canonicalOrderProperties, errors } from './schemas';
import { closed, int, nullableInt, text } from './schemaParts';

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

export const archiveStatusResponse = {
  200: closed(
    {
      uid: text("The account's UID, read from the exchange"),
      datasets: {
        type: 'object',
        description: 'Per data set: records, the span they cover, the gaps',
        additionalProperties: closed({
          records: int(),
          from: nullableInt('Oldest record time, epoch ms'),
          to: nullableInt('Newest record time, epoch ms'),
          gaps: {
            type: 'array',
            description: 'Spans no sync covered while Bitget still served them, per stream',
            items: closed({ stream: text(), from: int('epoch ms'), to: int('epoch ms') }),
          },
        }),
      },
      lastSync: nullableInt('When the last sync ran (exchange time, epoch ms)'),
      database: closed({ rows: int('Archive rows the database holds for this account') }),
    },
    "The archive's coverage and gaps, from the bucket's manifest",
  ),
  ...errors,
};

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
