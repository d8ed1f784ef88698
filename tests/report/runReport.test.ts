import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';
import { parseExtractionRequest } from '../../src/core/request';
import { runSummarySchema } from '../../src/extraction/runSummary';
import { laneStateSchema } from '../../src/extraction/runState';
import { reportKey, writeRunReport } from '../../src/report/writeRunReport';
import { startLocalStack } from '../../src/runtime/localStack';
import type { LocalStack } from '../../src/runtime/localStack';
import { startSimulator } from '../../src/sim';
import type { Simulator } from '../../src/sim';
import { resultKeys, runKeys } from '../../src/storage';

jest.setTimeout(120_000);

function io() {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: '', err: '' };
  out.on('data', (c: Buffer) => (text.out += c.toString()));
  err.on('data', (c: Buffer) => (text.err += c.toString()));
  return { io: { stdout: out, stderr: err as unknown as NodeJS.WriteStream, env: {} }, text };
}

describe('the run report, from a run on the simulator', () => {
  let sim: Simulator;
  let dir: string;
  let stack: LocalStack;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, orders: 1500, symbols: 8, mode: 'classic' });
    dir = mkdtempSync(join(tmpdir(), 'report-'));
    stack = await startLocalStack({ dataDir: dir, baseUrl: sim.url, credentials: sim.credentials });
    const started = await stack.engine.start(parseExtractionRequest({}), 'reported');
    const ended = await stack.engine.wait(started.executionArn);
    expect(ended.status).toBe('SUCCEEDED');
    const ordersOnly = await stack.engine.start(
      parseExtractionRequest({ datasets: ['orders'] }),
      'orders-only',
    );
    expect((await stack.engine.wait(ordersOnly.executionArn)).status).toBe('SUCCEEDED');
    const noLedger = await stack.engine.start(
      parseExtractionRequest({ datasets: ['orders', 'fills'] }),
      'no-ledger',
    );
    expect((await stack.engine.wait(noLedger.executionArn)).status).toBe('SUCCEEDED');
  });
  afterAll(async () => {
    await stack.close().catch(() => undefined); // the last test closes it already
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is written by the result collector as soon as the run is complete', async () => {
    expect(await stack.store.exists(reportKey('reported'))).toBe(true);
  });

  it('is written beside the result, with one chart per figure and the run section', async () => {
    const written = await writeRunReport(stack.store, 'reported', { verification: '1500/1500 orders -> OK' });
    expect(written.key).toBe(reportKey('reported'));
    const html = (await stack.store.getText(written.key))!;
    expect(written.bytes).toBe(Buffer.byteLength(html));
    const summary = (await stack.store.getJson(resultKeys('reported').summary, runSummarySchema))!;
    const pnl = summary.accounting!.totals.realisedPnl;
    const settleCoins = Object.keys(pnl.total);
    expect(settleCoins.length).toBeGreaterThan(0);
    // orders per day, fees, volume, one realised-PnL chart per settle coin, requests per second, stages
    expect(html.match(/<svg /g)?.length).toBe(5 + settleCoins.length);
    for (const coin of settleCoins) {
      expect(html).toContain(`realised PnL (${coin})`);
      expect(html).toContain(`<td>${coin}</td><td>total</td><td></td><td>${pnl.total[coin]}</td>`);
    }
    for (const [market, bySymbol] of Object.entries(pnl.bySymbol))
      for (const [symbol, p] of Object.entries(bySymbol))
        expect(html).toContain(
          `<td>${p.settleCoin}</td><td>${symbol}</td><td>${market}</td><td>${p.profit}</td>`,
        );
    expect(html).toContain('<h2>Fees paid, per coin (from the fills)</h2>');
    for (const [coin, fee] of Object.entries(summary.accounting!.totals.feesPaid))
      expect(html).toContain(`<td>${coin}</td><td>${fee}</td></tr>`);
    expect(html).toContain('<h2>Funding paid and received, per coin</h2>');
    expect(html).toContain('1500 orders, complete, classic account');
    expect(html).toContain('1500/1500 orders -&gt; OK');
  });

  it('is as before for a run without fills: fees and volume from the orders, no PnL or funding section', async () => {
    expect(await stack.store.exists(resultKeys('orders-only').fillsJsonl)).toBe(false);
    const written = await writeRunReport(stack.store, 'orders-only');
    const html = (await stack.store.getText(written.key))!;
    expect(html.match(/<svg /g)?.length).toBe(5);
    expect(html).toContain('<h2>Fees paid, per coin</h2>');
    expect(html).not.toContain('from the fills');
    expect(html).not.toContain('Realised profit and loss');
    expect(html).not.toContain('Funding');
  });

  it('sums the fills itself when the summary has no totals (no ledger fetched), and has no funding table', async () => {
    const summary = (await stack.store.getJson(resultKeys('no-ledger').summary, runSummarySchema))!;
    expect(summary.accounting).toBeNull();
    const withAll = (await stack.store.getJson(resultKeys('reported').summary, runSummarySchema))!;
    const html = (await stack.store.getText((await writeRunReport(stack.store, 'no-ledger')).key))!;
    // The same account, the same fills: the same realised PnL as the run that fetched all three data sets.
    const pnl = withAll.accounting!.totals.realisedPnl;
    for (const coin of Object.keys(pnl.total))
      expect(html).toContain(`<td>${coin}</td><td>total</td><td></td><td>${pnl.total[coin]}</td>`);
    expect(html).toContain('<h2>Fees paid, per coin (from the fills)</h2>');
    expect(html).not.toContain('Funding');
  });

  it('counts every request of every lane in its timeline, second by second', async () => {
    for (const key of await stack.store.list(runKeys('reported').lanesPrefix)) {
      const lane = (await stack.store.getJson(key, laneStateSchema))!;
      const perSecond = Object.values(lane.requestsBySecond).reduce((a, b) => a + b, 0);
      expect({ lane: lane.laneId, perSecond }).toEqual({ lane: lane.laneId, perSecond: lane.requests });
    }
  });

  it('is written by `report --run-id` once the stack is closed, and refuses an unknown run by name', async () => {
    await stack.close();
    const ok = io();
    const out = join(dir, 'copy', 'report.html');
    expect(await main(['report', '--run-id', 'reported', '--data-dir', dir, '--out', out], ok.io)).toBe(0);
    expect(ok.text.out.trim()).toBe(out);
    expect(readFileSync(out, 'utf8')).toContain('<h1>Run reported</h1>');
    const missing = io();
    expect(await main(['report', '--run-id', 'nope', '--data-dir', dir], missing.io)).toBe(2);
    expect(missing.text.err).toContain('run nope has no result');
    const noDir = io();
    expect(await main(['report', '--run-id', 'x', '--data-dir', join(dir, 'absent')], noDir.io)).toBe(2);
    expect(noDir.text.err).toContain('check --data-dir');
  });
});
