import type { ExtractionRequest } from '../core/request';
import type { ExchangePort } from './exchange';
import { wantsSpotPlanDiscovery } from './plan';
import type { ExchangeFacts } from './runState';

/**
 * Asks the exchange, at once, what planning a run of `request` needs: the server time, the account mode and,
 * when the run searches spot plan orders, the symbols Bitget lists. Saved as the run's exchange facts
 * (`RunRepository.saveExchangeFacts`), planning uses them instead of asking again (stages.ts, planStage).
 * `askedAt` is the local clock when the server time arrived, so that the server time read later from
 * `serverTime + (now − askedAt)` never runs ahead of the exchange's.
 */
export async function askExchangeFacts(
  exchange: Pick<ExchangePort, 'serverTime' | 'accountMode' | 'spotSymbols'>,
  request: ExtractionRequest,
  now: () => number = Date.now,
): Promise<ExchangeFacts> {
  const [time, mode, listed] = await Promise.all([
    exchange.serverTime().then((serverTime) => ({ serverTime, askedAt: now() })),
    exchange.accountMode(),
    wantsSpotPlanDiscovery(request) ? exchange.spotSymbols() : Promise.resolve(undefined),
  ]);
  return { ...time, mode, ...(listed !== undefined ? { listedSpotSymbols: listed } : {}) };
}
