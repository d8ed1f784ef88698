/**
 * The first stage of a sync: everything before the extraction run.
 *
 * 1. Identity and time: the exchange's time T, the account mode, its UID (the archive's key), and the listed
 *    spot symbols when spot plan orders are synced; saved with the run, so that its planning asks none again.
 * 2. Open orders at T (the open-order endpoints), with their current status.
 * 3. The extraction request: each stream from its own watermark — or from the creation time of its oldest
 *    order last seen open, whichever is earlier — to T.
 *
 * Its context (above, and the archive generation it read) is saved under the run for the commit stage. It writes
 * nothing under archive/.
 */
import { newRunId } from '../core/engine';
import { DATASET_NAMES } from '../core/dataset';
import { KINDS, MARKETS } from '../core/order';
import type { ExtractionRequest } from '../core/request';
import { parseExtractionRequest } from '../core/request';
import { RunRepository } from '../extraction/RunRepository';
import { ArchiveStore } from './ArchiveStore';
import { dueOpenChecks, orderStreams, streamStarts, syncStart } from './coverage';
import { ORDERS } from './dataset';
import { datasetStarts, datasetStreams } from './datasetStreams';
import { emptyDatasetState, emptyManifest } from './manifest';
import { fetchOpenOrders } from './openOrders';
import type { SyncContext } from './syncContext';
import { saveSyncContext } from './syncContext';
import { DATASET_SPECS, SYNCED, iso, sumRequests } from './syncParts';
import type { SyncOptions, SyncStageDeps } from './syncTypes';

export interface PreparedSync {
  runId: string;
  /** What the extraction run is asked (no secret: markets, kinds, data sets, times). */
  request: ExtractionRequest;
  context: SyncContext;
}

export async function prepareSync(deps: SyncStageDeps, options: SyncOptions = {}): Promise<PreparedSync> {
  const log = deps.log ?? (() => undefined);
  const markets = [...(options.markets ?? MARKETS)];
  const kinds = [...(options.kinds ?? KINDS)];
  const datasets = DATASET_NAMES.filter((d) => (options.datasets ?? DATASET_NAMES).includes(d));
  const wantsOrders = datasets.includes('orders');
  const synced = SYNCED.filter((d) => datasets.includes(d));
  const { client } = deps;
  const before = sumRequests(client);

  // The server time first: its answer also syncs the client's signing clock, so it is asked once.
  const until = await client.getServerTime();
  const askedAt = Date.now();
  const mode = await client.getAccountMode();
  const uid = await client.getAccountUid(mode);
  const manifest = (await new ArchiveStore(deps.store, uid).readManifest()) ?? emptyManifest(uid);
  const state = manifest.datasets[ORDERS.name] ?? emptyDatasetState();
  const streams = wantsOrders ? orderStreams(mode, markets, kinds) : [];
  // Asked once for the open orders, the run's plan and the follow-up of delisted symbols' plan orders.
  const listedSpotSymbols =
    wantsOrders && mode === 'classic' && markets.includes('spot') && kinds.includes('plan')
      ? (await client.getSpotSymbols()).map((s) => s.symbol)
      : undefined;
  const { due, planSymbols } = dueOpenChecks(state, streams, until);
  const open = wantsOrders
    ? await fetchOpenOrders(client, { mode, markets, kinds, due, planSymbols, listedSpotSymbols })
    : [];

  // Each stream from its own watermark: only a stream with an order last seen open long ago looks back that far.
  const setStreams = synced.map((d) => datasetStreams(d, mode, markets));
  const setStarts = synced.map((d, i) =>
    datasetStarts(
      manifest.datasets[DATASET_SPECS[d].name] ?? emptyDatasetState(),
      setStreams[i]!,
      until,
      state,
    ),
  );
  const starts: Record<string, number> = {
    ...streamStarts(state, streams),
    ...Object.assign({}, ...setStarts.map((s) => s.starts)),
  };
  // The run's `since`: open (everything Bitget serves) while some stream was never covered.
  const orderStart = streams.length > 0 ? syncStart(state, streams) : Infinity;
  const anyUncovered = orderStart === undefined || setStarts.some((s) => s.uncovered.length > 0);
  // Tax streams always carry their own start (they reach further back): the run's `since` is the others'.
  const isTax = new Set(
    setStreams
      .flat()
      .filter((s) => s.tax)
      .map((s) => s.stream),
  );
  const earliest = Math.min(
    orderStart ?? Infinity,
    ...Object.entries(starts).flatMap(([s, t]) => (isTax.has(s) ? [] : [t])),
  );
  const since = anyUncovered || !Number.isFinite(earliest) ? undefined : Math.min(earliest, until - 1);
  const streamSince = Object.fromEntries(Object.entries(starts).map(([s, t]) => [s, Math.min(t, until - 1)]));
  log(
    `sync: account ${uid} (${mode}), ${datasets.join(', ')}, ${wantsOrders ? `${open.length} open orders, ` : ''}asking ${since === undefined ? 'everything Bitget serves' : `from ${iso(since)}`} to ${iso(until)}` +
      describeStarts(streamSince, since),
  );

  const runId = (deps.runId ?? (() => newRunId()))();
  const request = parseExtractionRequest({
    markets,
    kinds,
    since,
    until,
    streamSince: Object.keys(streamSince).length > 0 ? streamSince : undefined,
    order: 'asc',
    datasets,
    taxSpanDays: options.taxSpanDays,
  });
  await new RunRepository(deps.store, runId).saveExchangeFacts({
    serverTime: until,
    askedAt,
    mode,
    listedSpotSymbols,
  });
  const context: SyncContext = {
    runId,
    uid,
    mode,
    markets,
    kinds,
    datasets,
    until,
    since: since ?? null,
    streamSince,
    ...(listedSpotSymbols ? { listedSpotSymbols } : {}),
    due: [...due],
    open,
    requests: sumRequests(client) - before,
    generation: manifest.generation,
  };
  await saveSyncContext(deps.store, context);
  return { runId, request, context };
}

/** The streams that start later than the sync's earliest start, for the log line. */
function describeStarts(starts: Record<string, number>, since: number | undefined): string {
  const later = Object.entries(starts).filter(([, t]) => since === undefined || t > since);
  return later.length === 0 ? '' : ` (${later.map(([s, t]) => `${s} from ${iso(t)}`).join(', ')})`;
}
