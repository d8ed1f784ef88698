import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS } from '../../src/bitget/endpoints';
import type { CanonicalFill } from '../../src/core/fill';
import type { CanonicalLedgerEntry } from '../../src/core/ledgerEntry';
import { parseExtractionRequest } from '../../src/core/request';
import type { RunSummary } from '../../src/extraction/runSummary';
import { startLocalStack } from '../../src/runtime/localStack';
import type { LocalStack } from '../../src/runtime/localStack';
import { startSimulator } from '../../src/sim';
import type { Simulator } from '../../src/sim';
import type { RunStore } from '../../src/storage/RunStore';
import { noFieldMismatches, readResultOrders, verifyAgainstTruth } from '../../src/verify/verifyAgainstTruth';
import { FILL_CHECK, LEDGER_CHECK, verifyRecords } from '../../src/verify/verifyRecords';

jest.setTimeout(300_000);

async function* linesOf<T>(store: RunStore, key: string): AsyncGenerator<T> {
  for await (const line of store.readLines(key)) if (line !== '') yield JSON.parse(line) as T;
}

async function* filtered<T>(all: AsyncIterable<T>, keep: (t: T) => boolean): AsyncGenerator<T> {
  for await (const t of all) if (keep(t)) yield t;
}

/** Mismatches per field, and the same fields at 0: compared, a failure names the field and its count. */
const mismatchCounts = (fields: Record<string, { count: number }>) =>
  Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.count]));
const zeroCounts = (fields: Record<string, { count: number }>) =>
  Object.fromEntries(Object.keys(fields).map((k) => [k, 0]));

const PERFECT_RECORDS = {
  ok: true,
  missing: 0,
  unexpected: 0,
  duplicates: 0,
  unsorted: 0,
  alteredRaw: 0,
  mismatched: 0,
};

/**
 * The three data sets through the whole run (the deployed ASL in aws-local-stepfunctions, s3rver, the client, the
 * simulator): fills and the ledger checked record by record against the simulator's truth — fills and bills over
 * the 90 days the orders are served, tax records over the part of the asked range older than that.
 */
describe.each(['classic', 'uta'] as const)('orders, fills and ledger of a %s account', (mode) => {
  let sim: Simulator;
  let dir: string;
  let stack: LocalStack;
  let summary: RunSummary;
  let output: { fillsJsonlKey?: string; ledgerJsonlKey?: string; ordersJsonlKey: string };

  beforeAll(async () => {
    // 120 days of history: the oldest 30 are served by the tax records only.
    sim = await startSimulator({ seed: 11, orders: 1500, symbols: 8, mode, days: 120 });
    dir = mkdtempSync(join(tmpdir(), `e2e-datasets-${mode}-`));
    stack = await startLocalStack({
      dataDir: dir,
      baseUrl: sim.url,
      credentials: sim.credentials,
      retryIntervalMs: 10,
    });
    // 100 days back: 10 days of tax records before the bills' 90 (the tax endpoints ask 1 request a second).
    const request = parseExtractionRequest({ since: sim.clock.now() - 100 * DAY_MS });
    const started = await stack.engine.start(request, `datasets-${mode}`);
    const ended = await stack.engine.wait(started.executionArn);
    expect(ended).toMatchObject({ status: 'SUCCEEDED', output: { complete: true } });
    output = ended.output!;
    summary = JSON.parse((await stack.store.getText(ended.output!.summaryKey))!) as RunSummary;
  });
  afterAll(async () => {
    await stack?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every order once, as before', async () => {
    const served = summary.served!;
    const v = await verifyAgainstTruth(
      readResultOrders(stack.store, output.ordersJsonlKey),
      filtered(sim.truth(), (t) => t.cTime >= served.since && t.cTime < served.until),
      'asc',
    );
    expect(v).toMatchObject({ ...PERFECT_RECORDS, fields: noFieldMismatches() });
  });

  it('writes fills.jsonl: every fill of the served range once, sorted, each field as the truth says', async () => {
    const served = summary.datasets.fills!.served!;
    const v = await verifyRecords(
      FILL_CHECK,
      linesOf<CanonicalFill>(stack.store, output.fillsJsonlKey!),
      filtered(sim.fillTruth(), (f) => f.cTime >= served.since && f.cTime < served.until),
    );
    expect(mismatchCounts(v.fields)).toEqual(zeroCounts(v.fields));
    expect(v).toMatchObject(PERFECT_RECORDS);
    expect(v.received).toBeGreaterThan(0);
    expect(summary.datasets.fills).toMatchObject({ records: v.received, requests: expect.any(Number) });
  });

  it('writes ledger.jsonl: bills over the 90 days and tax records before them, each field as the truth says', async () => {
    const ledger = summary.datasets.ledger!;
    const billsSince = summary.served!.since;
    expect(ledger.taxSince).not.toBeNull();
    expect(ledger.taxSince!).toBeLessThan(billsSince);
    const v = await verifyRecords(
      LEDGER_CHECK,
      linesOf<CanonicalLedgerEntry>(stack.store, output.ledgerJsonlKey!),
      filtered(sim.ledgerTruth(), (e) =>
        e.source === 'bills'
          ? e.cTime >= billsSince && e.cTime < ledger.served!.until
          : e.cTime >= ledger.taxSince! && e.cTime < billsSince,
      ),
    );
    expect(mismatchCounts(v.fields)).toEqual(zeroCounts(v.fields));
    expect(v).toMatchObject(PERFECT_RECORDS);
    const sources = new Set<string>();
    for await (const e of linesOf<CanonicalLedgerEntry>(stack.store, output.ledgerJsonlKey!))
      sources.add(e.source);
    expect([...sources].sort()).toEqual(['bills', 'tax']);
  });

  it('reconciles orders, fills and fee entries: no discrepancy but the fills of orders older than the range', async () => {
    expect(summary.accounting).not.toBeNull();
    const { reconciliation, totals } = summary.accounting!;
    // An order created before the served range is not served, but its later fills are: the reconciliation
    // lists exactly those as fills without an order (the truth says which), and finds nothing else.
    const served = summary.served!;
    const orderTime = new Map<string, number>();
    for await (const o of sim.truth()) orderTime.set(`${o.market}|${o.orderId}`, o.cTime);
    const boundaryOrders = new Set<string>();
    for await (const f of sim.fillTruth()) {
      const created = orderTime.get(`${f.market}|${f.orderId}`)!;
      if (f.cTime >= served.since && f.cTime < served.until && created < served.since)
        boundaryOrders.add(`${f.market}|${f.orderId}`);
    }
    expect(reconciliation.fillsWithoutOrder.count).toBe(boundaryOrders.size);
    for (const f of reconciliation.fillsWithoutOrder.first)
      expect(boundaryOrders.has(`${f.market}|${f.orderId}`)).toBe(true);
    expect(reconciliation.discrepancies - reconciliation.fillsWithoutOrder.count).toBe(0);
    expect(reconciliation.checked.fills).toBe(summary.datasets.fills!.records);
    expect(Object.keys(totals.feesPaid).length).toBeGreaterThan(0);
  });

  it('counts requests per data set, each data set in lanes of its own', () => {
    const { orders, fills, ledger } = summary.datasets;
    expect(orders!.requests + fills!.requests + ledger!.requests).toBe(summary.requests);
    for (const d of [orders!, fills!, ledger!]) expect(d.requests).toBeGreaterThan(0);
    const laneIds = summary.lanes.map((l) => l.laneId);
    expect(laneIds).toEqual(
      expect.arrayContaining(
        mode === 'classic'
          ? ['spot-fills', 'futures-fills', 'spot-bills', 'futures-bills', 'tax-spot', 'tax-future']
          : ['uta-fills', 'uta-financial-records', 'uta-tax'],
      ),
    );
  });
});

describe.each(['classic', 'uta'] as const)('a %s account whose history lies within the 90 days', (mode) => {
  it('reconciles with every discrepancy class at 0', async () => {
    const sim = await startSimulator({ seed: 5, orders: 800, symbols: 6, mode, days: 80 });
    const dir = mkdtempSync(join(tmpdir(), `e2e-reconcile-${mode}-`));
    const stack = await startLocalStack({
      dataDir: dir,
      baseUrl: sim.url,
      credentials: sim.credentials,
      retryIntervalMs: 10,
    });
    try {
      const started = await stack.engine.start(parseExtractionRequest({}), `reconcile-${mode}`);
      const ended = await stack.engine.wait(started.executionArn);
      expect(ended).toMatchObject({ status: 'SUCCEEDED', output: { complete: true } });
      const summary = JSON.parse((await stack.store.getText(ended.output!.summaryKey))!) as RunSummary;
      const r = summary.accounting!.reconciliation;
      expect(r.checked.orders).toBe(800);
      expect(r.checked.fills).toBeGreaterThan(0);
      expect({
        size: r.sizeMismatches.count,
        fee: r.feeMismatches.count,
        ordersWithoutFills: r.ordersWithoutFills.count,
        fillsWithoutOrder: r.fillsWithoutOrder.count,
        feeEntriesWithoutFill: r.feeEntriesWithoutFill.count,
        discrepancies: r.discrepancies,
      }).toEqual({
        size: 0,
        fee: 0,
        ordersWithoutFills: 0,
        fillsWithoutOrder: 0,
        feeEntriesWithoutFill: 0,
        discrepancies: 0,
      });
      // No since: no tax record is asked; the notes say how far back they would reach.
      expect(summary.datasets.ledger!.taxSince).toBeNull();
      expect(summary.notes.join(' ')).toMatch(/tax records reach back to/);
    } finally {
      await stack.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
