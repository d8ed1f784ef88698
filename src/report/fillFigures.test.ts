import type { Totals } from '../accounting/totals';
import { fillFigures, fundingFigures, totalsSchema } from './fillFigures';

const totals: Totals = {
  feesPaid: { BNB: '0.001', USDT: '1.25' },
  volume: {
    spot: { BTCUSDT: { fills: 2, base: '0.5', quote: '30000.1' } },
    'usdt-futures': { ETHUSDT: { fills: 3, base: '4', quote: '12000.000000000000000001' } },
  },
  realisedPnl: {
    bySymbol: {
      'usdt-futures': {
        ETHUSDT: { settleCoin: 'USDT', profit: '-12.5' },
        SOLUSDT: { settleCoin: 'USDT', profit: '40.123456789012345678901' },
      },
      'coin-futures': { BTCUSD: { settleCoin: 'BTC', profit: '0.00012' } },
    },
    total: { BTC: '0.00012', USDT: '27.623456789012345678901' },
  },
  funding: {
    bills: { USDT: { paid: '3.1', received: '0.4', net: '-2.7' } },
    tax: {},
  },
};

describe('fillFigures', () => {
  it('groups realised PnL by settle coin, largest first, and never adds coins together', () => {
    const f = fillFigures(totals);
    expect(f.realisedPnl).toStrictEqual([
      {
        settleCoin: 'BTC',
        total: '0.00012',
        symbols: [{ symbol: 'BTCUSD', market: 'coin-futures', profit: '0.00012' }],
      },
      {
        settleCoin: 'USDT',
        total: '27.623456789012345678901',
        symbols: [
          { symbol: 'SOLUSDT', market: 'usdt-futures', profit: '40.123456789012345678901' },
          { symbol: 'ETHUSDT', market: 'usdt-futures', profit: '-12.5' },
        ],
      },
    ]);
  });

  it('orders fees and volume by their exact amounts, largest first', () => {
    const f = fillFigures(totals);
    expect(f.feesByCoin.map((x) => x.coin)).toEqual(['USDT', 'BNB']);
    expect(f.volumeBySymbol.map((v) => [v.symbol, v.market, v.quote, v.fills])).toEqual([
      ['BTCUSDT', 'spot', '30000.1', 2],
      ['ETHUSDT', 'usdt-futures', '12000.000000000000000001', 3],
    ]);
  });

  it('lists funding per source and coin, the bills before the tax records, never added together', () => {
    const both = {
      ...totals,
      funding: { ...totals.funding, tax: { USDT: { paid: '3.1', received: '0', net: '-3.1' } } },
    };
    expect(fundingFigures(both)).toStrictEqual([
      { source: 'bills', coin: 'USDT', paid: '3.1', received: '0.4', net: '-2.7' },
      { source: 'tax', coin: 'USDT', paid: '3.1', received: '0', net: '-3.1' },
    ]);
  });

  it('reads summary totals back only when every amount is a decimal string', () => {
    expect(totalsSchema.parse(totals)).toStrictEqual(totals);
    const bad = { ...totals, feesPaid: { USDT: 1.25 } };
    expect(() => totalsSchema.parse(bad)).toThrow(/feesPaid/);
  });
});
