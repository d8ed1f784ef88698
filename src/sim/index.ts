/** The Bitget simulator: a Bitget-compatible HTTP server over a generated account, and its CLI. */
export { startSimulator, credentialsFor, DEFAULTS as SIMULATOR_DEFAULTS } from './server';
export { runSimCommand, type SimCommandIo } from './cli';
export { spreadFaultRate } from './faults';
export { TIMESTAMP_TOLERANCE_MS } from './auth';
export { ERRORS as SIM_ERRORS } from './errors';
export type {
  AccountMode,
  FaultKind,
  FaultOptions,
  HistoryHoldOptions,
  LatencySpec,
  RateLimitOverrides,
  RefusalReason,
  SimCredentials,
  SimStats,
  Simulator,
  SimulatorOptions,
  TruthCanonical,
  TruthRecord,
} from './types';
