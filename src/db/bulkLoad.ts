/**
 * Bulk writes of validated `orders` rows: MySQL's own loader, `LOAD DATA LOCAL INFILE … IGNORE` of a TSV payload
 * held in memory (localInfile.ts); SQLite's, `INSERT OR IGNORE … SELECT … FROM json_each(?)` of a JSON array of
 * rows (the bench's anchor); and multi-row INSERTs of bound parameters, the same statement text batch after batch
 * (kept prepared on SQLite, see connection.ts), which SQLite runs for less CPU than json_each. A row whose
 * (execution_arn, order_id, market) is already stored is skipped. Each returns the rows inserted.
 */
import { CompiledQuery, sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import { INFILE_COLUMNS, withInfile } from './localInfile';
import type { OrderValue } from './orderPayload';
import type { DatabaseKind, Tables } from './schema';

type Runner = Kysely<Tables> | Transaction<Tables>;

const COLUMNS = sql.join(INFILE_COLUMNS.map((c) => sql.id(c)));
const JSON_PICKS = sql.join(INFILE_COLUMNS.map((c) => sql`value ->> ${'$.' + c}`));

/** MySQL: one `LOAD DATA LOCAL INFILE` of the TSV (rowsToTsv) into `orders`. */
export async function loadTsvIntoOrders(db: Runner, tsv: string): Promise<number> {
  const result = await withInfile(tsv, (name) =>
    sql`LOAD DATA LOCAL INFILE ${name} IGNORE INTO TABLE orders CHARACTER SET utf8mb4 (${COLUMNS})`.execute(
      db,
    ),
  );
  return Number(result.numAffectedRows ?? 0n);
}

/** SQLite: one `INSERT OR IGNORE … SELECT … FROM json_each(?)` of a JSON array of rows into `orders`. */
export async function insertJsonIntoOrders(db: Runner, json: string): Promise<number> {
  const result =
    await sql`INSERT OR IGNORE INTO orders (${COLUMNS}) SELECT ${JSON_PICKS} FROM json_each(${json})`.execute(
      db,
    );
  return Number(result.numAffectedRows ?? 0n);
}

/** Rows per INSERT statement: 25 columns × 1000 stays under SQLite's 32 766 and MySQL's 65 535 parameters. */
export const INSERT_ROWS = 1000;

const insertTexts = new Map<string, string>();

/** `INSERT [OR] IGNORE INTO orders (…) VALUES (?, …), …` for `rows` rows, built once per dialect and size. */
function insertText(kind: DatabaseKind, rows: number): string {
  const key = `${kind}:${rows}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const quote = kind === 'mysql' ? (c: string) => `\`${c}\`` : (c: string) => `"${c}"`;
    const one = `(${INFILE_COLUMNS.map(() => '?').join(', ')})`;
    text = `${kind === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE'} INTO orders (${INFILE_COLUMNS.map(quote).join(', ')}) VALUES ${Array.from({ length: rows }, () => one).join(', ')}`;
    insertTexts.set(key, text);
  }
  return text;
}

/** Multi-row INSERTs of the rows' values (INFILE_COLUMNS order, flat), INSERT_ROWS rows per statement. */
export async function insertValuesIntoOrders(
  db: Runner,
  kind: DatabaseKind,
  values: readonly OrderValue[],
): Promise<number> {
  const width = INFILE_COLUMNS.length;
  let inserted = 0;
  for (let i = 0; i < values.length; i += INSERT_ROWS * width) {
    const chunk = values.slice(i, i + INSERT_ROWS * width);
    const result = await db.executeQuery(CompiledQuery.raw(insertText(kind, chunk.length / width), chunk));
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}
