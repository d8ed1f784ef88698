import { headerText, recordsWithoutRaw } from './recordHeader';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('the fields of a record line before raw', () => {
  it('cuts at the top-level raw, whatever raw holds, multi-byte characters included', () => {
    const line = bytes({
      orderId: '7',
      clientOid: 'ç€😀',
      cTime: 5,
      raw: { raw: { ',"raw":': '}' }, note: 'x,"raw":{"cTime":1}' },
    });
    expect(JSON.parse(headerText(line))).toEqual({ orderId: '7', clientOid: 'ç€😀', cTime: 5 });
  });

  it('gives a line without raw, or not ending as an object, whole', () => {
    expect(headerText(bytes({ orderId: '1', cTime: 2 }))).toBe('{"orderId":"1","cTime":2}');
    expect(headerText(Buffer.from('{"a":1,"raw":{} '))).toBe('{"a":1,"raw":{} ');
  });

  it("reads a file's records without raw, batch after batch", async () => {
    async function* batches(): AsyncGenerator<Buffer[]> {
      yield [bytes({ billId: '1', amount: '-0.5', raw: { big: 'x'.repeat(100) } })];
      yield [];
      yield [bytes({ billId: '2', amount: '3', raw: {} }), bytes({ billId: '3', amount: '1e-8' })];
    }
    const out: unknown[] = [];
    for await (const r of recordsWithoutRaw(batches())) out.push(r);
    expect(out).toEqual([
      { billId: '1', amount: '-0.5' },
      { billId: '2', amount: '3' },
      { billId: '3', amount: '1e-8' },
    ]);
  });
});
