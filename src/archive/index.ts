/** The archive: every record any sync fetched, per account, kept for years after Bitget stops serving it. */
export { ArchiveStore, type BeforeWrite, type WritePoint } from './ArchiveStore';
export { ORDERS, FILLS, LEDGER, DATASETS, monthOf, type DatasetName, type DatasetSpec } from './dataset';
export { archiveKeys, ARCHIVE_PREFIX } from './layout';
export { manifestSchema, type Gap, type Manifest, type PartitionEntry, type Span } from './manifest';
export {
  archiveStatus,
  archiveStatusWithTotals,
  archiveTotals,
  archivedAccounts,
  openArchive,
  readRecords,
} from './reader';
export type { ArchiveStatus, DatasetStatus, TimeSlice } from './reader';
export { endpointStream, fillStream, isTaxStream, ledgerStream } from './coverage';
export {
  mergeDataset,
  stageDataset,
  type CoveredStream,
  type DatasetMergeInput,
  type DatasetMergeReport,
} from './mergeDataset';
export type { MergeConflict } from './merge';
export {
  runSync,
  type ExtractionOutcome,
  type SyncDeps,
  type SyncOptions,
  type SyncReport,
  type SyncStageDeps,
} from './sync';
export { prepareSync, type PreparedSync } from './prepareSync';
export { commitSync } from './commitSync';
export {
  ArchiveError,
  ArchiveNotFoundError,
  ArchiveRecordError,
  SyncAlreadyCommittedError,
  SyncContextMissingError,
  SyncIncompleteError,
  SyncStaleError,
} from './errors';
