import { settleCoin, spotCoins, UnknownSymbolError } from './coins';

describe('the coins of a symbol', () => {
  it('splits a spot symbol at its quote coin, the longest known one first', () => {
    expect(spotCoins('BTCUSDT')).toEqual({ base: 'BTC', quote: 'USDT' });
    expect(spotCoins('ETHBTC')).toEqual({ base: 'ETH', quote: 'BTC' });
    expect(spotCoins('BTCUSDC')).toEqual({ base: 'BTC', quote: 'USDC' });
  });

  it('refuses a spot symbol it cannot split, naming it', () => {
    expect(() => spotCoins('FOOXYZ')).toThrow(UnknownSymbolError);
    expect(() => spotCoins('FOOXYZ')).toThrow(/"FOOXYZ"/);
  });

  it('names the settle coin of each futures market', () => {
    expect(settleCoin({ market: 'usdt-futures', symbol: 'ETHUSDT' })).toBe('USDT');
    expect(settleCoin({ market: 'usdc-futures', symbol: 'ETHPERP' })).toBe('USDC');
    expect(settleCoin({ market: 'coin-futures', symbol: 'ETHUSD' })).toBe('ETH');
    expect(settleCoin({ market: 'coin-futures', symbol: 'BTCUSDZ25' })).toBe('BTC');
  });
});
