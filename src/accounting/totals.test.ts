import { aFill, aLedgerEntry } from '../../tests/helpers/canonicalRecords';
import { computeTotals } from './totals';

describe('computeTotals', () => {
  it('sums fees per coin over every fee coin of every fill, in decimals', async () => {
    const t = await computeTotals({
      fills: [
        aFill({ fees: [{ fee: '0.1', feeCoin: 'USDT' }] }),
        aFill({
          tradeId: '2',
          fees: [
            { fee: '0.2', feeCoin: 'USDT' },
            { fee: '0.05', feeCoin: 'BGB' },
          ],
        }),
        aFill({ tradeId: '3', fees: [] }),
      ],
      ledger: [],
    });
    expect(t.feesPaid).toEqual({ BGB: '0.05', USDT: '0.3' });
  });

  it('sums base and quote volume per market and symbol', async () => {
    const t = await computeTotals({
      fills: [
        aFill({ size: '0.01', quoteVolume: '500' }),
        aFill({ tradeId: '2', size: '0.02', quoteVolume: '1000.5' }),
        aFill({ tradeId: '3', market: 'usdt-futures', size: '1', quoteVolume: '50000', profit: '0' }),
      ],
      ledger: [],
    });
    expect(t.volume).toEqual({
      spot: { BTCUSDT: { fills: 2, base: '0.03', quote: '1500.5' } },
      'usdt-futures': { BTCUSDT: { fills: 1, base: '1', quote: '50000' } },
    });
  });

  it('sums realised profit per futures symbol and per settle coin, never adding USDT to BTC', async () => {
    const t = await computeTotals({
      fills: [
        aFill({ market: 'usdt-futures', symbol: 'BTCUSDT', profit: '12.5' }),
        aFill({ tradeId: '2', market: 'usdt-futures', symbol: 'ETHUSDT', profit: '-2.25' }),
        aFill({ tradeId: '3', market: 'coin-futures', symbol: 'BTCUSD', profit: '0.001' }),
        aFill({ tradeId: '4', market: 'usdc-futures', symbol: 'BTCPERP', profit: '3' }),
        // spot carries no profit
        aFill({ tradeId: '5' }),
      ],
      ledger: [],
    });
    expect(t.realisedPnl).toEqual({
      bySymbol: {
        'coin-futures': { BTCUSD: { settleCoin: 'BTC', profit: '0.001' } },
        'usdc-futures': { BTCPERP: { settleCoin: 'USDC', profit: '3' } },
        'usdt-futures': {
          BTCUSDT: { settleCoin: 'USDT', profit: '12.5' },
          ETHUSDT: { settleCoin: 'USDT', profit: '-2.25' },
        },
      },
      total: { BTC: '0.001', USDC: '3', USDT: '10.25' },
    });
  });

  it('sums funding paid and received per coin, the bills and the tax records apart', async () => {
    const funding = { type: 'funding' as const, account: 'usdt-futures' as const, coin: 'USDT' };
    const t = await computeTotals({
      fills: [],
      ledger: [
        aLedgerEntry({ ...funding, billId: '1', amount: '-0.3' }),
        aLedgerEntry({ ...funding, billId: '2', amount: '0.1' }),
        aLedgerEntry({ ...funding, billId: '3', amount: '-0.4' }),
        aLedgerEntry({ ...funding, billId: '4', amount: '-0.3', source: 'tax' }),
        aLedgerEntry({ billId: '5', type: 'fee', amount: '-9' }),
      ],
    });
    expect(t.funding).toEqual({
      bills: { USDT: { paid: '0.7', received: '0.1', net: '-0.6' } },
      tax: { USDT: { paid: '0.3', received: '0', net: '-0.3' } },
    });
  });

  it('keeps every digit of a long sum (decimal.js would round to 20 digits by default)', async () => {
    const t = await computeTotals({
      fills: [aFill({ size: '123456789.123456789012' }), aFill({ tradeId: '2', size: '0.000000000001' })],
      ledger: [],
    });
    expect(t.volume['spot']?.['BTCUSDT']?.base).toBe('123456789.123456789013');
  });

  it('is JSON-friendly: every amount a decimal string', async () => {
    const t = await computeTotals({ fills: [aFill({ size: '1e-8' })], ledger: [] });
    expect(JSON.parse(JSON.stringify(t)).volume.spot.BTCUSDT.base).toBe('0.00000001');
  });
});
