import { api, envelope, serveTime, testClient, useNock } from '../../tests/fixtures/bitget/helpers';
import { RateLimiters } from './rateLimits';
import { requestTimeOf } from './transport';
import { DEFAULT_GUARD, DEFAULT_LEAD_MS } from './windowBudget';
import { manualLater } from '../../tests/helpers/manualLater';

useNock();

const SPOT = '/api/v2/spot/trade/history-orders';
const REMAIN = 'x-mbx-used-remain-limit';

/** The budgets' clock: fixed, so that nothing a test asserts depends on how long the machine took. */
const CLOCK_MS = 1_748_721_720_000;

/** A client at the documented budgets whose slots come back only when the test fires their timers. */
function pacedClient() {
  const timers = manualLater();
  const limiters = new RateLimiters({ later: timers.later, now: () => CLOCK_MS });
  const { client, sleeps } = testClient({ limiters });
  const budget = () => limiters.budget(client.account, 'spotHistoryOrders');
  return { client, sleeps, timers, limiters, budget };
}

/** Lets pending I/O callbacks and timers of 0 ms run (nock's replies, Bottleneck's bookkeeping). */
async function settle(until: () => boolean, ticks = 1000): Promise<void> {
  for (let i = 0; i < ticks && !until(); i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('the transport tells the budget what each answer said', () => {
  let paced: ReturnType<typeof pacedClient>;
  beforeEach(() => {
    paced = pacedClient();
    serveTime(CLOCK_MS);
  });
  afterEach(() => paced.limiters.stop());

  it("hands the budget the header, the refusal and the envelope's requestTime of each answer", async () => {
    const reports: unknown[] = [];
    const observe = paced.limiters.observe.bind(paced.limiters);
    jest.spyOn(paced.limiters, 'observe').mockImplementation((slot, report) => {
      reports.push(report);
      observe(slot, report);
    });
    api()
      .get(SPOT)
      .query(true)
      .reply(200, { ...envelope([]), requestTime: '1750000000123' }, { [REMAIN]: '19' });
    await paced.client.getSpotHistoryOrders();
    // The first report is the server-time call's (its own public budget).
    expect(reports.at(-1)).toEqual({ remaining: 19, refused: false, requestTime: 1_750_000_000_123 });
  });

  it('withholds the calls the server counts beyond ours (the header)', async () => {
    api()
      .get(SPOT)
      .query(true)
      .reply(200, envelope([]), { [REMAIN]: '12' });
    await paced.client.getSpotHistoryOrders();
    // 20 a second; the server counts 8 with ours, we made 1: 7 are someone else's.
    expect(paced.budget().withheldSlots).toBe(7);
    expect(await paced.budget().reservoir()).toBe(12);
  });

  it.each([
    ['no header', undefined],
    ['a word', 'lots'],
    ['a negative count', '-3'],
    ['a fraction', '2.5'],
    ['an empty value', ''],
  ])(
    'falls back to its own count at the documented budget on %s, and the call succeeds',
    async (_, value) => {
      api()
        .get(SPOT)
        .query(true)
        .reply(200, envelope([]), value === undefined ? {} : { [REMAIN]: value });
      await expect(paced.client.getSpotHistoryOrders()).resolves.toBeDefined();
      expect(paced.budget().withheldSlots).toBe(0);
      expect(await paced.budget().reservoir()).toBe(19);
      expect(paced.budget().guardMs).toBeLessThan(DEFAULT_GUARD.initialMs);
    },
  );

  it('on an HTTP 429, holds the budget before the retry goes out and widens the guard', async () => {
    const events: string[] = [];
    api()
      .get(SPOT)
      .query(true)
      .reply(() => {
        events.push('attempt 1');
        return [
          429,
          { code: '429', msg: 'Too Many Requests', requestTime: 1, data: null },
          { [REMAIN]: '0' },
        ];
      });
    api()
      .get(SPOT)
      .query(true)
      .reply(() => {
        events.push('attempt 2');
        return [200, envelope([]), { [REMAIN]: '19' }];
      });
    const call = paced.client.getSpotHistoryOrders();
    await settle(() => paced.sleeps.length === 1);
    // The refused call's slot is back; the server's full window, none of it ours, is withheld for one slot.
    expect(paced.budget().withheldSlots).toBe(20);
    expect(paced.budget().guardMs).toBe(DEFAULT_GUARD.initialMs + DEFAULT_GUARD.stepUpMs);
    // Timers left: the server-time call's slot (back in the reservoir its lead before it is free) and the hold;
    // the refused call's own slot is not among them.
    expect(paced.timers.pending()).toEqual([1010 - DEFAULT_LEAD_MS, 50]);
    // Time for a retry that did not wait for the hold to go out (it must not).
    await settle(() => events.length > 1, 50);
    events.push('hold lifted');
    paced.timers.fire(50);
    await call;
    expect(events).toEqual(['attempt 1', 'hold lifted', 'attempt 2']);
    expect(paced.client.stats().http429).toBe(1);
    expect(await paced.budget().reservoir()).toBe(19);
  });

  it('takes code 429 under HTTP 200 for a refusal too', async () => {
    api()
      .get(SPOT)
      .query(true)
      .reply(200, { code: '429', msg: 'Too Many Requests', requestTime: 1, data: null });
    api().get(SPOT).query(true).reply(200, envelope([]));
    const call = paced.client.getSpotHistoryOrders();
    await settle(() => paced.sleeps.length === 1);
    expect(paced.budget().withheldSlots).toBe(20);
    expect(paced.budget().guardMs).toBe(DEFAULT_GUARD.initialMs + DEFAULT_GUARD.stepUpMs);
    paced.timers.fire(50);
    await call;
  });
});

describe("an envelope's requestTime", () => {
  it('is read from a number or digits, in a parsed body or its text, and is null otherwise', () => {
    expect(requestTimeOf({ requestTime: 1750000000123 })).toBe(1750000000123);
    expect(requestTimeOf('{"code":"00000","requestTime":"1750000000123"}')).toBe(1750000000123);
    expect(requestTimeOf({ requestTime: 'soon' })).toBeNull();
    expect(requestTimeOf({ requestTime: -5 })).toBeNull();
    expect(requestTimeOf('<html>')).toBeNull();
    expect(requestTimeOf(null)).toBeNull();
  });
});
