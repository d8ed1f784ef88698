/**
 * The databases' own bulk loaders on validated `orders` rows, the statements the import and the bench's anchor
 * share: MySQL `LOAD DATA LOCAL INFILE … IGNORE` of a TSV payload held in memory (localInfile.ts), SQLite
 * `INSERT OR IGNORE … SELECT … FROM json_each(?)` of a JSON array of rows. A row whose (execution_arn, order_id,
 * market) is already stored is skipped. Each returns the rows inserted.
 */
import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import { INFILE_COLUMNS, withInfile } from './localInfile';
import type { Tables } from './schema';

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
