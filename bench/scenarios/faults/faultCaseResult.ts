/**
 * What every fault case reports, and the steps the cases share: the result compared with the ground truth
 * and the simulator's fault counters over the case.
 */
import type { LatencySpec } from '../../../src/sim';
import type { Verification } from '../../../src/verify/verifyAgainstTruth';
import { verifyAgainstTruth } from '../../../src/verify/verifyAgainstTruth';
import { log, round } from '../../lib/results';
import type { BenchSim } from '../../lib/sim';

export interface FaultCaseResult {
  case: string;
  fault: string;
  /**
   * finished: completed under the fault; stopped-resumed: stopped with a clear error (never a success), then
   * resumed to completion with the same run id; stopped-resume-failed: stopped honestly, but resuming did not
   * complete it; failed: anything else (a false success, or never complete).
   */
  outcome: 'finished' | 'stopped-resumed' | 'stopped-resume-failed' | 'failed';
  attempts: number;
  /** Attempts that reported success (exit 0 / SUCCEEDED + complete) although their result was not verified. */
  falseSuccesses: number;
  firstError: string | null;
  ordersTruth: number;
  ordersOut: number;
  lost: number;
  duplicates: number;
  unexpected: number;
  unsorted: number;
  alteredRaw: number;
  /** Orders with a canonical field unlike the truth's (see fieldMismatches in the extraction results). */
  mismatched: number;
  wallMs: number;
  timeVsFaultFree: number | null;
  requests: number | null;
  retries: number | null;
  http429: number | null;
  errors: Record<string, number>;
  simFaults: Record<string, number>;
  details?: Record<string, unknown>;
  ok: boolean;
}

/** What a case is measured by: its result's figures come from the verification, `ok` from both. */
export type CaseRun = Omit<
  FaultCaseResult,
  | 'ordersTruth'
  | 'ordersOut'
  | 'lost'
  | 'duplicates'
  | 'unexpected'
  | 'unsorted'
  | 'alteredRaw'
  | 'mismatched'
  | 'ok'
  | 'timeVsFaultFree'
>;

export interface CampaignContext {
  sim: BenchSim;
  latency: LatencySpec;
  faultFreeMs: number | null;
}

/** The case's result: its run, the verification of what it produced, its time against the fault-free run. */
export function finishCase(base: CaseRun, v: Verification, faultFreeMs: number | null): FaultCaseResult {
  const r: FaultCaseResult = {
    ...base,
    ordersTruth: v.expected,
    ordersOut: v.received,
    lost: v.missing,
    duplicates: v.duplicates,
    unexpected: v.unexpected,
    unsorted: v.unsorted,
    alteredRaw: v.alteredRaw,
    mismatched: v.mismatched,
    timeVsFaultFree: faultFreeMs ? round(base.wallMs / faultFreeMs, 2) : null,
    ok: false,
  };
  r.ok = v.ok && r.falseSuccesses === 0 && r.outcome !== 'failed';
  log(
    `fault ${r.case}: ${r.outcome}, ${r.ordersOut}/${r.ordersTruth}, lost ${r.lost}, dup ${r.duplicates}, ` +
      `attempts ${r.attempts}, false successes ${r.falseSuccesses}, ${r.wallMs} ms (${r.timeVsFaultFree ?? '-'}×)` +
      (r.firstError ? `, first error: ${r.firstError.slice(0, 160)}` : ''),
  );
  return r;
}

/** A case that never produced a result it could stand by: every order of the truth is lost. */
export async function nothingDelivered(sim: BenchSim): Promise<Verification> {
  const v = await verifyAgainstTruth((async function* () {})(), sim.truth());
  return { ...v, ok: false };
}

/** The faults the simulator injected between two of its stats (only the kinds that grew). */
export function faultsInjected(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}
