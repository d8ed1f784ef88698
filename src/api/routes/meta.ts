import type { FastifyInstance } from 'fastify';
import type { ProductType } from '../../core/order';
import type { ApiContext } from '../context';
import { SymbolSourceUnavailableError, UpstreamError } from '../errors';
import { infoSchema, rootSchema, symbolsSchema } from '../schemas';
import { FUTURES_PRODUCT_TYPES, summariseSymbols } from '../symbols';
import type { SymbolInfo } from '../symbols';
import { PRODUCT_NAME, VERSION } from '../version';
import { sendPage, wantsPage } from './web';

export function metaRoutes(app: FastifyInstance, ctx: ApiContext): void {
  // Browsers get the web page, clients asking for JSON (or anything) get the index below.
  app.get('/', { schema: rootSchema }, async (request, reply) => {
    if (wantsPage(request)) return sendPage(reply);
    return rootIndex();
  });

  const rootIndex = () => ({
    name: PRODUCT_NAME,
    version: VERSION,
    description:
      'Every order placed on Bitget (spot, TP/SL, plan, USDT-M/USDC-M/COIN-M futures), extracted by a Step Functions run, deduplicated, sorted by cTime, stored in S3 and in a SQL database.',
    links: {
      docs: '/docs',
      openapi: '/docs/json',
      health: '/health',
      info: '/info',
      symbols: '/symbols',
      extractOrders: 'POST /extract-orders',
      extractSingleSymbol: 'POST /extract-single-symbol/{symbol}',
      startOrders: 'POST /orders',
      executions: '/orders/list',
      page: '/ (Accept: text/html)',
      runEvents: '/runs/events',
    },
  });

  app.get('/info', { schema: infoSchema }, async () => ({
    name: PRODUCT_NAME,
    version: VERSION,
    engine: ctx.engineKind,
    database: ctx.deps.db.kind,
    bucket: ctx.deps.bucket,
    apiKeyRequired: ctx.deps.apiKey !== undefined,
    node: process.version,
    exchange: ctx.deps.exchange ?? null,
  }));

  app.get('/symbols', { schema: symbolsSchema }, async () => {
    const source = ctx.deps.symbols;
    try {
      const [spot, ...futures] = await Promise.all([
        source.spotSymbols(),
        ...FUTURES_PRODUCT_TYPES.map((t: ProductType) => source.futuresContracts(t)),
      ]);
      const futuresByType = Object.fromEntries(
        FUTURES_PRODUCT_TYPES.map((t, i) => [t, summariseSymbols(futures[i]!)]),
      );
      const spotSummary = summariseSymbols(spot);
      // The source system's flat list: every symbol of every product type, with the market it belongs to.
      const byMarket: [string, SymbolInfo[]][] = [
        ['spot', spot],
        ...FUTURES_PRODUCT_TYPES.map((t, i): [string, SymbolInfo[]] => [t.toLowerCase(), futures[i]!]),
      ];
      const symbols = byMarket.flatMap(([market, list]) =>
        list.map((s) => ({ symbol: s.symbol, product_type: market, status: s.status })),
      );
      return {
        spot: spotSummary,
        futures: futuresByType,
        summary: Object.fromEntries([
          ['spot', { total: spotSummary.total, byStatus: spotSummary.byStatus }],
          ...Object.entries(futuresByType).map(([t, s]) => [t, { total: s.total, byStatus: s.byStatus }]),
        ]),
        symbols,
        total_count: symbols.length,
        product_types_summary: Object.fromEntries(
          byMarket.map(([market, list]) => [market, { count: list.length }]),
        ),
      };
    } catch (error) {
      if (error instanceof SymbolSourceUnavailableError) throw new UpstreamError(error.message, 503);
      throw new UpstreamError('the symbol lists could not be fetched from Bitget');
    }
  });
}
