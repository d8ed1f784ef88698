import { InvalidRequestError } from './errors';
import { parseExtractionRequest } from './request';

describe('parseExtractionRequest', () => {
  it('fills defaults: every market and kind, ascending, all three data sets', () => {
    expect(parseExtractionRequest({})).toEqual({
      markets: ['spot', 'usdt-futures', 'usdc-futures', 'coin-futures'],
      kinds: ['normal', 'tpsl', 'plan'],
      order: 'asc',
      datasets: ['orders', 'fills', 'ledger'],
    });
  });
  it('keeps the data sets asked for, in their canonical order, once each', () => {
    expect(parseExtractionRequest({ datasets: ['ledger', 'orders', 'ledger'] }).datasets).toEqual([
      'orders',
      'ledger',
    ]);
  });
  it('names an unknown data set in its error', () => {
    expect(() => parseExtractionRequest({ datasets: ['fills', 'trades'] })).toThrow(
      /datasets\.1 names an unknown data set "trades" \(the data sets are orders, fills, ledger\)/,
    );
  });
  it('normalises symbols to upper case without v1 suffix, deduplicated', () => {
    expect(parseExtractionRequest({ symbols: ['btcusdt', 'BTCUSDT_UMCBL', 'ETHUSDT'] }).symbols).toEqual([
      'BTCUSDT',
      'ETHUSDT',
    ]);
  });
  it('keeps per-stream starts, in one order', () => {
    const r = parseExtractionRequest({
      since: 1_800_000_000_000,
      streamSince: { 'usdt-futures/plan': 1_800_000_000_000, 'spot/normal': 1_850_000_000_000 },
    });
    expect(JSON.stringify(r.streamSince)).toBe(
      '{"spot/normal":1850000000000,"usdt-futures/plan":1800000000000}',
    );
  });
  it.each([
    [{ markets: ['options'] }, 'markets.0'],
    [{ kinds: [] }, 'kinds'],
    [{ symbols: ['BTC/USDT'] }, 'symbols.0'],
    [{ since: 2_000_000_000_000, until: 1_900_000_000_000 }, 'since'],
    [{ since: 1.5 }, 'since'],
    [{ order: 'sideways' }, 'order'],
    [{ datasets: [] }, 'datasets'],
    [{ taxSpanDays: 0 }, 'taxSpanDays'],
    [{ unknownField: 1 }, '(request)'],
    [{ streamSince: { 'spot/grid': 1_900_000_000_000 } }, 'streamSince.spot/grid'],
    [
      { markets: ['spot'], streamSince: { 'usdt-futures/plan': 1_900_000_000_000 } },
      'streamSince.usdt-futures/plan',
    ],
    [{ until: 1_900_000_000_000, streamSince: { 'spot/plan': 1_900_000_000_000 } }, 'streamSince.spot/plan'],
    [{ streamSince: { 'spot/plan': 12 } }, 'streamSince.spot/plan'],
  ])('rejects %j naming %s', (input, path) => {
    try {
      parseExtractionRequest(input);
      throw new Error('expected a rejection');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidRequestError);
      expect((e as InvalidRequestError).issues.map((i) => i.path)).toContain(path);
    }
  });
});
