/** Public types of the Bitget simulator (what other parts of the product may rely on). */
import type { EndpointId, FuturesPlanType } from '../bitget/endpoints';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { Kind, Market } from '../core/order';

export type AccountMode = 'classic' | 'uta';

/** Log-normal latency given by its median and 99th percentile; a fixed delay; or any sampler in ms. */
export type LatencySpec = { medianMs: number; p99Ms?: number } | { fixedMs: number } | (() => number);

export interface FaultOptions {
  /** Added before every answer (success or error) of a Bitget endpoint. */
  latency?: LatencySpec;
  /** Share of requests answered with HTTP 500/502/503. */
  serverErrorRate?: number;
  /** Share of requests whose socket is destroyed without an answer (ECONNRESET / socket hang up). */
  resetRate?: number;
  /** Share of requests left unanswered for `timeoutMs`, after which the socket is destroyed. */
  timeoutRate?: number;
  /** How long a timed-out request hangs (default 20 000 ms). */
  timeoutMs?: number;
  /** Share of requests answered HTTP 200 with the real body cut in half (invalid JSON). */
  malformedRate?: number;
  /** Chance per request of starting a 429 storm (every request refused for `stormMs`). */
  stormRate?: number;
  /** Length of a storm started by `stormRate` (default 1 000 ms). */
  stormMs?: number;
  /** Start a storm now, lasting this many ms (handy with `setFaults`). */
  stormForMs?: number;
}

export interface HistoryHoldOptions {
  /** Default: every history endpoint. */
  endpoints?: readonly EndpointId[];
}

export type FaultKind = 'latency' | 'server_error' | 'reset' | 'timeout' | 'malformed' | 'storm';

export interface RateLimitOverrides {
  /** Requests per second per UID (private) or per IP (public), by endpoint. */
  perSecond?: Partial<Record<EndpointId, number>>;
  /** Requests per minute per IP over every endpoint (default IP_LIMIT_PER_MINUTE). */
  ipPerMinute?: number;
  /** How long an IP that crossed `ipPerMinute` is refused (default IP_BAN_MS). */
  ipBanMs?: number;
}

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1' | string;
  seed?: number;
  /** Total orders in the account (default 2 000). */
  orders?: number;
  /** Number of base coins traded (default 24; each is a spot symbol and some are futures too). */
  symbols?: number;
  /** History length in days before now (default 90, 1 hour to MAX_HISTORY_DAYS = 1100). */
  days?: number;
  /** The simulator's clock starts this many days before now (default 0) and runs at real speed. */
  clockDaysAgo?: number;
  mode?: AccountMode;
  latency?: LatencySpec;
  faults?: FaultOptions;
  rateLimits?: 'documented' | RateLimitOverrides;
  /** The base clock (default Date.now): the history ends at its now; the simulator's clock is it less clockDaysAgo. */
  now?: () => number;
}

export type RefusalReason =
  'rate_limit' | 'ip_limit' | 'ip_banned' | 'auth' | 'param' | 'mode' | 'retention' | 'not_found';

export interface SimStats {
  /** Requests that reached a Bitget route (not /sim/*). */
  requests: number;
  /** Successful answers (code "00000") per endpoint. */
  served: Partial<Record<EndpointId, number>>;
  /** Refusals per endpoint ('unknown' for paths that are not Bitget endpoints) and reason. */
  refused: Record<string, Partial<Record<RefusalReason, number>>>;
  /** Faults injected, per kind (`latency` counts delayed answers). */
  faults: Partial<Record<FaultKind, number>>;
  orders: number;
  mode: AccountMode;
}

/**
 * The canonical fields an order must come out with (DESIGN.md, "Canonical order record"), as the simulator
 * knows them from the facts it generated the order from (never from its rows): `side` and `reduceOnly` are
 * null where the served row does not say and nothing implies them.
 */
export interface TruthCanonical {
  market: Market;
  kind: Kind;
  symbol: string;
  side: 'buy' | 'sell' | null;
  status: string;
  orderType: string;
  reduceOnly: boolean | null;
  cTime: number;
  uTime: number | null;
  fee: string | null;
  feeCoin: string | null;
}

/** One generated order: what the product must find, as it must emit it, and the exact row served for it. */
export interface TruthRecord extends TruthCanonical {
  orderId: string;
  /** Futures plan and TP/SL orders on classic endpoints: the planType query value that lists it. */
  planType?: FuturesPlanType;
  raw: Record<string, unknown>;
}

export interface SimCredentials {
  apiKey: string;
  secretKey: string;
  passphrase: string;
}

export interface Simulator {
  url: string;
  credentials: SimCredentials;
  uid: string;
  mode: AccountMode;
  /** The simulator's clock (what POST /sim/clock moves). */
  clock: { now(): number; advance(ms: number): number };
  stats(): SimStats;
  /** Every generated order, ascending by (cTime, orderId), materialised one at a time. */
  truth(): AsyncIterable<TruthRecord>;
  /** Every fill of the whole history as the product must emit it, ascending by (cTime, tradeId). */
  fillTruth(): AsyncIterable<CanonicalFill>;
  /** Every ledger entry, bills and tax records (each says its `source`), ascending by (cTime, billId). */
  ledgerTruth(): AsyncIterable<CanonicalLedgerEntry>;
  /**
   * Streams the orders' truth to `file` as NDJSON, and the fills' and the ledger's beside it (`.fills` /
   * `.ledger` before the extension); resolves with the number of order lines.
   */
  writeTruth(file: string): Promise<number>;
  /** Replaces the fault settings (a storm can be started with `stormForMs`). */
  setFaults(faults: FaultOptions): void;
  /**
   * Holds every history request: orders, fills, bills and tax records (not planning's time, mode and symbol lists) until `release()`: a run is
   * RUNNING, mid-lanes, for as long as a test needs, whatever the machine's speed. `endpoints` holds (or, to
   * `release`, lets through) only those, so one lane group can finish while the others wait; an endpoint that
   * is not a history endpoint is refused, naming it.
   */
  holdHistory(options?: HistoryHoldOptions): void;
  release(options?: HistoryHoldOptions): void;
  close(): Promise<void>;
}
