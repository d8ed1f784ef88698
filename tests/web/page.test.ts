import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { startSimulatedStack, type SimulatedStack } from '../helpers/simulatedStack';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { localStateMachineArn, startApiServer } from '../../src/api';
import type { RunningApiServer } from '../../src/api';
import { bitgetSymbolSource } from '../../src/api/bitgetSymbolSource';
import { runSync } from '../../src/archive';
import { CSV_COLUMNS } from '../../src/archive/exportFormats';
import type { Database } from '../../src/db';
import { LOCAL_STATE_MACHINE } from '../../src/engines/LocalEngine';
import type { LocalStack } from '../../src/runtime/localStack';
import type { Simulator } from '../../src/sim';

/** Debian's chromium (`.ci/run` installs it); without it these tests are skipped, and say so. */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`tests/web/page.test.ts skipped: ${CHROMIUM} is absent (apt-get install chromium)`);
}
const describeInBrowser = haveChromium ? describe : describe.skip;

jest.setTimeout(180_000);

/**
 * The web page in headless Chromium over `serve`'s own setup (local engine, local S3, SQLite, the simulator,
 * loopback with its Host guard and helmet's Content-Security-Policy): start a run from the form, see its
 * progress move, open its report, filter its orders, download a file; after a sync, the archive's coverage,
 * gaps, filtered orders and report. SCREENSHOT_DIR=… keeps screenshots.
 */
describeInBrowser('the web page, in headless Chromium', () => {
  let simulated: SimulatedStack;
  let sim: Simulator;
  let stack: LocalStack;
  let db: Database;
  let server: RunningApiServer;
  let dir: string;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    simulated = await startSimulatedStack({ seed: 37, orders: 900, symbols: 4 }, 'web-page-');
    ({ sim, stack, db, dir } = simulated);
    server = await startApiServer({
      port: 0,
      engine: stack.engine,
      stateMachineArn: localStateMachineArn(LOCAL_STATE_MACHINE),
      engineKind: 'local',
      exchange: 'simulator',
      db,
      s3: stack.store.s3,
      bucket: stack.store.bucket,
      symbols: bitgetSymbolSource(stack.client),
      sync: (options) =>
        runSync({ store: stack.store, client: stack.client, engine: stack.engine, database: db }, options),
    });
    context = await chromium.launchPersistentContext(mkdtempSync(join(dir, 'profile-')), {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  });
  afterAll(async () => {
    await context?.close();
    await server?.close();
    await simulated?.close();
  });

  async function screenshot(name: string): Promise<void> {
    const target = process.env['SCREENSHOT_DIR'];
    if (target) await page.screenshot({ path: join(target, `${name}.png`), fullPage: true });
  }

  it('starts a run from the form, follows it, shows its report, filters its orders and downloads a file', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('#exchange', { hasText: 'bundled Bitget simulator' }).waitFor();
    await page.locator('#live', { hasText: 'live' }).waitFor();

    // The simulator holds the history requests: the run is seen working, in its lanes, for as long as the test
    // looks, on a fast machine or a slow one. Nothing is answered yet, so the page shows no order.
    sim.holdHistory();
    await page.locator('#start-form button[type=submit]').click();
    await page.waitForURL(/#run\//);
    const progress = page.locator('#run-progress-text');
    const ordersShown = async (): Promise<number> =>
      Number(/^lanes: (\d+) orders, \d+ requests/.exec((await progress.textContent()) ?? '')?.[1]);
    await progress.filter({ hasText: /^lanes: \d+ orders, \d+ requests/ }).waitFor();
    expect(await ordersShown()).toBe(0);
    // One lane group goes through (spot history), the others still wait: the page's figures move, the run works on.
    sim.release({ endpoints: ['spotHistoryOrders'] });
    await progress.filter({ hasText: /^lanes: [1-9]\d* orders, \d+ requests/ }).waitFor();
    expect(await ordersShown()).toBeGreaterThan(0);
    expect(await ordersShown()).toBeLessThan(900);
    await screenshot('run-progress');
    // The list shows it running, with its live progress.
    await page.locator('a', { hasText: '← all runs' }).click();
    const row = page.locator('#runs tbody tr', { has: page.locator('.status.running') }).first();
    await row.locator('.bar').waitFor();
    await row.locator('.orders', { hasText: /^[1-9]\d*$/ }).waitFor();
    await screenshot('home-running');
    await page.goBack();
    sim.release();

    // The run ends: its report (charts as SVG) and its imported orders appear.
    await page.locator('#run-facts', { hasText: 'SUCCEEDED' }).waitFor({ timeout: 120_000 });
    await page.frameLocator('#report').locator('svg').first().waitFor();
    await page.locator('#run-orders:not([hidden])').waitFor();
    await page.locator('#orders-count', { hasText: '900 matching' }).waitFor();
    await screenshot('run-page');

    // The same table as the archive's (one template): its next page (keyset) follows the first, no order twice.
    const runIds = () => page.locator('#run-orders table.orders tbody tr td:nth-child(11)').allTextContents();
    const runFirstPage = await runIds();
    expect(runFirstPage).toHaveLength(50);
    await page.locator('#run-orders .next-page').click();
    await page.locator('#orders-count', { hasText: 'later page' }).waitFor();
    const runSecondPage = await runIds();
    expect(runSecondPage).toHaveLength(50);
    expect(runSecondPage.filter((id) => runFirstPage.includes(id))).toEqual([]);
    await page.locator('#run-orders .first-page').click();
    await page.locator('#orders-count', { hasNotText: 'later page' }).waitFor();
    expect(await runIds()).toEqual(runFirstPage);

    await page.locator('#run-orders form.filters select[name=market]').selectOption('spot');
    await page.locator('#run-orders form.filters button[type=submit]').click();
    await page.locator('#orders-count', { hasNotText: '900 matching' }).waitFor();
    const markets = await page.locator('#run-orders table.orders tbody tr td:nth-child(2)').allTextContents();
    expect(markets.length).toBeGreaterThan(0);
    expect(new Set(markets)).toEqual(new Set(['spot']));
    const matched = Number(
      /^(\d+) matching/.exec((await page.locator('#orders-count').textContent()) ?? '')?.[1],
    );
    expect(matched).toBeLessThan(900);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#files a[data-file="orders.csv"]').click(),
    ]);
    const saved = join(dir, 'downloaded.csv');
    await download.saveAs(saved);
    const lines = readFileSync(saved, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));

    // Back to the list: the run is there, newest first, succeeded.
    await page.locator('a', { hasText: '← all runs' }).click();
    await page.locator('#runs tbody tr .status', { hasText: 'SUCCEEDED' }).first().waitFor();
    await screenshot('home');
    // Nothing the Content-Security-Policy refused, no script error.
    expect(problems).toEqual([]);
  });

  it('shows the archive after a sync: its coverage and gaps, its orders filtered page by page, its report', async () => {
    const synced = await fetch(`${server.url}/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(synced.status).toBe(200);
    expect(await synced.json()).toMatchObject({ records: 900 });

    await page.goto(`${server.url}/`);
    await page.locator('#archive-nav').click();
    await page.waitForURL(/#archive$/);
    await page.locator('#archive-facts', { hasText: '900' }).waitFor();
    expect(await page.locator('#archive-gap-count').textContent()).toBe('(none)');
    await page.locator('#archive-orders-section table.orders tbody tr').first().waitFor();
    expect(await page.locator('#archive-orders-section table.orders tbody tr').count()).toBe(50);
    await screenshot('archive');

    await page.locator('#archive-orders-section form.filters select[name=market]').selectOption('spot');
    await page.locator('#archive-orders-section form.filters select[name=kind]').selectOption('normal');
    await page.locator('#archive-orders-section form.filters button[type=submit]').click();
    const marketsOf = () =>
      page.locator('#archive-orders-section table.orders tbody tr td:nth-child(2)').allTextContents();
    await page.waitForFunction(() => {
      const { document } = globalThis as unknown as {
        document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
      };
      const cells = Array.from(
        document.querySelectorAll('#archive-orders-section table.orders tbody tr td:nth-child(2)'),
      );
      return cells.length > 0 && cells.every((c) => c.textContent === 'spot');
    });
    const firstPage = await page
      .locator('#archive-orders-section table.orders tbody tr td:nth-child(11)')
      .allTextContents();
    expect(new Set(await marketsOf())).toEqual(new Set(['spot']));
    expect(
      new Set(
        await page.locator('#archive-orders-section table.orders tbody tr td:nth-child(3)').allTextContents(),
      ),
    ).toEqual(new Set(['normal']));

    // The next page (keyset) continues where the first ended, under the same filters.
    {
      expect(await page.locator('#archive-orders-section .next-page').isEnabled()).toBe(true);
      await page.locator('#archive-orders-section .next-page').click();
      await page.locator('#archive-orders-count', { hasText: 'later page' }).waitFor();
      const secondPage = await page
        .locator('#archive-orders-section table.orders tbody tr td:nth-child(11)')
        .allTextContents();
      expect(secondPage.length).toBeGreaterThan(0);
      expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
      expect(new Set(await marketsOf())).toEqual(new Set(['spot']));
    }

    const [report] = await Promise.all([
      context.waitForEvent('page'),
      page.locator('#archive-report-link').click(),
    ]);
    await report.locator('h1', { hasText: 'Archive of account' }).waitFor();
    // Orders per day, fees, volume; and one realised-PnL chart per settle coin once the archive holds fills.
    const status = (await (await fetch(`${server.url}/archive/status`)).json()) as {
      totals?: { realisedPnl: { total: Record<string, string> } };
    };
    const settleCoins = Object.keys(status.totals?.realisedPnl.total ?? {}).length;
    expect(await report.locator('svg').count()).toBe(3 + settleCoins);
    expect(await report.locator('h3', { hasText: 'Gaps (shaded)' }).count()).toBe(1);
    await report.close();
    expect(problems).toEqual([]);
  });
});
