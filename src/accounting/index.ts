/** Accounting over the canonical records: reconciliation, totals, and the rows tax tools import. */
export { reconcile, orderTraded, LISTED_PER_CLASS, type Reconciliation, type Records } from './reconcile';
export type {
  DiscrepancyClass,
  FeeEntryWithoutFill,
  FeeMismatch,
  FillWithoutOrder,
  OrderWithoutFills,
  SizeMismatch,
} from './reconcile';
export { summariseAccounting, type AccountingSources, type AccountingSummary } from './summary';
export { computeTotals, type Totals, type Funding, type SymbolProfit, type SymbolVolume } from './totals';
export { FillFees, ledgerAccountOfFill } from './feeMatch';
export { parseFillLine, parseLedgerLine, RecordLineError } from './recordLines';
export { fillTaxEvents, ledgerTaxEvents, newLedgerExportTally, type LedgerExportTally } from './taxExport';
export { settleCoin, spotCoins, UnknownSymbolError } from './coins';
export { fillEvents, ledgerEvent, type LedgerSkip, type TaxEvent, type TaxEventKind } from './taxEvents';
export { KOINLY_COLUMNS, koinlyDate, koinlyRow, type KoinlyRow } from './koinly';
export {
  COINTRACKING_COLUMNS,
  coinTrackingDate,
  coinTrackingRow,
  type CoinTrackingRow,
} from './coinTracking';
