import { text } from 'node:stream/consumers';
import { UnknownInfileError } from './errors';
import { INFILE_CHUNK_BYTES, infileStreamFactory, rowsToTsv, withInfile } from './localInfile';
import { orderToRow } from './orderRecord';

describe('LOAD DATA LOCAL INFILE payloads', () => {
  it('refuses a file the server asks for that the import did not register (no file is ever read)', async () => {
    await expect(text(infileStreamFactory('/etc/passwd'))).rejects.toThrow(UnknownInfileError);
  });

  it('serves a registered payload only while its load runs', async () => {
    let name = '';
    const served = await withInfile('a\tb\n', async (n) => {
      name = n;
      return text(infileStreamFactory(n));
    });
    expect(served).toBe('a\tb\n');
    await expect(text(infileStreamFactory(name))).rejects.toThrow(UnknownInfileError);
  });

  it('serves a payload in chunks of at most INFILE_CHUNK_BYTES, each one packet to the server, bytes intact', async () => {
    const payload = 'é\t'.repeat(INFILE_CHUNK_BYTES) + 'end\n';
    const chunks = await withInfile(payload, async (n) => {
      const got: Buffer[] = [];
      for await (const chunk of infileStreamFactory(n)) got.push(chunk as Buffer);
      return got;
    });
    expect(chunks.length).toBe(Math.ceil(Buffer.byteLength(payload) / INFILE_CHUNK_BYTES));
    expect(chunks.every((c) => c.length <= INFILE_CHUNK_BYTES)).toBe(true);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(payload);
  });

  it('writes one tab-separated line per row, \\N for NULL, with tabs, newlines and backslashes escaped', () => {
    const row = orderToRow(
      'arn:x',
      {
        orderId: '1',
        clientOid: null,
        market: 'spot',
        kind: 'normal',
        symbol: 'BTCUSDT',
        side: 'buy',
        orderType: 'a\tb\nc\\N',
        status: 'filled',
        price: '1',
        size: '2',
        priceAvg: null,
        baseVolume: null,
        quoteVolume: null,
        fee: null,
        feeCoin: null,
        leverage: null,
        marginMode: null,
        posSide: null,
        tradeSide: null,
        reduceOnly: true,
        cTime: 5,
        uTime: null,
        raw: { k: 'v' },
      },
      9,
    );
    const [line, rest] = rowsToTsv([row]).split('\n');
    expect(rest).toBe('');
    const fields = line!.split('\t');
    expect(fields).toHaveLength(25);
    expect(fields.slice(0, 9)).toEqual([
      'arn:x',
      '1',
      '\\N',
      'spot',
      'normal',
      'BTCUSDT',
      'buy',
      'a\\tb\\nc\\\\N',
      'filled',
    ]);
    expect(fields.slice(20)).toEqual(['1', '5', '\\N', '{"k":"v"}', '9']);
  });
});
