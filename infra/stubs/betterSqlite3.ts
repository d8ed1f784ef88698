/**
 * Stands in for better-sqlite3 in Lambda bundles. SQLite is the laptop's database and better-sqlite3 is a native
 * module built for the build machine, not for Lambda: shared code may import it, and only using it fails.
 */
export default class BetterSqlite3Unavailable {
  constructor() {
    throw new Error('better-sqlite3 is not available in Lambda: use a mysql:// database URL');
  }
}
