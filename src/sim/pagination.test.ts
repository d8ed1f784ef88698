import { DAY_MS, ENDPOINTS, type EndpointId } from '../bitget/endpoints';
import { startSimulator, type Simulator, type TruthRecord } from './index';
import { getJson, manualClock, qs } from './testkit';

const T0 = 1_750_000_000_000;
const unlimited = Object.fromEntries(Object.keys(ENDPOINTS).map((id) => [id, 1e9])) as Record<
  EndpointId,
  number
>;

type Row = { orderId: string; cTime?: string; createdTime?: string; symbol: string };

function expectExactlyOnce(served: string[], expected: string[]): void {
  expect(new Set(served).size).toBe(served.length);
  expect([...served].sort()).toEqual([...expected].sort());
}

function expectNewestFirst(ids: string[]): void {
  for (let i = 1; i < ids.length; i++) expect(BigInt(ids[i]!) < BigInt(ids[i - 1]!)).toBe(true);
}

describe('classic pagination yields every order of the truth exactly once, newest first', () => {
  const clock = manualClock(T0);
  let sim: Simulator;
  let truth: TruthRecord[];
  const signed = () => ({ credentials: sim.credentials, timestamp: clock.now() });
  const ids = (filter: (t: TruthRecord) => boolean) => truth.filter(filter).map((t) => t.orderId);

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 5,
      orders: 4000,
      now: clock.now,
      rateLimits: { perSecond: unlimited },
    });
    truth = [];
    for await (const t of sim.truth()) truth.push(t);
  });
  afterAll(() => sim.close());

  async function pageSpot(extra: Record<string, string | number>, from?: string): Promise<string[]> {
    const served: string[] = [];
    let idLessThan = from;
    for (;;) {
      const { body } = await getJson<Row[]>(
        sim.url,
        '/api/v2/spot/trade/history-orders',
        qs({ ...extra, idLessThan, limit: 100 }),
        signed(),
      );
      expect(body.code).toBe('00000');
      if (body.data.length === 0) return served;
      served.push(...body.data.map((r) => r.orderId));
      idLessThan = body.data[body.data.length - 1]!.orderId;
    }
  }

  test('spot history (rows array, idLessThan = last orderId), normal and tpsl', async () => {
    const normal = await pageSpot({});
    expectNewestFirst(normal);
    expectExactlyOnce(
      normal,
      ids((t) => t.market === 'spot' && t.kind === 'normal'),
    );
    expectExactlyOnce(
      await pageSpot({ tpslType: 'tpsl' }),
      ids((t) => t.market === 'spot' && t.kind === 'tpsl'),
    );
  });

  test('spot plan history (nextFlag, idLessThan) per symbol', async () => {
    const symbols = [
      ...new Set(truth.filter((t) => t.market === 'spot' && t.kind === 'plan').map((t) => t.symbol)),
    ];
    expect(symbols.length).toBeGreaterThan(3);
    for (const symbol of symbols) {
      const served: string[] = [];
      let idLessThan: string | undefined;
      for (;;) {
        const query = qs({ symbol, startTime: T0 - 90 * DAY_MS, endTime: T0, limit: 20, idLessThan });
        const { body } = await getJson<{ nextFlag: boolean; idLessThan: string; orderList: Row[] }>(
          sim.url,
          '/api/v2/spot/trade/history-plan-order',
          query,
          signed(),
        );
        served.push(...body.data.orderList.map((r) => r.orderId));
        if (!body.data.nextFlag) break;
        expect(body.data.idLessThan).toBe(body.data.orderList[body.data.orderList.length - 1]!.orderId);
        idLessThan = body.data.idLessThan;
      }
      expectExactlyOnce(
        served,
        ids((t) => t.market === 'spot' && t.kind === 'plan' && t.symbol === symbol),
      );
    }
  });

  test.each(['USDT-FUTURES', 'USDC-FUTURES', 'COIN-FUTURES'])(
    'futures history %s (entrustedList, endId)',
    async (pt) => {
      const market = pt.toLowerCase();
      const served: string[] = [];
      let idLessThan: string | undefined;
      for (;;) {
        const { body } = await getJson<{ entrustedList: Row[]; endId: string }>(
          sim.url,
          '/api/v2/mix/order/orders-history',
          qs({ productType: pt, idLessThan, limit: 100 }),
          signed(),
        );
        if (body.data.entrustedList.length === 0) break;
        expect(body.data.endId).toBe(body.data.entrustedList[body.data.entrustedList.length - 1]!.orderId);
        served.push(...body.data.entrustedList.map((r) => r.orderId));
        idLessThan = body.data.endId;
      }
      expectNewestFirst(served);
      expectExactlyOnce(
        served,
        ids((t) => t.market === market && t.kind === 'normal'),
      );
    },
  );

  test.each(['normal_plan', 'track_plan', 'profit_loss'])(
    'futures plan history planType=%s',
    async (planType) => {
      const served: string[] = [];
      let idLessThan: string | undefined;
      for (;;) {
        const { body } = await getJson<{ entrustedList: Row[]; endId: string }>(
          sim.url,
          '/api/v2/mix/order/orders-plan-history',
          qs({ productType: 'USDT-FUTURES', planType, idLessThan, limit: 37 }),
          signed(),
        );
        if (body.data.entrustedList.length === 0) break;
        served.push(...body.data.entrustedList.map((r) => r.orderId));
        idLessThan = body.data.endId;
      }
      expectExactlyOnce(
        served,
        ids((t) => t.market === 'usdt-futures' && t.planType === planType),
      );
    },
  );

  test('idLessThan combines with startTime/endTime: both filters apply', async () => {
    const stream = truth.filter((t) => t.market === 'spot' && t.kind === 'normal');
    const start = stream[Math.floor(stream.length * 0.3)]!.cTime;
    const end = stream[Math.floor(stream.length * 0.6)]!.cTime;
    const pivot = stream[Math.floor(stream.length * 0.5)]!;
    const expected = stream
      .filter((t) => t.cTime >= start && t.cTime <= end && BigInt(t.orderId) < BigInt(pivot.orderId))
      .map((t) => t.orderId);
    expect(expected.length).toBeGreaterThan(100);
    const served = await pageSpot({ startTime: start, endTime: end }, pivot.orderId);
    expect(served).toEqual([...expected].reverse());
  });

  test('idLessThan compares 19-digit ids exactly (beyond 2^53)', async () => {
    const stream = truth.filter((t) => t.market === 'spot' && t.kind === 'normal');
    const target = stream[stream.length - 1]!;
    const next = (BigInt(target.orderId) + 1n).toString();
    expect(Number(next)).toBe(Number(target.orderId));
    const { body } = await getJson<Row[]>(
      sim.url,
      '/api/v2/spot/trade/history-orders',
      qs({ idLessThan: next, limit: 1 }),
      signed(),
    );
    expect(body.data[0]!.orderId).toBe(target.orderId);
    const exclusive = await getJson<Row[]>(
      sim.url,
      '/api/v2/spot/trade/history-orders',
      qs({ idLessThan: target.orderId, limit: 1 }),
      signed(),
    );
    expect(exclusive.body.data[0]!.orderId).not.toBe(target.orderId);
  });

  test('limit defaults to 100 and larger values are clamped to 100', async () => {
    const def = await getJson<Row[]>(sim.url, '/api/v2/spot/trade/history-orders', '', signed());
    const big = await getJson<Row[]>(
      sim.url,
      '/api/v2/spot/trade/history-orders',
      qs({ limit: 500 }),
      signed(),
    );
    expect(def.body.data).toHaveLength(100);
    expect(big.body.data).toHaveLength(100);
    expect(
      (await getJson(sim.url, '/api/v2/spot/trade/history-orders', qs({ limit: 'ten' }), signed())).body.code,
    ).toBe('40020');
  });

  test('symbols are matched case-insensitively; unknown symbols give an empty list', async () => {
    const lower = await getJson<Row[]>(
      sim.url,
      '/api/v2/spot/trade/history-orders',
      qs({ symbol: 'btcusdt' }),
      signed(),
    );
    expect(lower.body.data.length).toBeGreaterThan(0);
    expect(lower.body.data.every((r) => r.symbol === 'BTCUSDT')).toBe(true);
    const unknown = await getJson<Row[]>(
      sim.url,
      '/api/v2/spot/trade/history-orders',
      qs({ symbol: 'NOPEUSDT' }),
      signed(),
    );
    expect([unknown.body.code, unknown.body.data]).toEqual(['00000', []]);
  });

  test('spot plan history requires symbol (40019), futures require productType and planType', async () => {
    const plan = await getJson(
      sim.url,
      '/api/v2/spot/trade/history-plan-order',
      qs({ startTime: T0 - DAY_MS, endTime: T0 }),
      signed(),
    );
    expect([plan.status, plan.body.code, plan.body.msg]).toEqual([
      400,
      '40019',
      'Parameter symbol cannot be empty',
    ]);
    expect((await getJson(sim.url, '/api/v2/mix/order/orders-history', '', signed())).body.code).toBe(
      '40019',
    );
    const noPlanType = await getJson(
      sim.url,
      '/api/v2/mix/order/orders-plan-history',
      qs({ productType: 'USDT-FUTURES' }),
      signed(),
    );
    expect(noPlanType.body.msg).toBe('Parameter planType cannot be empty');
    const badType = qs({ productType: 'USDT-FUTURES', planType: 'moon_plan' });
    expect(
      (await getJson(sim.url, '/api/v2/mix/order/orders-plan-history', badType, signed())).body.code,
    ).toBe('40020');
    expect(sim.stats().refused.spotPlanHistory?.param).toBe(1);
  });
});

describe('v3 cursor pagination (UTA) yields every order exactly once', () => {
  const clock = manualClock(T0);
  let sim: Simulator;
  let truth: TruthRecord[];
  const signed = () => ({ credentials: sim.credentials, timestamp: clock.now() });
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 6,
      orders: 3000,
      now: clock.now,
      mode: 'uta',
      rateLimits: { perSecond: unlimited },
    });
    truth = [];
    for await (const t of sim.truth()) truth.push(t);
  });
  afterAll(() => sim.close());

  async function pageV3(path: string, category: string): Promise<string[]> {
    const served: string[] = [];
    // Three 30-day windows with inclusive bounds cover the 90 retained days.
    for (let k = 0; k < 3; k++) {
      const startTime = T0 - 90 * DAY_MS + k * 30 * DAY_MS;
      const endTime = k === 2 ? T0 : startTime + 30 * DAY_MS - 1;
      let cursor: string | undefined;
      for (;;) {
        const { body } = await getJson<{ list: Row[]; cursor: string }>(
          sim.url,
          path,
          qs({ category, startTime, endTime, cursor, limit: 100 }),
          signed(),
        );
        expect(body.code).toBe('00000');
        served.push(...body.data.list.map((r) => r.orderId));
        if (!body.data.cursor) break;
        cursor = body.data.cursor;
      }
    }
    return served;
  }

  const HISTORY: Array<[string, string | null]> = [
    ['SPOT', 'spot'],
    ['MARGIN', null],
    ['USDT-FUTURES', 'usdt-futures'],
    ['COIN-FUTURES', 'coin-futures'],
    ['USDC-FUTURES', 'usdc-futures'],
  ];
  const STRATEGY: Array<[string, string]> = [
    ['USDT-FUTURES', 'usdt-futures'],
    ['COIN-FUTURES', 'coin-futures'],
    ['USDC-FUTURES', 'usdc-futures'],
  ];

  test.each(HISTORY)('history-orders category=%s', async (category, market) => {
    const served = await pageV3('/api/v3/trade/history-orders', category);
    expectExactlyOnce(
      served,
      truth.filter((t) => t.market === market && t.kind === 'normal').map((t) => t.orderId),
    );
  });

  test.each(STRATEGY)(
    'history-strategy-orders category=%s (plan and TP/SL orders)',
    async (category, market) => {
      const served = await pageV3('/api/v3/trade/history-strategy-orders', category);
      expectExactlyOnce(
        served,
        truth.filter((t) => t.market === market && t.kind !== 'normal').map((t) => t.orderId),
      );
    },
  );

  test('every documented stream together yields exactly the truth, each order once', async () => {
    const served: string[] = [];
    for (const [category] of HISTORY)
      served.push(...(await pageV3('/api/v3/trade/history-orders', category)));
    for (const [category] of STRATEGY)
      served.push(...(await pageV3('/api/v3/trade/history-strategy-orders', category)));
    expect(truth).toHaveLength(3000);
    expectExactlyOnce(
      served,
      truth.map((t) => t.orderId),
    );
  });

  test('the truth holds no spot TP/SL or spot plan orders', () => {
    expect(truth.filter((t) => t.market === 'spot').length).toBeGreaterThan(500);
    expect(truth.filter((t) => t.market === 'spot' && t.kind !== 'normal')).toEqual([]);
  });

  test.each(['SPOT', 'MARGIN', 'spot', 'BTC-FUTURES'])(
    'history-strategy-orders refuses category=%s with 40020 (futures only)',
    async (category) => {
      const { status, body } = await getJson(
        sim.url,
        '/api/v3/trade/history-strategy-orders',
        qs({ category }),
        signed(),
      );
      expect([status, body.code, body.msg, body.data]).toEqual([
        400,
        '40020',
        'Parameter category error',
        null,
      ]);
    },
  );

  test('history-strategy-orders without category answers 40019; refusals count as param', async () => {
    const { status, body } = await getJson(sim.url, '/api/v3/trade/history-strategy-orders', '', signed());
    expect([status, body.code, body.msg]).toEqual([400, '40019', 'Parameter category cannot be empty']);
    expect(sim.stats().refused.utaStrategyHistory?.param).toBe(5);
  });

  test('every served strategy row has posSide long or short', async () => {
    const posSides = new Set<unknown>();
    for (const [category] of STRATEGY) {
      const { body } = await getJson<{ list: Array<Record<string, unknown>> }>(
        sim.url,
        '/api/v3/trade/history-strategy-orders',
        qs({ category, limit: 100 }),
        signed(),
      );
      expect(body.data.list.length).toBeGreaterThan(0);
      for (const row of body.data.list) posSides.add(row.posSide);
    }
    expect(posSides).toEqual(new Set(['long', 'short']));
  });

  test('strategy type=tpsl lists only TP/SL orders', async () => {
    const { body } = await getJson<{ list: Row[] }>(
      sim.url,
      '/api/v3/trade/history-strategy-orders',
      qs({ category: 'USDT-FUTURES', type: 'tpsl' }),
      signed(),
    );
    const tpsl = new Set(truth.filter((t) => t.planType === 'profit_loss').map((t) => t.orderId));
    expect(body.data.list.length).toBeGreaterThan(0);
    expect(body.data.list.every((r) => tpsl.has(r.orderId))).toBe(true);
  });
});
