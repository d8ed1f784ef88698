/** The base of the archive's errors; `cause` keeps the error that led to it. */
export class ArchiveError extends Error {
  override readonly name: string = 'ArchiveError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A stored record line that is not the record it should be: the archive is never read past it. */
export class ArchiveRecordError extends ArchiveError {
  override readonly name = 'ArchiveRecordError';
}

/** No archive for the account asked for (or none at all yet). */
export class ArchiveNotFoundError extends ArchiveError {
  override readonly name = 'ArchiveNotFoundError';
}

/** The sync's extraction run did not finish: the archive keeps what it had, the run can be resumed. */
export class SyncIncompleteError extends ArchiveError {
  override readonly name = 'SyncIncompleteError';
  constructor(
    message: string,
    readonly runId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The commit stage of a sync found no context saved by its prepare stage. */
export class SyncContextMissingError extends ArchiveError {
  override readonly name = 'SyncContextMissingError';
}

/** The archive moved (another sync committed) between a sync's prepare and commit stages: its run is not merged. */
export class SyncStaleError extends ArchiveError {
  override readonly name = 'SyncStaleError';
}

/** The commit stage of this run already wrote its manifest (a retried commit): nothing is merged twice. */
export class SyncAlreadyCommittedError extends ArchiveError {
  override readonly name = 'SyncAlreadyCommittedError';
}
