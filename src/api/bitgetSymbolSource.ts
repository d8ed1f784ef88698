import type { BitgetClient } from '../bitget/BitgetClient';
import type { SymbolSource } from './symbols';

/** The API's symbol lists, from Bitget's public endpoints through the product's client (no keys needed). */
export function bitgetSymbolSource(client: BitgetClient): SymbolSource {
  return {
    spotSymbols: async () =>
      (await client.getSpotSymbols()).map((s) => ({ symbol: s.symbol, status: s.status ?? 'unknown' })),
    futuresContracts: async (productType) =>
      (await client.getFuturesContracts(productType)).map((c) => ({
        symbol: c.symbol,
        status: c.symbolStatus ?? 'unknown',
      })),
  };
}
