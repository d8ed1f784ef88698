import { createHmac } from 'node:crypto';
import { buildQueryString, preHashString, requestTarget, sign, signedHeaders } from './signing';

describe('the query string', () => {
  it('lists keys in sorted order and leaves out undefined and null values', () => {
    expect(
      buildQueryString({
        symbol: 'BTCUSDT',
        limit: 100,
        endTime: undefined,
        idLessThan: null,
        category: 'SPOT',
      }),
    ).toBe('category=SPOT&limit=100&symbol=BTCUSDT');
  });

  it('sends numbers as their decimal text and percent-encodes values', () => {
    expect(buildQueryString({ startTime: 1700000000000, note: 'a b&c' })).toBe(
      'note=a%20b%26c&startTime=1700000000000',
    );
  });

  it('joins path and query with "?" only when there is a query', () => {
    expect(requestTarget('/api/v2/public/time', '')).toBe('/api/v2/public/time');
    expect(requestTarget('/p', 'a=1')).toBe('/p?a=1');
  });
});

describe('the signature', () => {
  it('is base64(HMAC-SHA256(secret, timestamp + METHOD + path?query + body))', () => {
    const expected = createHmac('sha256', 'my-secret')
      .update('1700000000000GET/api/v2/spot/trade/history-orders?limit=100&symbol=BTCUSDT')
      .digest('base64');
    const pre = preHashString(
      '1700000000000',
      'get',
      '/api/v2/spot/trade/history-orders?limit=100&symbol=BTCUSDT',
      '',
    );
    expect(sign('my-secret', pre)).toBe(expected);
  });

  it('fills the four ACCESS headers', () => {
    const headers = signedHeaders({ apiKey: 'k', secretKey: 's', passphrase: 'p' }, '42', 'GET', '/x');
    expect(headers).toEqual({
      'ACCESS-KEY': 'k',
      'ACCESS-SIGN': createHmac('sha256', 's').update('42GET/x').digest('base64'),
      'ACCESS-TIMESTAMP': '42',
      'ACCESS-PASSPHRASE': 'p',
    });
  });
});
