import { LineTooLongError } from './errors';

/** One line of an NDJSON stream and the byte offset just past its newline (where the next line starts). */
export interface OffsetLine {
  text: string;
  /** 1-based line number counted from where the stream started. */
  number: number;
  end: number;
}

/**
 * Splits a byte stream into lines without holding more than one line (plus one chunk) in memory, tracking the
 * absolute byte offset so that a consumer can record "everything before byte N is done" and resume there.
 * Splitting happens on bytes, so multi-byte UTF-8 characters are never cut. Yields the lines each chunk
 * completes, as one array (one await per chunk, not per line: the import reads 200k lines in ~4k awaits).
 */
export async function* lineBatchesWithOffsets(
  chunks: AsyncIterable<Uint8Array | string>,
  startOffset = 0,
  maxLineBytes = 4 * 1024 * 1024,
): AsyncGenerator<OffsetLine[]> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let position = startOffset;
  let number = 0;
  const emit = (line: Buffer): OffsetLine => {
    number += 1;
    const text = line.toString('utf8');
    return { text: text.endsWith('\r') ? text.slice(0, -1) : text, number, end: position };
  };
  for await (const chunk of chunks) {
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: OffsetLine[] = [];
    let from = 0;
    for (let newline = bytes.indexOf(10, from); newline !== -1; newline = bytes.indexOf(10, from)) {
      const piece = bytes.subarray(from, newline);
      const line = pendingBytes > 0 ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      pendingBytes = 0;
      position += line.length + 1;
      from = newline + 1;
      lines.push(emit(line));
    }
    if (from < bytes.length) {
      pending.push(bytes.subarray(from));
      pendingBytes += bytes.length - from;
    }
    if (lines.length > 0) yield lines;
    if (pendingBytes > maxLineBytes) {
      throw new LineTooLongError(`line ${number + 1} is longer than ${maxLineBytes} bytes`);
    }
  }
  if (pendingBytes > 0) {
    const line = Buffer.concat(pending);
    position += line.length;
    yield [emit(line)];
  }
}
