/** The database module's errors: every one is a DatabaseError, its `name` says which. */
export class DatabaseError extends Error {
  override readonly name: string = 'DatabaseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class UnsupportedDatabaseUrlError extends DatabaseError {
  override readonly name = 'UnsupportedDatabaseUrlError';
  constructor(readonly displayUrl: string) {
    super(
      `unsupported database URL ${displayUrl}: use sqlite:<path> or mysql://user:password@host:port/database`,
    );
  }
}

export class InsecureDatabaseUrlError extends DatabaseError {
  override readonly name = 'InsecureDatabaseUrlError';
}

export class MigrationFailedError extends DatabaseError {
  override readonly name = 'MigrationFailedError';
}

/** The import did not complete: the execution is left `failed` (never `imported`) and may be retried. */
export class ImportFailedError extends DatabaseError {
  override readonly name = 'ImportFailedError';
  constructor(
    readonly executionArn: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class InvalidOrderRecordError extends DatabaseError {
  override readonly name = 'InvalidOrderRecordError';
  constructor(
    /** Where the record was: `line 12` or `orders[3]`. */
    readonly location: string,
    /** The offending field's path within the record, `/`-separated (`cTime`, `raw`). */
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${location}: ${field || '(record)'} ${rule}`);
  }
}

export class LineTooLongError extends DatabaseError {
  override readonly name = 'LineTooLongError';
}

export class InvalidPageError extends DatabaseError {
  override readonly name = 'InvalidPageError';
}

export class InvalidArchiveQueryError extends DatabaseError {
  override readonly name = 'InvalidArchiveQueryError';
}

/** The MySQL server asked for a LOCAL INFILE payload this process did not register (see localInfile.ts). */
export class UnknownInfileError extends DatabaseError {
  override readonly name = 'UnknownInfileError';
}

/** An archived fill or ledger entry that does not fit its table's columns: names the record and the field. */
export class InvalidArchiveRecordError extends DatabaseError {
  override readonly name = 'InvalidArchiveRecordError';
  constructor(
    /** Which record: `fills uid 123 BTCUSDT/456` … */
    readonly location: string,
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${location}: ${field || '(record)'} ${rule}`);
  }
}
