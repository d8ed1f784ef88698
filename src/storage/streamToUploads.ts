import type { Writable } from 'node:stream';

/** A streamed upload (RunStore.createUpload): write to `stream`, end it, then await `done()`. */
export interface StreamedUpload {
  stream: Writable;
  done: () => Promise<void>;
}

/** Text written to each upload before the first item and after the last (e.g. a JSON array's brackets). */
export interface UploadFraming {
  head?: string[];
  tail?: string[];
}

/** Written per chunk: about 1 MiB, counted in characters of text or bytes of a buffer (the first upload's). */
const CHUNK_SIZE = 1 << 20;

/**
 * Streams items into several uploads at once, `render` giving one text per upload per item, batching writes
 * into chunks of about 1 MiB: one write, and one await, per chunk rather than per item, and memory bounded by
 * the chunk whatever the number of items. Backpressure is honoured; on any failure every upload is aborted.
 */
export async function streamToUploads<T>(
  items: AsyncIterable<T>,
  uploads: StreamedUpload[],
  render: (item: T) => string[],
  framing: UploadFraming = {},
): Promise<void> {
  async function* single() {
    for await (const item of items) yield [item];
  }
  await streamBatchesToUploads(
    single(),
    uploads,
    (batch) => {
      const texts = render(batch[0]!);
      return uploads.map((_, i) => texts[i] ?? '');
    },
    framing,
  );
}

/** What is written to one upload for a batch: text, or bytes written as they are (no encoding). */
export type UploadPiece = string | Buffer;

/**
 * streamToUploads for items that come in batches (mergeSortedBatches), `render` giving one piece per upload for
 * the whole batch: one string (a join) or one buffer (a concatenation of the lines' bytes) built per batch and
 * upload instead of one per item.
 */
export async function streamBatchesToUploads<T>(
  batches: AsyncIterable<T[]>,
  uploads: StreamedUpload[],
  render: (batch: T[]) => UploadPiece[],
  framing: UploadFraming = {},
): Promise<void> {
  const pending: UploadPiece[][] = uploads.map((_, i) => [framing.head?.[i] ?? '']);
  let pendingSize = 0;
  const flush = async () => {
    await Promise.all(uploads.map((u, i) => write(u.stream, joined(pending[i]!))));
    for (const pieces of pending) pieces.length = 0;
    pendingSize = 0;
  };
  try {
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      const pieces = render(batch);
      for (let i = 0; i < pending.length; i++) pending[i]!.push(pieces[i] ?? '');
      pendingSize += pieces[0]?.length ?? 0;
      if (pendingSize >= CHUNK_SIZE) await flush();
    }
    for (let i = 0; i < pending.length; i++) pending[i]!.push(framing.tail?.[i] ?? '');
    await flush();
    for (const u of uploads) u.stream.end();
  } catch (err) {
    for (const u of uploads) u.stream.destroy(err as Error);
    await Promise.allSettled(uploads.map((u) => u.done()));
    throw err;
  }
  await Promise.all(uploads.map((u) => u.done()));
}

/** The pieces as one chunk: a string when all are text, else bytes (text encoded as UTF-8). */
function joined(pieces: UploadPiece[]): UploadPiece {
  if (pieces.every((p) => typeof p === 'string')) return pieces.join('');
  const nonEmpty = pieces.filter((p) => p.length > 0);
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  return Buffer.concat(nonEmpty.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

function write(stream: Writable, chunk: UploadPiece): Promise<void> {
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      stream.off('drain', onDrain);
      reject(err);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
