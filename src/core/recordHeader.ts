/**
 * The fields of a canonical record line (an order, fill or ledger entry as the product writes it) before its
 * `raw`. `raw`, the exchange's row, is written last and holds most of the bytes; the keys before it have string,
 * number, boolean or null values, in which an unescaped `,"raw":` cannot occur, so the first one is the
 * top-level key. Readers that need only the canonical fields (the merge's key, the report's figures, the
 * accounting of orders and ledger entries) decode and parse those bytes alone, several times faster than the
 * whole line. The bytes are searched: UTF-8 never puts an ASCII byte inside a multi-byte character.
 */
const RAW_KEY = Buffer.from(',"raw":');
const CLOSING_BRACE = 0x7d;

/** The line's text before `raw`, closed as a JSON object; a line without it, whole. */
export function headerText(line: Buffer): string {
  const at = line.indexOf(RAW_KEY);
  return at > 0 && line[line.length - 1] === CLOSING_BRACE
    ? `${line.toString('utf8', 0, at)}}`
    : line.toString('utf8');
}

/**
 * The records of a result file the product wrote, without their `raw`, from its lines as bytes
 * (RunStore.readByteLineBatches). The file's records were validated when they were written: read back as they
 * were written, `T` being the record type without `raw`.
 */
export async function* recordsWithoutRaw<T>(lineBatches: AsyncIterable<Buffer[]>): AsyncGenerator<T> {
  for await (const lines of lineBatches) {
    for (const line of lines) yield JSON.parse(headerText(line)) as T;
  }
}

/**
 * The whole records of a file the product wrote (canonical records, validated when written), from its lines
 * (RunStore.readLines): read back as they were written. Blank lines are skipped.
 */
export async function* wholeRecords<T>(lines: AsyncIterable<string>): AsyncGenerator<T> {
  for await (const line of lines) if (line !== '') yield JSON.parse(line) as T;
}
