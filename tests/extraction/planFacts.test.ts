/**
 * Planning with what a sync already asked the exchange (`runs/<runId>/exchange.json`): recent facts replace the
 * server time, mode and symbol questions; stale ones are asked again. askExchangeFacts asks them before planning
 * (the local run does while its stack starts).
 */
import { parseExtractionRequest } from '../../src/core/request';
import { askExchangeFacts } from '../../src/extraction/exchangeFacts';
import { RunRepository } from '../../src/extraction/RunRepository';
import { DEFAULT_EXTRACTION_SETTINGS, EXCHANGE_FACTS_FRESH_MS, planStage } from '../../src/extraction/stages';
import { FakeExchange } from '../helpers/fakeExchange';
import { startTestStore } from '../helpers/localStore';

const SERVER_NOW = 1_760_000_000_000;
const LOCAL_NOW = 1_750_000_000_000;

/** The fake exchange, counting the questions planning asks it. */
function countingExchange(): { exchange: FakeExchange; asked: string[] } {
  const exchange = new FakeExchange(new Map(), {
    now: SERVER_NOW,
    mode: 'classic',
    spotSymbols: ['ETHUSDT'],
  });
  const asked: string[] = [];
  const { serverTime, accountMode, spotSymbols } = exchange;
  exchange.serverTime = () => (asked.push('serverTime'), serverTime());
  exchange.accountMode = () => (asked.push('accountMode'), accountMode());
  exchange.spotSymbols = () => (asked.push('spotSymbols'), spotSymbols());
  return { exchange, asked };
}

describe('planning with the facts a sync saved', () => {
  let env: Awaited<ReturnType<typeof startTestStore>>;
  beforeAll(async () => {
    env = await startTestStore('plan-facts');
  });
  afterAll(async () => env.close());

  const plan = async (runId: string, askedAgo: number) => {
    const { exchange, asked } = countingExchange();
    const run = new RunRepository(env.store, runId);
    await run.saveExchangeFacts({
      serverTime: SERVER_NOW - 5_000,
      askedAt: LOCAL_NOW - askedAgo,
      mode: 'classic',
      listedSpotSymbols: ['BTCUSDT', 'XRPUSDT'],
    });
    const deps = { store: env.store, exchange, settings: DEFAULT_EXTRACTION_SETTINGS, now: () => LOCAL_NOW };
    const request = parseExtractionRequest({ markets: ['spot'], kinds: ['plan'], until: SERVER_NOW - 5_000 });
    await planStage(deps, { runId, request });
    return { asked, saved: (await run.getPlan())! };
  };

  it('asks nothing the sync asked a moment ago, the server time moved on by the local clock', async () => {
    const { asked, saved } = await plan('facts-fresh', 2_000);
    expect(asked).toEqual([]);
    expect(saved.createdAt).toBe(SERVER_NOW - 3_000);
    expect(saved.listedSpotSymbols).toEqual(['BTCUSDT', 'XRPUSDT']);
  });

  it('asks everything again when the facts are older than EXCHANGE_FACTS_FRESH_MS', async () => {
    const { asked, saved } = await plan('facts-stale', EXCHANGE_FACTS_FRESH_MS + 1);
    expect(asked.sort()).toEqual(['accountMode', 'serverTime', 'spotSymbols']);
    expect(saved.createdAt).toBe(SERVER_NOW);
    expect(saved.listedSpotSymbols).toEqual(['ETHUSDT']);
  });
});

describe('askExchangeFacts', () => {
  let env: Awaited<ReturnType<typeof startTestStore>>;
  beforeAll(async () => {
    env = await startTestStore('ask-facts');
  });
  afterAll(async () => env.close());

  it('asks the time, the mode and the listed symbols at once; planning with them asks nothing more', async () => {
    const { exchange, asked } = countingExchange();
    let clock = LOCAL_NOW;
    const request = parseExtractionRequest({ markets: ['spot'], kinds: ['plan'], until: SERVER_NOW - 5_000 });
    const facts = await askExchangeFacts(exchange, request, () => (clock += 10));
    expect(asked.sort()).toEqual(['accountMode', 'serverTime', 'spotSymbols']);
    expect(facts).toEqual({
      serverTime: SERVER_NOW,
      askedAt: LOCAL_NOW + 10,
      mode: 'classic',
      listedSpotSymbols: ['ETHUSDT'],
    });

    const run = new RunRepository(env.store, 'asked-before');
    await run.saveExchangeFacts(facts);
    asked.length = 0;
    const deps = { store: env.store, exchange, settings: DEFAULT_EXTRACTION_SETTINGS, now: () => clock };
    await planStage(deps, { runId: 'asked-before', request });
    expect(asked).toEqual([]);
    expect((await run.getPlan())!.listedSpotSymbols).toEqual(['ETHUSDT']);
  });

  it('does not ask for the symbols when the run searches no spot plan orders', async () => {
    const { exchange, asked } = countingExchange();
    const request = parseExtractionRequest({ markets: ['usdt-futures'], kinds: ['normal'] });
    const facts = await askExchangeFacts(exchange, request, () => LOCAL_NOW);
    expect(asked.sort()).toEqual(['accountMode', 'serverTime']);
    expect(facts).toEqual({ serverTime: SERVER_NOW, askedAt: LOCAL_NOW, mode: 'classic' });
  });
});
