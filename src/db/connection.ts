import { closeSync, chmodSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, MysqlDialect, SqliteDialect, sql } from 'kysely';
import type { SqliteDatabase } from 'kysely';
import { createPool } from 'mysql2';
import type { PoolOptions } from 'mysql2';
import { InsecureDatabaseUrlError, MigrationFailedError, UnsupportedDatabaseUrlError } from './errors';
import { Migrator } from './kyselyMigration';
import { infileStreamFactory } from './localInfile';
import { InCodeMigrationProvider } from './migrations';
import type { DatabaseKind, Tables } from './schema';

/** The embedded default: one SQLite file under .data/. */
export const DEFAULT_DATABASE_URL = 'sqlite:.data/bitget-orders.sqlite';

/** An open database: the Kysely instance and what it runs on. */
export interface Database {
  readonly db: Kysely<Tables>;
  readonly kind: DatabaseKind;
  /** The URL without its password, safe to show. */
  readonly displayUrl: string;
  /** True when a trivial query succeeds. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /** Run the in-code migrations to the latest version (default true). */
  migrate?: boolean;
  /** MySQL pool size (default 10). */
  poolSize?: number;
}

/** Opens `sqlite:<path>` (WAL mode; `sqlite::memory:` for a throwaway) or `mysql://…` (a pool), migrated. */
export async function createDatabase(
  url: string = DEFAULT_DATABASE_URL,
  options: CreateDatabaseOptions = {},
): Promise<Database> {
  const displayUrl = redactDatabaseUrl(url);
  let database: Database;
  if (url.startsWith('sqlite:'))
    database = openSqlite(url.slice('sqlite:'.length).replace(/^\/\//, ''), displayUrl);
  else if (url.startsWith('mysql://')) database = openMysql(url, displayUrl, options.poolSize ?? 10);
  else throw new UnsupportedDatabaseUrlError(displayUrl);
  if (options.migrate ?? true) {
    try {
      await migrateToLatest(database);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

export async function migrateToLatest(database: Database): Promise<void> {
  const migrator = new Migrator({ db: database.db, provider: new InCodeMigrationProvider(database.kind) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new MigrationFailedError(`migration ${failed?.migrationName ?? ''} failed: ${reason}`, {
      cause: error,
    });
  }
}

/** `mysql://user:secret@host/db` → `mysql://user@host/db`. */
export function redactDatabaseUrl(url: string): string {
  if (!url.startsWith('mysql://')) return url.startsWith('sqlite:') ? url : '(unrecognised URL)';
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'mysql://(unparseable URL)';
  }
}

function openSqlite(path: string, displayUrl: string): Database {
  if (path === '') throw new UnsupportedDatabaseUrlError(displayUrl);
  if (path !== ':memory:') createPrivateFile(path);
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withPreparedWrites(sqlite) }) });
  return wrap(db, 'sqlite', displayUrl);
}

/**
 * better-sqlite3 as Kysely sees it, with write statements kept prepared: Kysely prepares every query it runs,
 * and an import runs the same 1000-row INSERT text batch after batch (preparing it again was 5.5 % of an
 * import's CPU in a profile of 50 000 orders). Only statements that return no rows are reused: a reader may still be iterating a
 * streamed query when the same text runs again.
 */
function withPreparedWrites(sqlite: BetterSqlite3.Database, capacity = 32): SqliteDatabase {
  const writes = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const kept = writes.get(text);
      if (kept) return kept;
      const statement = sqlite.prepare(text);
      if (!statement.reader) {
        if (writes.size >= capacity) writes.delete(writes.keys().next().value as string);
        writes.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * The database file holds every order of the account: its directory is created 0700 and the file 0600 before
 * SQLite opens it (SQLite gives its -wal and -shm files the database file's permissions). An existing file keeps
 * the permissions its owner gave it.
 */
function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (existsSync(path)) return;
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

/** How a MySQL URL's `ssl` parameter is spelled (`mysql://…/db?ssl=rds`). */
const SSL_MODES = {
  true: 'verify',
  required: 'verify',
  verify: 'verify',
  rds: 'rds',
  false: 'off',
  off: 'off',
} as const;
type SslMode = (typeof SSL_MODES)[keyof typeof SSL_MODES];

/** `localhost`, 127.0.0.0/8 and ::1: the only hosts a connection may reach without TLS. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '0:0:0:0:0:0:0:1' || h.startsWith('::ffff:127.');
}

/**
 * The pool options of a `mysql://` URL. TLS is required off loopback: with no `ssl` parameter a remote host gets
 * TLS verified against Node's CA store; `ssl=rds` verifies against the Amazon RDS CA bundle mysql2 ships;
 * `ssl=true` asks for TLS on loopback too; `ssl=false` is accepted on loopback only (the local MariaDB of the tests).
 */
export function mysqlPoolOptions(url: string, poolSize = 10): PoolOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsupportedDatabaseUrlError(redactDatabaseUrl(url));
  }
  const host = parsed.hostname;
  const loopback = isLoopbackHost(host);
  const requested = parsed.searchParams.get('ssl');
  parsed.searchParams.delete('ssl');
  let mode: SslMode;
  if (requested === null) mode = loopback ? 'off' : 'verify';
  else if (Object.hasOwn(SSL_MODES, requested.toLowerCase()))
    mode = SSL_MODES[requested.toLowerCase() as keyof typeof SSL_MODES];
  else
    throw new InsecureDatabaseUrlError(
      `unsupported ssl=${requested} in ${redactDatabaseUrl(url)}: use ssl=true, ssl=rds or (on loopback only) ssl=false`,
    );
  if (mode === 'off' && !loopback)
    throw new InsecureDatabaseUrlError(
      `${redactDatabaseUrl(url)} asks for a connection without TLS to ${host}: TLS is required off loopback`,
    );
  const ssl =
    mode === 'off'
      ? undefined
      : mode === 'rds'
        ? 'Amazon RDS'
        : { rejectUnauthorized: true, minVersion: 'TLSv1.2' as const };
  return {
    uri: parsed.toString(),
    connectionLimit: poolSize,
    charset: 'utf8mb4',
    // The import's LOAD DATA LOCAL INFILE reads payloads held in memory, never a file (see localInfile.ts).
    infileStreamFactory,
    ssl,
  };
}

function openMysql(url: string, displayUrl: string, poolSize: number): Database {
  const pool = createPool(mysqlPoolOptions(url, poolSize));
  const db = new Kysely<Tables>({ dialect: new MysqlDialect({ pool }) });
  return wrap(db, 'mysql', displayUrl);
}

function wrap(db: Kysely<Tables>, kind: DatabaseKind, displayUrl: string): Database {
  let closed: Promise<void> | undefined;
  return {
    db,
    kind,
    displayUrl,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close() {
      closed ??= db.destroy();
      return closed;
    },
  };
}
