import type { StageHandlers } from '../extraction/stageHandlers';
import type { RunStore } from '../storage/RunStore';
import { withRunLease } from './runLease';

function setUp() {
  const leases: string[] = [];
  const store = {
    acquireLease: async (runId: string, r: { holder: string }) => {
      leases.push(`take ${runId} ${r.holder}`);
      return {};
    },
    releaseLease: async (runId: string, holder: string) => {
      leases.push(`give back ${runId} ${holder}`);
    },
  } as unknown as RunStore;
  const collected: unknown[] = [];
  const handlers = {
    'result-collector': async (event: unknown) => {
      collected.push(event);
      return { done: true };
    },
  } as unknown as StageHandlers;
  return { leases, collected, wrapped: withRunLease(handlers, store, { ttlMs: 60_000 }) };
}

describe('withRunLease and the result collector', () => {
  it('renews the lease for a data set merged while the run goes on, and gives it back only when collecting', async () => {
    const { leases, collected, wrapped } = setUp();
    await wrapped['result-collector']({ runId: 'r1', dataset: 'fills', executionName: 'e1' });
    expect(leases).toEqual(['take r1 e1']);
    await wrapped['result-collector']({ runId: 'r1', order: 'asc', executionName: 'e1' });
    expect(leases).toEqual(['take r1 e1', 'give back r1 e1']);
    expect(collected).toHaveLength(2);
  });
});
