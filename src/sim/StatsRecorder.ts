/** Counters of what the simulator served, refused and injected. */
import type { EndpointId } from '../bitget/endpoints';
import type { AccountMode, FaultKind, RefusalReason, SimStats } from './types';

export class StatsRecorder {
  private requests = 0;
  private readonly served: Partial<Record<EndpointId, number>> = {};
  private readonly refused: Record<string, Partial<Record<RefusalReason, number>>> = {};
  private readonly faults: Partial<Record<FaultKind, number>> = {};

  constructor(
    private readonly orders: number,
    private readonly mode: AccountMode,
  ) {}

  request(): void {
    this.requests += 1;
  }

  serve(endpoint: EndpointId): void {
    this.served[endpoint] = (this.served[endpoint] ?? 0) + 1;
  }

  refuse(endpoint: EndpointId | 'unknown', reason: RefusalReason): void {
    const byReason = (this.refused[endpoint] ??= {});
    byReason[reason] = (byReason[reason] ?? 0) + 1;
  }

  fault(kind: FaultKind): void {
    this.faults[kind] = (this.faults[kind] ?? 0) + 1;
  }

  snapshot(): SimStats {
    return structuredClone({
      requests: this.requests,
      served: this.served,
      refused: this.refused,
      faults: this.faults,
      orders: this.orders,
      mode: this.mode,
    });
  }
}
