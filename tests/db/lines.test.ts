import { lineBatchesWithOffsets, LineTooLongError } from '../../src/db';

async function collect(chunks: (string | Buffer)[], start = 0) {
  const out = [];
  async function* source() {
    yield* chunks;
  }
  for await (const lines of lineBatchesWithOffsets(source(), start)) out.push(...lines);
  return out;
}

describe('lineBatchesWithOffsets', () => {
  it('splits lines across chunks and reports the byte offset after each newline', async () => {
    const lines = await collect(['{"a":1}\n{"b"', ':2}\r\n', 'last']);
    expect(lines).toEqual([
      { text: '{"a":1}', number: 1, end: 8 },
      { text: '{"b":2}', number: 2, end: 17 },
      { text: 'last', number: 3, end: 21 },
    ]);
  });

  it('never cuts a multi-byte character split between chunks', async () => {
    const bytes = Buffer.from('é€\n');
    const lines = await collect([bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4)], 100);
    expect(lines).toEqual([{ text: 'é€', number: 1, end: 106 }]);
  });

  it('refuses a line longer than the limit instead of buffering it', async () => {
    async function* endless() {
      for (;;) yield Buffer.alloc(1024 * 1024, 'x');
    }
    const iterate = async () => {
      for await (const _ of lineBatchesWithOffsets(endless(), 0, 2 * 1024 * 1024)) void _;
    };
    await expect(iterate()).rejects.toThrow(LineTooLongError);
  });

  it('yields, per chunk, the lines that chunk completes (a line split across chunks with the chunk that ends it)', async () => {
    async function* source() {
      yield '{"a":1}\n{"b":2}\n{"c"';
      yield ':3}';
      yield '\n{"d":4}';
    }
    const batches = [];
    for await (const lines of lineBatchesWithOffsets(source()))
      batches.push(lines.map((l) => [l.text, l.end]));
    expect(batches).toEqual([
      [
        ['{"a":1}', 8],
        ['{"b":2}', 16],
      ],
      [['{"c":3}', 24]],
      [['{"d":4}', 31]],
    ]);
  });
});
