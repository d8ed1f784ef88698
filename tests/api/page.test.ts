import { buildApi } from '../../src/api';
import { sqliteTestDatabase } from '../db/support/databases';
import type { TestDatabase } from '../db/support/databases';
import { startTestS3 } from '../db/support/s3';
import type { TestS3 } from '../db/support/s3';
import { buildHarness } from './support/harness';

const KEY = 'page-test-key-0123456789abcdef0123456789';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let s3: TestS3;
let t: TestDatabase;
beforeAll(async () => {
  s3 = await startTestS3();
  t = await sqliteTestDatabase();
});
afterAll(async () => {
  await t.dispose();
  await s3.close();
});

describe('the web page beside the JSON', () => {
  it('answers a browser at / with the page, and a client asking for JSON (or anything) with the index', async () => {
    const { app } = buildHarness(t, s3);
    try {
      const page = await app.inject({ url: '/', headers: { accept: BROWSER_ACCEPT } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('<script src="/web/app.js" defer></script>');
      // No inline script: helmet's policy admits only this origin's scripts.
      expect(page.body.match(/<script/g)).toHaveLength(1);
      expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
      for (const accept of ['application/json', '*/*', undefined]) {
        const json = await app.inject({ url: '/', headers: accept ? { accept } : {} });
        expect([accept, json.headers['content-type']]).toEqual([accept, 'application/json; charset=utf-8']);
        expect(json.json().links.runEvents).toBe('/runs/events');
      }
      const script = await app.inject({ url: '/web/app.js' });
      expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(script.body).toContain("fetch('/runs/events'");
      expect((await app.inject({ url: '/web/app.css' })).headers['content-type']).toBe(
        'text/css; charset=utf-8',
      );
    } finally {
      await app.close();
    }
  });

  it('loads the page shell without the API key and nothing with data: those still answer 401', async () => {
    const { deps } = buildHarness(t, s3);
    const app = buildApi({ ...deps, apiKey: KEY });
    try {
      expect((await app.inject({ url: '/', headers: { accept: BROWSER_ACCEPT } })).statusCode).toBe(200);
      expect((await app.inject({ url: '/web/app.js' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/', headers: { accept: 'application/json' } })).statusCode).toBe(401);
      for (const url of ['/runs/events', '/runs/run-1/report', '/runs/run-1/files/orders.jsonl', '/info']) {
        expect([url, (await app.inject({ url, headers: { accept: BROWSER_ACCEPT } })).statusCode]).toEqual([
          url,
          401,
        ]);
      }
      expect(
        (await app.inject({ url: '/runs/events?once=true', headers: { 'x-api-key': KEY } })).statusCode,
      ).toBe(200);
    } finally {
      await app.close();
    }
  });
});
