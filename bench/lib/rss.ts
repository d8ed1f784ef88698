/**
 * Peak resident memory of the processes of a run (Linux /proc): the extraction's own process, the simulator's
 * and the local S3 server's. Each process's peak counter (VmHWM) is reset when the measurement starts (writing 5
 * to /proc/<pid>/clear_refs), so that it covers the run alone — not the simulator's generation of the account
 * before it, nor the verification after it; VmRSS is also sampled, and the peak is the larger of the two. Where
 * the reset is refused the peak is the sampled one (`exact: false`).
 */
import { readFileSync, writeFileSync } from 'node:fs';

export type ProcessRole = 'extraction' | 'simulator' | 'localS3';

export interface ProcessPeak {
  pid: number | null;
  /** Highest resident set of the process while measured, MiB (null: not measured: no such process, no /proc). */
  peakRssMiB: number | null;
  /** True when the kernel's own peak counter covered the window (reset at its start, read at its end). */
  exact: boolean;
  /** The process's peak before the window (its lifetime so far when the window started), MiB. */
  peakBeforeMiB: number | null;
  samples: number;
}

export type RssFigures = Record<ProcessRole, ProcessPeak>;

/** VmRSS and VmHWM of a process, kB (null when the process or /proc is not there). */
export function memoryOf(pid: number): { rssKb: number; hwmKb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (!rss || !hwm) return null;
    return { rssKb: Number(rss[1]), hwmKb: Number(hwm[1]) };
  } catch {
    return null;
  }
}

/** Resets the process's peak counter to its current resident set; false when the kernel refuses. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const mib = (kb: number) => Math.round((kb / 1024) * 10) / 10;

interface Tracked {
  pid: number;
  reset: boolean;
  beforeKb: number | null;
  maxRssKb: number;
  lastHwmKb: number;
  samples: number;
}

/**
 * Samples the processes every `intervalMs` until stop(). Processes can be added once known (the local S3 server
 * starts with the run); one added later is reset when added.
 */
export class RssMonitor {
  private readonly tracked = new Map<ProcessRole, Tracked>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    pids: Partial<Record<ProcessRole, number | null>>,
    private readonly intervalMs = 250,
  ) {
    for (const [role, pid] of Object.entries(pids) as [ProcessRole, number | null][])
      if (pid) this.add(role, pid);
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  add(role: ProcessRole, pid: number): void {
    if (this.tracked.has(role)) return;
    const before = memoryOf(pid);
    const reset = before !== null && resetPeak(pid);
    this.tracked.set(role, {
      pid,
      reset,
      beforeKb: before?.hwmKb ?? null,
      maxRssKb: before?.rssKb ?? 0,
      lastHwmKb: 0,
      samples: 0,
    });
    this.sampleOne(this.tracked.get(role)!);
  }

  private sampleOne(t: Tracked): void {
    const m = memoryOf(t.pid);
    if (!m) return;
    t.samples++;
    t.maxRssKb = Math.max(t.maxRssKb, m.rssKb);
    t.lastHwmKb = m.hwmKb;
  }

  private sample(): void {
    for (const t of this.tracked.values()) this.sampleOne(t);
  }

  /** Stops sampling and reads each process's peak (call it while the processes still run). */
  stop(): RssFigures {
    clearInterval(this.timer);
    this.sample();
    const peak = (role: ProcessRole): ProcessPeak => {
      const t = this.tracked.get(role);
      if (!t || t.samples === 0)
        return { pid: t?.pid ?? null, peakRssMiB: null, exact: false, peakBeforeMiB: null, samples: 0 };
      const kb = t.reset ? Math.max(t.lastHwmKb, t.maxRssKb) : t.maxRssKb;
      return {
        pid: t.pid,
        peakRssMiB: mib(kb),
        exact: t.reset,
        peakBeforeMiB: t.beforeKb !== null ? mib(t.beforeKb) : null,
        samples: t.samples,
      };
    };
    return { extraction: peak('extraction'), simulator: peak('simulator'), localS3: peak('localS3') };
  }
}
