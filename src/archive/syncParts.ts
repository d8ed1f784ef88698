/** Small pieces both stages of a sync use. */
import type { BitgetClient } from '../bitget/BitgetClient';
import { FILLS, LEDGER } from './dataset';
import type { SyncedDataset } from './datasetStreams';

/** The data sets a sync merges beside orders, and their archive specs. */
export const SYNCED: readonly SyncedDataset[] = ['fills', 'ledger'];
export const DATASET_SPECS = { fills: FILLS, ledger: LEDGER } as const;

/** Every request the client has made so far. */
export const sumRequests = (client: BitgetClient): number =>
  Object.values(client.stats().requests).reduce((a, b) => a + (b ?? 0), 0);

export const iso = (ms: number): string => new Date(ms).toISOString();
