import type { EndpointId } from '../bitget/endpoints';
import type { FetchPage } from './cursor';

/** What the extraction needs from the exchange; implemented over the Bitget client (see bitgetExchange.ts). */
export interface ExchangePort {
  serverTime(): Promise<number>;
  /**
   * The exchange's time now as the client last synced it, without a request (undefined while not synced):
   * where each endpoint's retention begins while a lane works.
   */
  serverNow?(): number | undefined;
  accountMode(): Promise<'classic' | 'uta'>;
  /** Every spot symbol the exchange lists, whatever its status (offline and halted ones included). */
  spotSymbols(): Promise<string[]>;
  fetchPage: FetchPage;
  /** The client's counters for one endpoint, to attribute retries and 429s to a lane. */
  endpointStats(endpoint: EndpointId): { requests: number; retries: number; http429: number };
  /** Requests per second the client sends to an endpoint at most. */
  rateLimit(endpoint: EndpointId): number;
}
