import { PassThrough } from 'node:stream';
import { streamBatchesToUploads } from './streamToUploads';
import type { StreamedUpload } from './streamToUploads';

/** An upload that keeps what is written to it. */
function memoryUpload(): StreamedUpload & { bytes(): Buffer } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  const upload = {
    stream,
    done: () => new Promise<void>((resolve) => stream.on('end', resolve)),
    bytes: () => Buffer.concat(chunks),
  };
  stream.on('data', (c: Buffer) => chunks.push(c));
  return upload;
}

async function* batches<T>(...bs: T[][]): AsyncGenerator<T[]> {
  yield* bs;
}

describe('streamBatchesToUploads', () => {
  it('writes text and bytes alike, with the framing around them, to every upload', async () => {
    const a = memoryUpload();
    const b = memoryUpload();
    await streamBatchesToUploads(
      batches(['é1', 'x2'], [], ['€3']),
      [a, b],
      (batch) => [Buffer.from(batch.join('\n') + '\n'), batch.join(',')],
      { head: ['', '['], tail: ['', ']'] },
    );
    expect(a.bytes().toString('utf8')).toBe('é1\nx2\n€3\n');
    expect(b.bytes().toString('utf8')).toBe('[é1,x2€3]');
  });

  it('aborts every upload when rendering fails, and rethrows', async () => {
    const a = memoryUpload();
    const failure = new Error('bad batch');
    const destroyed = new Promise<Error>((resolve) => a.stream.on('error', resolve));
    await expect(
      streamBatchesToUploads(batches(['1'], ['2']), [{ ...a, done: async () => undefined }], (batch) => {
        if (batch[0] === '2') throw failure;
        return [Buffer.from(batch[0]!)];
      }),
    ).rejects.toBe(failure);
    await expect(destroyed).resolves.toBe(failure);
  });
});
