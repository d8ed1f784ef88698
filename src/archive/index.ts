/** The archive: every record any sync fetched, per account, kept for years after Bitget stops serving it. */
export { ArchiveStore, type BeforeWrite, type WritePoint } from './ArchiveStore';
export { ORDERS, DATASETS, monthOf, type DatasetName, type DatasetSpec } from './dataset';
export { archiveKeys, ARCHIVE_PREFIX } from './layout';
export { manifestSchema, type Gap, type Manifest, type PartitionEntry, type Span } from './manifest';
export { archiveStatus, archivedAccounts, openArchive, readRecords } from './reader';
export type { ArchiveStatus, TimeSlice } from './reader';
export { runSync, type SyncDeps, type SyncOptions, type SyncReport } from './sync';
export { ArchiveError, ArchiveNotFoundError, ArchiveRecordError, SyncIncompleteError } from './errors';
