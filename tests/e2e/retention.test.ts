import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExtractionRequest } from '../../src/core/request';
import { DEFAULT_EXTRACTION_SETTINGS } from '../../src/extraction/stages';
import { startLocalStack } from '../../src/runtime/localStack';
import { startSimulator } from '../../src/sim';
import { readResultOrders, verifyAgainstTruth } from '../../src/verify/verifyAgainstTruth';

jest.setTimeout(300_000);

const MINUTE = 60_000;

/**
 * A run whose plan starts 20 minutes outside the retention (as a plan made 30 minutes earlier with the product's
 * 10-minute margin would, resumed now): the simulator refuses futures queries older than 90 days with 40704, as
 * Bitget does. The run completes, never asks before the boundary, and names what expired.
 */
describe('a run that outlives its plan’s retention margin, against the simulator', () => {
  it('completes, names the expired spans and covers everything from the boundary on', async () => {
    const sim = await startSimulator({ seed: 7, orders: 1500, symbols: 8, mode: 'classic' });
    const dir = mkdtempSync(join(tmpdir(), 'e2e-retention-'));
    const stack = await startLocalStack({
      dataDir: dir,
      baseUrl: sim.url,
      credentials: sim.credentials,
      retryIntervalMs: 10,
      settings: { ...DEFAULT_EXTRACTION_SETTINGS, plan: { retentionMarginMs: -20 * MINUTE } },
    });
    try {
      const request = parseExtractionRequest({});
      const started = await stack.engine.start(request, 'late');
      const ended = await stack.engine.wait(started.executionArn);
      expect(ended).toMatchObject({ status: 'SUCCEEDED', output: { complete: true } });
      const summary = JSON.parse((await stack.store.getText(ended.output!.summaryKey))!);
      const lanesWithExpiry = new Set(summary.expired.map((e: { laneId: string }) => e.laneId));
      expect([...lanesWithExpiry]).toEqual(expect.arrayContaining(['futures-history', 'spot-history']));
      expect(summary.notes.some((n: string) => n.includes('expired (Bitget serves 90 days)'))).toBe(true);
      // No query was refused as too old: every cursor moved before asking.
      const refused = Object.values(sim.stats().refused).reduce(
        (n: number, r) => n + ((r as Record<string, number>)['retention'] ?? 0),
        0,
      );
      expect(refused).toBe(0);
      // Everything from the covered boundary on is in the result, exactly once.
      const since: number = summary.served.since;
      async function* truth() {
        for await (const t of sim.truth()) if (t.cTime >= since) yield t;
      }
      async function* result() {
        for await (const o of readResultOrders(stack.store, ended.output!.ordersJsonlKey))
          if (o.cTime >= since) yield o;
      }
      const v = await verifyAgainstTruth(result(), truth(), request.order);
      expect(v).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0, mismatched: 0 });
    } finally {
      await stack.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
