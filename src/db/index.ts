export { createDatabase, migrateToLatest, redactDatabaseUrl, DEFAULT_DATABASE_URL } from './connection';
export {
  DatabaseError,
  ImportFailedError,
  InsecureDatabaseUrlError,
  InvalidArchiveQueryError,
  InvalidOrderRecordError,
  InvalidPageError,
  LineTooLongError,
  MigrationFailedError,
  UnknownInfileError,
  UnsupportedDatabaseUrlError,
} from './errors';
export type { Database, CreateDatabaseOptions } from './connection';
export { IMPORT_STATUSES, LOG_LEVELS } from './schema';
export type {
  DatabaseKind,
  Tables,
  ExecutionResultsTable,
  OrdersTable,
  ProcessingLogsTable,
  ImportStatus,
  LogLevel,
} from './schema';
export {
  recordExecution,
  factsFromDescription,
  getExecution,
  listExecutions,
  countExecutions,
  listRunningExecutions,
  addProcessingLog,
  listProcessingLogs,
} from './executions';
export type { ExecutionRecord, ExecutionFacts, ProcessingLog } from './executions';
export { listOrders, listStoredOrders, countOrders, countSymbols, MAX_PAGE_SIZE } from './orders';
export type { OrdersPage, StoredOrder, StoredOrdersPage } from './orders';
export {
  canonicalOrderSchema,
  parseCanonicalOrder,
  parseOrderLine,
  orderToRow,
  rowToOrder,
} from './orderRecord';
export type { OrderRow } from './orderRecord';
export { importRun, importRunRowByRow, importOrders } from './import';
export type { ImportableRun, ImportOptions, ImportOutcome } from './import';
export { lineBatchesWithOffsets } from './lines';
export type { OffsetLine } from './lines';
