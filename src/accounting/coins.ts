/**
 * The coins a canonical fill moves, which the record does not name: the base and quote of a spot symbol, the
 * settle coin of a futures symbol.
 */
import type { CanonicalFill } from '../core/fill';

export class UnknownSymbolError extends Error {
  override readonly name = 'UnknownSymbolError';
}

/**
 * Bitget's spot quote coins, longest first so that a suffix such as USDC is not read as ...C. Bitget's spot
 * symbols carry no separator and its fill rows no coin names, so the split needs this list.
 */
const SPOT_QUOTES = ['USDT', 'USDC', 'USDE', 'BUSD', 'BTC', 'ETH', 'BGB', 'EUR', 'BRL', 'TRY', 'DAI'].sort(
  (a, b) => b.length - a.length,
);

export function spotCoins(symbol: string): { base: string; quote: string } {
  for (const quote of SPOT_QUOTES) {
    if (symbol.length > quote.length && symbol.endsWith(quote))
      return { base: symbol.slice(0, -quote.length), quote };
  }
  throw new UnknownSymbolError(
    `cannot tell the base and quote coins of spot symbol ${JSON.stringify(symbol)} (known quote coins: ${SPOT_QUOTES.join(', ')})`,
  );
}

/** The coin a futures fill's profit and loss is settled in: USDT, USDC, or the base coin of a coin-margined symbol. */
export function settleCoin(fill: Pick<CanonicalFill, 'market' | 'symbol'>): string {
  switch (fill.market) {
    case 'usdt-futures':
      return 'USDT';
    case 'usdc-futures':
      return 'USDC';
    case 'coin-futures': {
      // BTCUSD, and delivery contracts such as BTCUSDZ25 or BTCUSD_251226
      const m = /^([A-Z0-9]+?)USD(?:_?\w*)?$/.exec(fill.symbol);
      if (m?.[1]) return m[1];
      throw new UnknownSymbolError(
        `cannot tell the settle coin of coin-futures symbol ${JSON.stringify(fill.symbol)}`,
      );
    }
    case 'spot':
      throw new UnknownSymbolError(`a spot fill has no settle coin (${fill.symbol})`);
  }
}
