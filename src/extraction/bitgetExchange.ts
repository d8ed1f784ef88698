import type { BitgetClient } from '../bitget/BitgetClient';
import { fetchDatasetPage } from '../bitget/datasetPages';
import type { EndpointId } from '../bitget/endpoints';
import { normaliseOrder } from '../bitget/normalise';
import type { FetchedPage, PageQuery } from './cursor';
import type { ExchangePort } from './exchange';
import { isOrderSource } from './sources';

/** The extraction's view of Bitget, over the product's client (signing, limits, retries, validation). */
export function bitgetExchange(client: BitgetClient): ExchangePort {
  const fetchPage = async (q: PageQuery): Promise<FetchedPage> => {
    const s = q.source;
    if (!isOrderSource(s)) {
      // Fills, bills and tax records: the rows are deduplicated by the merge, so no `seen` set is kept here.
      const page = await fetchDatasetPage(client, { ...q, source: s });
      return { records: page.records, next: page.next };
    }
    const range = { startTime: q.startTime, endTime: q.endTime, limit: q.limit };
    const symbol = s.symbol !== undefined ? { symbol: s.symbol } : {};
    const idLessThan = q.next !== null ? { idLessThan: q.next } : {};
    const cursor = q.next !== null ? { cursor: q.next } : {};
    let page: { rows: unknown[]; next: string | null };
    switch (s.endpoint) {
      case 'spotHistoryOrders':
        page = await client.getSpotHistoryOrders({
          ...range,
          ...symbol,
          ...idLessThan,
          tpslType: s.tpslType,
        });
        break;
      case 'spotPlanHistory':
        page = await client.getSpotPlanHistory({ ...range, symbol: s.symbol, ...idLessThan });
        break;
      case 'futuresHistoryOrders':
        page = await client.getFuturesHistoryOrders({
          ...range,
          ...symbol,
          ...idLessThan,
          productType: s.productType,
        });
        break;
      case 'futuresPlanHistory':
        page = await client.getFuturesPlanHistory({
          ...range,
          ...symbol,
          ...idLessThan,
          productType: s.productType,
          planType: s.planType,
        });
        break;
      case 'utaHistoryOrders':
        page = await client.getUtaHistoryOrders({ ...range, ...symbol, ...cursor, category: s.category });
        break;
      case 'utaStrategyHistory':
        page = await client.getUtaStrategyHistory({ ...range, ...symbol, ...cursor, category: s.category });
        break;
    }
    return { records: page.rows.map((row) => normaliseOrder(s, row)), next: page.next };
  };

  return {
    serverTime: () => client.getServerTime(),
    serverNow: () => client.serverNow(),
    accountMode: () => client.getAccountMode(),
    spotSymbols: async () => (await client.getSpotSymbols()).map((s) => s.symbol),
    fetchPage,
    rateLimit: (endpoint: EndpointId) => client.rateLimit(endpoint),
    endpointStats: (endpoint: EndpointId) => {
      const stats = client.stats();
      return {
        requests: stats.requests[endpoint] ?? 0,
        retries: stats.retriesByEndpoint[endpoint] ?? 0,
        http429: stats.http429ByEndpoint[endpoint] ?? 0,
      };
    },
  };
}
