import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createDatabase } from '../../../src/db';
import type { Database, DatabaseKind } from '../../../src/db';

export const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** A fresh, migrated database of one kind, and how to throw it away. */
export interface TestDatabase {
  kind: DatabaseKind;
  url: string;
  database: Database;
  dispose(): Promise<void>;
}

/** A new SQLite file in a temporary directory. */
export async function sqliteTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'bitget-orders-db-'));
  const url = `sqlite:${join(dir, 'test.sqlite')}`;
  const database = await createDatabase(url);
  return {
    kind: 'sqlite',
    url,
    database,
    async dispose() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new MySQL database named bitget_orders_test_<random> (jest runs files in parallel), dropped on dispose. */
export async function mysqlTestDatabase(): Promise<TestDatabase> {
  const name = `bitget_orders_test_${randomBytes(6).toString('hex')}`;
  const admin = await createConnection(MYSQL_URL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await admin.end();
  const url = new URL(MYSQL_URL);
  url.pathname = `/${name}`;
  const database = await createDatabase(url.toString(), { poolSize: 4 });
  return {
    kind: 'mysql',
    url: url.toString(),
    database,
    async dispose() {
      await database.close();
      const conn = await createConnection(MYSQL_URL);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

export const DATABASE_KINDS: [DatabaseKind, () => Promise<TestDatabase>][] = [
  ['sqlite', sqliteTestDatabase],
  ['mysql', mysqlTestDatabase],
];
