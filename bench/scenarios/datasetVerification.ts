/**
 * The fills and the ledger of a bench run checked record by record against the simulator's truth
 * (src/verify/verifyRecords), over the ranges the run asked each for: fills and bills over the orders' served
 * range, tax records over the part of the asked range older than it (as tests/e2e/datasets.test.ts checks them).
 */
import type { RunOutput } from '../../src/core/engine';
import type { CanonicalFill } from '../../src/core/fill';
import type { CanonicalLedgerEntry } from '../../src/core/ledgerEntry';
import type { Market } from '../../src/core/order';
import type { ExtractionRequest } from '../../src/core/request';
import type { RunSummary } from '../../src/extraction/runSummary';
import type { RunStore } from '../../src/storage/RunStore';
import type { RecordVerification } from '../../src/verify/verifyRecords';
import { FILL_CHECK, LEDGER_CHECK, verifyRecords } from '../../src/verify/verifyRecords';
import type { DatasetLimitRequest } from '../lib/datasetLimit';
import type { BenchSim } from '../lib/sim';

export interface Ranges {
  /** Fills and bills: the orders' served range. */
  recent: { since: number; until: number };
  /** Tax records: [since, until) older than the bills, or null when none were asked. */
  tax: { since: number; until: number } | null;
}

/** The ranges fills and ledger were asked for, from the run's summary; null when the run served nothing. */
export function rangesOf(summary: RunSummary | null, request: ExtractionRequest): Ranges | null {
  const served = summary?.served;
  if (!served) return null;
  const taxSince = summary.datasets.ledger?.taxSince ?? null;
  const taxUntil = Math.min(served.since, request.until ?? served.since);
  return {
    recent: { since: served.since, until: served.until },
    tax: taxSince !== null && taxSince < taxUntil ? { since: taxSince, until: taxUntil } : null,
  };
}

/** What the dataset limit is asked for this run. */
export function datasetLimitRequest(
  mode: 'classic' | 'uta',
  request: ExtractionRequest,
  ranges: Ranges,
): DatasetLimitRequest {
  return {
    mode,
    datasets: request.datasets ?? [],
    markets: request.markets,
    symbols: request.symbols,
    ...ranges,
  };
}

async function* linesOf<T>(store: RunStore, key: string): AsyncGenerator<T> {
  for await (const line of store.readLines(key)) if (line !== '') yield JSON.parse(line) as T;
}

async function* keep<T>(all: AsyncIterable<T>, wanted: (t: T) => boolean): AsyncGenerator<T> {
  for await (const t of all) if (wanted(t)) yield t;
}

const within = (cTime: number, r: { since: number; until: number } | null) =>
  r !== null && cTime >= r.since && cTime < r.until;

/** A ledger account belongs to the markets asked: margin and P2P with spot. */
function accountAsked(account: CanonicalLedgerEntry['account'], markets: readonly Market[]): boolean {
  if (account === 'uta') return true;
  if (account === 'spot' || account === 'margin' || account === 'p2p') return markets.includes('spot');
  return markets.includes(account);
}

export async function verifyFills(
  store: RunStore,
  output: RunOutput,
  sim: BenchSim,
  request: ExtractionRequest,
  ranges: Ranges,
): Promise<RecordVerification<string>> {
  const symbols = request.symbols ? new Set(request.symbols) : null;
  return verifyRecords(
    FILL_CHECK,
    output.fillsJsonlKey ? linesOf<CanonicalFill>(store, output.fillsJsonlKey) : noRecords(),
    keep(
      sim.fillTruth(),
      (f) =>
        within(f.cTime, ranges.recent) &&
        request.markets.includes(f.market) &&
        (!symbols || symbols.has(f.symbol)),
    ),
  );
}

export async function verifyLedger(
  store: RunStore,
  output: RunOutput,
  sim: BenchSim,
  request: ExtractionRequest,
  ranges: Ranges,
): Promise<RecordVerification<string>> {
  return verifyRecords(
    LEDGER_CHECK,
    output.ledgerJsonlKey ? linesOf<CanonicalLedgerEntry>(store, output.ledgerJsonlKey) : noRecords(),
    keep(
      sim.ledgerTruth(),
      (e) =>
        accountAsked(e.account, request.markets) &&
        within(e.cTime, e.source === 'bills' ? ranges.recent : ranges.tax),
    ),
  );
}

// eslint-disable-next-line require-yield
async function* noRecords<T>(): AsyncGenerator<T> {
  return;
}
