import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApi, localStateMachineArn } from '../../src/api';
import { bitgetSymbolSource } from '../../src/api/bitgetSymbolSource';
import type { Database } from '../../src/db';
import { LOCAL_STATE_MACHINE } from '../../src/engines/LocalEngine';
import { runSync } from '../../src/archive';
import type { LocalStack } from '../../src/runtime/localStack';
import type { Simulator } from '../../src/sim';
import { startSimulatedStack, type SimulatedStack } from '../helpers/simulatedStack';

jest.setTimeout(120_000);

const KEY = 'response-shapes-key-0123456789abcdef';
const enc = encodeURIComponent;
/** Routes whose success is a file (HTML, CSV, Parquet…) streamed or redirected to, not a JSON document. */
const FILE_ROUTES = new Set(['/runs/{runId}/report', '/runs/{runId}/files/{name}', '/archive/report']);

interface Operation {
  responses: Record<string, { description?: string; content?: Record<string, { schema?: object }> }>;
}
type Spec = { paths: Record<string, Record<string, Operation>> };

/**
 * The API over the real local engine and the simulator: every endpoint's actual answers are held against the
 * response schemas of the OpenAPI document the API serves (app.swagger()), compiled with ajv.
 */
describe('every response against its OpenAPI schema, on a run of the simulator', () => {
  let simulated: SimulatedStack;
  let sim: Simulator;
  let stack: LocalStack;
  let db: Database;
  let app: FastifyInstance;
  let spec: Spec;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const compiled = new Map<string, ValidateFunction>();
  const checked = new Set<string>();

  beforeAll(async () => {
    simulated = await startSimulatedStack({ seed: 29, orders: 400, symbols: 4 }, 'api-shapes-');
    ({ sim, stack, db } = simulated);
    app = buildApi({
      engine: stack.engine,
      stateMachineArn: localStateMachineArn(LOCAL_STATE_MACHINE),
      db,
      s3: stack.store.s3,
      bucket: stack.store.bucket,
      symbols: bitgetSymbolSource(stack.client),
      apiKey: KEY,
      sync: (options) =>
        runSync({ store: stack.store, client: stack.client, engine: stack.engine, database: db }, options),
    });
    await app.ready();
    spec = app.swagger() as unknown as Spec;
  });
  afterAll(async () => {
    await app?.close();
    await simulated?.close();
  });

  /** The schema the document gives for this route and status (exact code first, then 4XX/5XX). */
  function schemaFor(method: string, route: string, status: number): ValidateFunction {
    const id = `${method} ${route} ${status}`;
    const known = compiled.get(id);
    if (known) return known;
    const operation = spec.paths[route]?.[method.toLowerCase()];
    if (!operation) throw new Error(`the document has no ${method} ${route}`);
    const response = operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`];
    const schema = response?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`the document has no JSON schema for ${id}`);
    const validate = ajv.compile(schema);
    compiled.set(id, validate);
    return validate;
  }

  /** Sends the request and holds the answer against the documented schema of `route`. */
  async function call(
    route: string,
    request: InjectOptions & { url: string },
    expectedStatus: number,
  ): Promise<LightMyRequestResponse> {
    const method = request.method ?? 'GET';
    const res = await app.inject({ ...request, headers: { 'x-api-key': KEY, ...request.headers } });
    expect([route, res.statusCode, res.body.slice(0, 300)]).toEqual([
      route,
      expectedStatus,
      expect.any(String),
    ]);
    const validate = schemaFor(String(method), route, res.statusCode);
    const valid = validate(res.json());
    expect({ route, status: res.statusCode, errors: valid ? null : validate.errors }).toEqual({
      route,
      status: res.statusCode,
      errors: null,
    });
    checked.add(`${String(method).toUpperCase()} ${route}`);
    return res;
  }

  /** A file route: the status, the media type and a non-empty body (what a schema of a string can say). */
  async function callFile(route: string, url: string, mediaType: RegExp): Promise<LightMyRequestResponse> {
    const res = await app.inject({ url, headers: { 'x-api-key': KEY } });
    expect([route, res.statusCode, res.headers['content-type']]).toEqual([
      route,
      200,
      expect.stringMatching(mediaType),
    ]);
    expect(res.rawPayload.length).toBeGreaterThan(0);
    checked.add(`GET ${route}`);
    return res;
  }

  it('documents a response schema for every success of every route (no "Default Response")', () => {
    for (const [route, methods] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const success = Object.entries(operation.responses).filter(([code]) => code.startsWith('2'));
        expect([method, route, success.length > 0]).toEqual([method, route, true]);
        for (const [code, response] of success) {
          expect([method, route, code, response.description]).not.toEqual([
            method,
            route,
            code,
            'Default Response',
          ]);
          // JSON, except the routes that hand over a file (the report, result files): their media type's schema.
          const media = FILE_ROUTES.has(route) ? Object.keys(response.content ?? {})[0] : 'application/json';
          expect([route, media, response.content?.[media ?? '']?.schema]).toEqual([
            route,
            expect.any(String),
            expect.any(Object),
          ]);
        }
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['4XX']));
      }
    }
  });

  it("answers every endpoint as documented through a whole run, with the source systems' fields", async () => {
    let symbol = '';
    for await (const t of sim.truth()) {
      symbol = t.symbol;
      break;
    }
    const started = (
      await call('/extract-orders', { method: 'POST', url: '/extract-orders', payload: {} }, 202)
    ).json();
    expect(started).toMatchObject({
      status: 'started',
      execution_name: started.name,
      message: expect.any(String),
    });
    const single = (
      await call(
        '/extract-single-symbol/{symbol}',
        { method: 'POST', url: `/extract-single-symbol/${symbol}`, payload: { kinds: ['normal'] } },
        202,
      )
    ).json();
    expect(single).toMatchObject({ status: 'processing', symbol });
    const now = Date.now();
    const viaOrders = (
      await call(
        '/orders',
        {
          method: 'POST',
          url: '/orders',
          payload: { symbols: [symbol], start_ms: now - 10 * 86_400_000, end_ms: now },
        },
        202,
      )
    ).json();
    expect(viaOrders).toMatchObject({
      status: 'started',
      executionArn: expect.stringMatching(/^arn:aws:states:local:/),
      symbols: [symbol],
      database_saved: true,
      database_message: expect.any(String),
    });

    const arn = started.executionArn as string;
    const running = (await call('/orders/{executionArn}', { url: `/orders/${enc(arn)}` }, 200)).json();
    if (running.status === 'RUNNING') {
      expect(running).toMatchObject({ executionArn: arn, startDate: started.startDate, result: null });
      expect(running.processing_time_seconds).toEqual(expect.any(Number));
    }

    for (const a of [arn, single.executionArn, viaOrders.executionArn]) await stack.engine.wait(a);
    const done = (await call('/orders/{executionArn}', { url: `/orders/${enc(arn)}` }, 200)).json();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.import.status).toBe('imported');
    const { result } = done;
    expect(result).toMatchObject({
      success: true,
      summary: { total_orders: 400, total_symbols_processed: null },
      aws_execution_details: {
        stateMachineArn: localStateMachineArn(LOCAL_STATE_MACHINE),
        startDate: done.timing.startDate,
        stopDate: done.timing.stopDate,
      },
      database_info: { orders_in_db: 400 },
    });
    expect(result.summary.total_symbols_with_data).toBeGreaterThan(0);
    expect(result.summary.error_summary.auth).toEqual({ count: 0 });
    expect(result.aws_total_duration_seconds).toBe(done.timing.durationMs / 1000);
    expect(result.aws_total_duration_formatted).toMatch(/^(\d+m )?\d+\.\d{3}s$/);
    expect(result.database_info.processing_time_seconds).toEqual(expect.any(Number));

    // The URL is signed when the result is read, works without credentials, and is not stored anywhere.
    expect(result.s3_data_url).toMatch(/X-Amz-Signature=/);
    const download = await fetch(result.s3_data_url as string);
    expect(download.status).toBe(200);
    expect(((await download.json()) as { orders: unknown[] }).orders).toHaveLength(400);
    const summaryJson = await stack.store.getText(result.summaryKey as string);
    expect(summaryJson).not.toMatch(/X-Amz-|https?:\/\//);
    const again = (await app.inject({ url: `/orders/${enc(arn)}`, headers: { 'x-api-key': KEY } })).json();
    expect(again.result.s3_data_url).toEqual(expect.stringMatching(/X-Amz-Signature=/));

    const firstPage = (
      await call('/orders/{executionArn}/database', { url: `/orders/${enc(arn)}/database` }, 200)
    ).json();
    expect(firstPage.pagination).toEqual({
      skip: 0,
      limit: 10,
      total_orders: 400,
      returned_count: 10,
      has_more: true,
    });
    expect(firstPage.execution_info).toMatchObject({
      status: 'SUCCEEDED',
      total_orders: 400,
      total_symbols: expect.any(Number),
      s3_uri: `s3://${stack.store.bucket}/${result.ordersJsonKey}`,
    });
    const order = firstPage.orders[0];
    expect(order).toMatchObject({ order_id: order.orderId, c_time: order.cTime, id: expect.any(Number) });
    expect(order.created_at).toEqual(expect.any(String));
    const lastPage = (
      await call(
        '/orders/{executionArn}/database',
        { url: `/orders/${enc(arn)}/database?skip=350&limit=100` },
        200,
      )
    ).json();
    expect(lastPage.pagination).toMatchObject({ returned_count: 50, has_more: false });

    await call('/orders/{executionArn}/logs', { url: `/orders/${enc(arn)}/logs` }, 200);
    const listed = (await call('/orders/list', { url: '/orders/list' }, 200)).json();
    expect(listed.total_executions).toBe(3);
    expect(listed.executions.find((e: { execution_arn: string }) => e.execution_arn === arn)).toMatchObject({
      id: expect.any(Number),
      status: 'SUCCEEDED',
      total_orders: 400,
      symbols: null,
      created_at: expect.any(String),
    });

    // The source system's save-from-url: the URL a status read returned, as ?public_url=.
    const saved = (
      await call(
        '/orders/{executionArn}/save-from-url',
        {
          method: 'POST',
          url: `/orders/${enc(arn)}/save-from-url?public_url=${enc(result.s3_data_url as string)}`,
        },
        200,
      )
    ).json();
    expect(saved).toMatchObject({
      success: true,
      saved_orders_count: 400,
      execution_arn: arn,
      insertedNow: 0,
    });

    const symbols = (await call('/symbols', { url: '/symbols' }, 200)).json();
    expect(symbols.total_count).toBe(symbols.symbols.length);
    expect(Object.keys(symbols.product_types_summary).sort()).toEqual(
      ['coin-futures', 'spot', 'usdc-futures', 'usdt-futures'].sort(),
    );
    expect(symbols.product_types_summary.spot.count).toBe(symbols.spot.total);
    // The run endpoints: filtered keyset pages, live events, the report and the result files.
    const runId = (result.ordersJsonlKey as string).split('/')[1]!;
    const spotPage = (
      await call(
        '/orders/{executionArn}/orders',
        { url: `/orders/${enc(arn)}/orders?market=spot&limit=1000` },
        200,
      )
    ).json();
    expect(spotPage.orders.every((o: { market: string }) => o.market === 'spot')).toBe(true);
    expect(spotPage).toMatchObject({ count: spotPage.matched, next: null });
    const events = (await call('/runs/events', { url: '/runs/events?once=true' }, 200)).json();
    expect(events.runs.find((r: { executionArn: string }) => r.executionArn === arn)).toMatchObject({
      runId,
      status: 'SUCCEEDED',
      orders: 400,
      progress: null,
    });
    expect((await callFile('/runs/{runId}/report', `/runs/${runId}/report`, /^text\/html/)).body).toMatch(
      /<svg/,
    );
    await callFile('/runs/{runId}/files/{name}', `/runs/${runId}/files/orders.csv`, /^text\/csv/);
    await call('/orders/{executionArn}', { method: 'DELETE', url: `/orders/${enc(arn)}` }, 409);

    await call('/health', { url: '/health' }, 200);
    await call('/', { url: '/' }, 200);
    await call('/info', { url: '/info' }, 200);
  });

  it('answers the archive endpoints as documented: a sync, its status, its orders', async () => {
    await call('/archive/status', { url: '/archive/status' }, 404); // before the first sync
    await call('/archive/report', { url: '/archive/report' }, 404);
    const report = (await call('/sync', { method: 'POST', url: '/sync', payload: {} }, 200)).json();
    expect(report).toMatchObject({ added: 400, records: 400, nothingNew: false });
    const status = (await call('/archive/status', { url: '/archive/status' }, 200)).json();
    expect(status).toMatchObject({
      uid: report.uid,
      datasets: { orders: { records: 400 } },
      database: { rows: 400 },
    });
    // the sync archived the fills and the ledger too, and the database holds every one of them
    expect(status.database).toEqual({
      rows: 400,
      fills: status.datasets.fills.records,
      ledger: status.datasets.ledger.records,
    });
    expect(status.database.fills).toBeGreaterThan(0);
    const page = (await call('/archive/orders', { url: '/archive/orders?limit=3&market=spot' }, 200)).json();
    expect(page.orders).toHaveLength(3);
    expect(page.next).toEqual(expect.any(String));
    await call('/archive/orders', { url: '/archive/orders?since=5&until=4' }, 400);
    // The fills and ledger pages answer through their schemas, their times both ways.
    const fills = (
      await call(
        '/archive/fills',
        { url: '/archive/fills?since=2020-01-01&until=1900000000000&limit=5' },
        200,
      )
    ).json();
    expect(fills).toMatchObject({
      since: { ms: Date.UTC(2020, 0, 1), iso: '2020-01-01T00:00:00.000Z' },
      until: { ms: 1_900_000_000_000, iso: new Date(1_900_000_000_000).toISOString() },
      next: expect.any(String),
    });
    expect(fills.fills).toHaveLength(5);
    const bills = (
      await call('/archive/ledger', { url: '/archive/ledger?source=bills&limit=3' }, 200)
    ).json();
    expect(bills.entries.map((e: { source: string }) => e.source)).toEqual(['bills', 'bills', 'bills']);
    await call('/archive/ledger', { url: '/archive/ledger?since=soon' }, 400);
    const html = (await callFile('/archive/report', '/archive/report', /^text\/html/)).body;
    expect(html).toContain(`<h1>Archive of account ${report.uid}</h1>`);
    expect(html).toContain('<h3>Gaps (shaded)</h3>');
    // orders per day, fees, volume; one realised-PnL chart per settle coin (the sync archived the fills too)
    const settleCoins = Object.keys(
      (status as { totals?: { realisedPnl: { total: Record<string, string> } } }).totals?.realisedPnl.total ??
        {},
    ).length;
    expect(settleCoins).toBeGreaterThan(0);
    expect(html.match(/<svg /g)?.length).toBe(3 + settleCoins);
  });

  it('answers errors as documented', async () => {
    const foreign = 'arn:aws:states:eu-west-1:123456789012:execution:bitget-orders-extraction:x';
    await call('/orders/{executionArn}', { url: `/orders/${enc(foreign)}` }, 404);
    await call('/orders', { method: 'POST', url: '/orders', payload: { symbols: 'BTCUSDT' } }, 400);
    await call(
      '/extract-orders',
      { method: 'POST', url: '/extract-orders', payload: 'x', headers: { 'content-type': 'text/plain' } },
      415,
    );
    await call('/info', { url: '/info', headers: { 'x-api-key': '' } }, 401);
    await call('/orders/{executionArn}/database', { url: `/orders/${enc(foreign)}/database?limit=101` }, 400);
  });

  it('checked every documented operation', () => {
    const documented = Object.entries(spec.paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${route}`),
    );
    expect([...checked].sort()).toEqual(documented.sort());
  });
});
