import { api, envelope, received, serveTime, testClient, useNock } from '../../tests/fixtures/bitget/helpers';
import { recordId } from './datasetPages';
import { DAY_MS } from './endpoints';
import { DatasetPaginationStalledError, fetchDatasetWindow } from './datasetWindow';

useNock();

const PATH = '/api/v2/tax/future-record';
const row = (id: string, ts: number) => ({
  id,
  symbol: 'BTCUSDT',
  marginCoin: 'USDT',
  futureTaxType: 'close_long',
  amount: '1.5',
  fee: '-0.01',
  ts: String(ts),
});
const refused = {
  code: '40705',
  msg: 'The start and end time cannot exceed 30 days',
  requestTime: 1,
  data: null,
};
const query = (url: string) => Object.fromEntries(new URL(url, 'https://x').searchParams);

describe('fetchDatasetWindow', () => {
  beforeEach(() => serveTime(Date.now()));

  it('halves a window the exchange refuses and pages each half to its end', async () => {
    const { client } = testClient();
    const start = 0;
    const end = 60 * DAY_MS;
    const mid = 30 * DAY_MS;
    api().get(PATH).query(true).reply(400, refused);
    api()
      .get(PATH)
      .query(true)
      .reply(200, envelope([row('2', 10), row('1', 5)]));
    api().get(PATH).query(true).reply(200, envelope([]));
    api()
      .get(PATH)
      .query(true)
      .reply(200, envelope([row('9', mid + 10)]));
    api().get(PATH).query(true).reply(200, envelope([]));
    const result = await fetchDatasetWindow(
      client,
      { endpoint: 'taxFutureRecords', productType: 'USDT-FUTURES' },
      { startTime: start, endTime: end },
    );
    expect(result).toMatchObject({ pages: 4, duplicates: 0, halvings: 1 });
    expect(result.records.map(recordId)).toEqual(['2', '1', '9']);
    const asked = received.filter((r) => r.url.startsWith(PATH)).map((r) => query(r.url));
    expect(asked.map((q) => [Number(q['startTime']), Number(q['endTime']), q['idLessThan']])).toEqual([
      [start, end, undefined],
      [start, mid, undefined],
      [start, mid, '1'],
      [mid, end, undefined],
      [mid, end, '9'],
    ]);
  });

  it('a page that hands back the cursor it was given is an error, never a silent stop', async () => {
    const { client } = testClient();
    api()
      .get(PATH)
      .query(true)
      .reply(200, envelope([row('5', 1)]));
    api()
      .get(PATH)
      .query(true)
      .reply(200, envelope([row('5', 1)]));
    await expect(
      fetchDatasetWindow(
        client,
        { endpoint: 'taxFutureRecords', productType: 'USDT-FUTURES' },
        { startTime: 0, endTime: DAY_MS },
      ),
    ).rejects.toBeInstanceOf(DatasetPaginationStalledError);
  });
});
