/**
 * One sync: fetch what the exchange serves that the archive does not hold in its latest state yet, and merge
 * it into the account's archive.
 *
 * 1. Identity and time: the exchange's time T, the account mode, its UID (the archive's key), and the listed
 *    spot symbols when spot plan orders are synced; saved with the run, so that its planning asks none again.
 * 2. Open orders at T (the open-order endpoints), with their current status.
 * 3. The extraction run itself (the same state machine, lanes and rate limiters as `extract`), each stream
 *    from its own watermark — or from the creation time of its oldest order last seen open, whichever is
 *    earlier — to T.
 *    An order open at T is in step 2; one that finished before T is in history with cTime < T: nothing that
 *    finishes weeks after its creation is lost by a sync that starts from a watermark.
 * 4. Merge, partition by partition: new partition objects first, the manifest last (coverage, gaps, open
 *    orders, last sync), then the objects no manifest names are deleted. A failure before the manifest leaves
 *    the previous archive as it was; coverage moves only with the manifest, after the data is durable.
 */
import { z } from 'zod';
import type { BitgetClient } from '../bitget/BitgetClient';
import type { ExecutionDescription, ExecutionEngine } from '../core/engine';
import { newRunId } from '../core/engine';
import type { DatasetName } from '../core/dataset';
import { DATASET_NAMES } from '../core/dataset';
import type { CanonicalOrder, Kind, Market } from '../core/order';
import { KINDS, MARKETS } from '../core/order';
import { parseExtractionRequest } from '../core/request';
import type { RunStore } from '../storage/RunStore';
import { resultKeys } from '../storage/keys';
import { RunRepository } from '../extraction/RunRepository';
import type { BeforeWrite } from './ArchiveStore';
import { ArchiveStore } from './ArchiveStore';
import {
  advanceCoverage,
  dueOpenChecks,
  newGaps,
  nextOpenRefs,
  orderStreams,
  staleOpen,
  streamStarts,
  syncStart,
} from './coverage';
import type { DatasetSpec } from './dataset';
import { FILLS, LEDGER, ORDERS, monthOf } from './dataset';
import type { DatasetStream, SyncedDataset } from './datasetStreams';
import { datasetStarts, datasetStreams, gapCoveredBy, withBillsCoverage } from './datasetStreams';
import type { DatasetMergeReport } from './mergeDataset';
import { stageDataset } from './mergeDataset';
import { SyncIncompleteError } from './errors';
import type { DatasetState, Gap, Manifest, PartitionEntry, Span } from './manifest';
import { KEEP_SYNCS, emptyDatasetState, emptyManifest } from './manifest';
import { mergeRecords } from './merge';
import { fetchOpenOrders, fetchUnlistedPlanOrders } from './openOrders';
import type { Database } from '../db/connection';
import { importArchive } from '../db/archiveOrders';

export interface SyncDeps {
  store: RunStore;
  client: BitgetClient;
  /** The extraction engine: LocalEngine (has `wait`) or Step Functions (polled through `describe`). */
  engine: ExecutionEngine & { wait?(executionArn: string): Promise<ExecutionDescription> };
  pollMs?: number;
  beforeWrite?: BeforeWrite;
  /** When given, the database is brought up to the archive after the manifest is written (one row per order). */
  database?: Database;
  log?: (line: string) => void;
  runId?: () => string;
}

export interface SyncOptions {
  markets?: readonly Market[];
  kinds?: readonly Kind[];
  /** The data sets synced (default: all three). */
  datasets?: readonly DatasetName[];
  /** Days per tax-record query (default: the smallest span the docs give). */
  taxSpanDays?: number;
}

/** One data set of a sync beside orders: what its merge did, and (ledger) how far back the tax records reached. */
export interface DatasetSyncReport extends Omit<DatasetMergeReport, 'conflicts' | 'gaps'> {
  /** Keys a sync brought again with other values (the archived copy is kept), the first 100. */
  conflicts: { count: number; keys: string[] };
  /** New gaps; a bills gap the tax records cover names the tax stream (its entries are there as source "tax"). */
  gaps: (Gap & { coveredBy: string | null })[];
  /** Ledger: where the tax records this sync asked begin (null when it asked none). */
  taxSince?: number | null;
}

export interface SyncReport {
  uid: string;
  mode: 'classic' | 'uta';
  runId: string;
  /**
   * What the sync asked for (null since: everything Bitget serves; `streams`: where each covered stream
   * started, its watermark or its oldest order last seen open) and what the run was served.
   */
  asked: { since: number | null; until: number; streams: Record<string, number> };
  served: Span;
  fetched: number;
  openOrders: number;
  added: number;
  updated: number;
  records: number;
  partitionsWritten: number;
  gaps: Gap[];
  /** Orders last seen open, created before what Bitget still serves: kept in the state last seen. */
  staleOpen: number;
  /** Requests of the run plus those of the sync itself (identity, time, open orders). */
  requests: number;
  nothingNew: boolean;
  generation: number;
  /** Fills and the ledger, when synced (the fields above are the orders'). */
  datasets: Partial<Record<SyncedDataset, DatasetSyncReport>>;
  /** Rows the database import inserted and updated (null without a database). */
  database: { inserted: number; updated: number; partitions: number } | null;
}

const summarySchema = z.looseObject({
  complete: z.boolean(),
  served: z.object({ since: z.number(), until: z.number() }).nullable(),
  requests: z.number().int(),
  missing: z.array(z.string()).optional(),
  failure: z.object({ error: z.string(), cause: z.string() }).nullable().optional(),
  datasets: z
    .record(
      z.string(),
      z.looseObject({
        streams: z.record(z.string(), z.object({ since: z.number(), until: z.number() })).optional(),
        taxSince: z.number().nullable().optional(),
      }),
    )
    .optional(),
});

const sumRequests = (client: BitgetClient): number =>
  Object.values(client.stats().requests).reduce((a, b) => a + (b ?? 0), 0);

export async function runSync(deps: SyncDeps, options: SyncOptions = {}): Promise<SyncReport> {
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
  const archive = new ArchiveStore(deps.store, uid, deps.beforeWrite);
  const manifest = (await archive.readManifest()) ?? emptyManifest(uid);
  const state: DatasetState = manifest.datasets[ORDERS.name] ?? emptyDatasetState();
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
  const ownRequests = sumRequests(client) - before;

  // Each stream from its own watermark: only a stream with an order last seen open long ago looks back that far.
  const setStreams = new Map<SyncedDataset, DatasetStream[]>(
    synced.map((d) => [d, datasetStreams(d, mode, markets, kinds)]),
  );
  const setStarts = synced.map((d) =>
    datasetStarts(manifest.datasets[DATASET_SPECS[d].name] ?? emptyDatasetState(), setStreams.get(d)!, until),
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
    [...setStreams.values()]
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
  const started = await deps.engine.start(request, runId);
  const execution = await waitFor(deps, started.executionArn);
  const summary = await deps.store.getJson(resultKeys(runId).summary, summarySchema);
  if (
    execution.status !== 'SUCCEEDED' ||
    !execution.output?.complete ||
    !summary?.complete ||
    !summary.served
  ) {
    const why = summary?.failure?.cause || summary?.missing?.join('; ') || execution.cause || execution.error;
    throw new SyncIncompleteError(
      `run ${runId} did not complete (${execution.status}): ${why ?? 'unknown'}; the archive is unchanged`,
      runId,
    );
  }
  const served: Span = { from: summary.served.since, to: summary.served.until };

  // Merge: the run's result is sorted by (cTime, orderId), so its months arrive one after the other.
  const generation = manifest.generation + 1;
  const openByMonth = groupByMonth(open);
  const partitions = new Map<string, PartitionEntry>(state.partitions.map((p) => [p.month, p]));
  let added = 0;
  let updated = 0;
  let fetched = 0;
  let written = 0;
  const mergeMonth = async (month: string, incoming: CanonicalOrder[]): Promise<void> => {
    const held = partitions.get(month);
    const archived = held ? await archive.readPartition(ORDERS, held) : [];
    const merged = mergeRecords(ORDERS, archived, incoming);
    added += merged.added;
    updated += merged.updated;
    if (merged.added + merged.updated === 0) return;
    partitions.set(month, await archive.writePartition(ORDERS, month, generation, merged.records));
    written += 1;
  };
  let month: string | null = null;
  let batch: CanonicalOrder[] = [];
  const seenPlans = new Set<string>();
  for await (const line of wantsOrders ? deps.store.readLines(resultKeys(runId).ordersJsonl) : []) {
    if (line === '') continue;
    const order = ORDERS.parse(line);
    fetched += 1;
    if (order.market === 'spot' && order.kind === 'plan') seenPlans.add(ORDERS.key(order));
    const m = monthOf(ORDERS.time(order));
    if (m !== month) {
      if (month !== null) await mergeMonth(month, [...batch, ...(openByMonth.get(month) ?? [])]);
      openByMonth.delete(month ?? '');
      month = m;
      batch = [];
    }
    batch.push(order);
  }
  if (month !== null) {
    await mergeMonth(month, [...batch, ...(openByMonth.get(month) ?? [])]);
    openByMonth.delete(month);
  }
  for (const [m, orders] of [...openByMonth].sort(([a], [b]) => (a < b ? -1 : 1)))
    await mergeMonth(m, orders);

  // Spot plan orders last seen open that neither the run nor the open-order endpoints returned: when Bitget no
  // longer lists their symbol, the run did not ask it, so their final state is asked for by symbol.
  const openKeys = new Set(open.map((o) => ORDERS.key(o)));
  const unresolved = state.open.flatMap((o) =>
    o.stream === 'spot/plan' &&
    streams.includes(o.stream) &&
    o.symbol &&
    !seenPlans.has(o.key) &&
    !openKeys.has(o.key)
      ? [{ symbol: o.symbol, cTime: o.cTime }]
      : [],
  );
  const beforeFollowUp = sumRequests(client);
  const followUp = await fetchUnlistedPlanOrders(
    client,
    unresolved,
    { from: served.from, to: until },
    listedSpotSymbols,
  );
  const followUpRequests = sumRequests(client) - beforeFollowUp;
  for (const [m, orders] of [...groupByMonth(followUp)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    fetched += orders.length;
    await mergeMonth(m, orders);
  }

  const openRefs = open.map((o) => ({
    stream: ORDERS.stream(o),
    key: ORDERS.key(o),
    cTime: o.cTime,
    ...(o.market === 'spot' && o.kind === 'plan' ? { symbol: o.symbol } : {}),
  }));
  // The streams whose open orders were asked: in full (due), or by the symbols of every order last seen open
  // (spot plan), or through an endpoint shared with a due stream (a unified account's strategy orders).
  const asked = streams.filter(
    (s) => due.has(s) || state.open.some((o) => o.stream === s) || openRefs.some((o) => o.stream === s),
  );
  const gaps = wantsOrders ? newGaps(state, streams, served, until) : [];
  const stale = staleOpen(state, asked, served, openRefs);
  const nextState: DatasetState = {
    partitions: [...partitions.values()].sort((a, b) => (a.month < b.month ? -1 : 1)),
    streams: advanceCoverage(state, streams, served),
    gaps: [...state.gaps, ...gaps],
    open: nextOpenRefs(state, asked, openRefs),
    openChecked: {
      ...Object.fromEntries(streams.map((s) => [s, state.openChecked?.[s] ?? state.streams[s]?.to ?? until])),
      ...Object.fromEntries([...due].map((s) => [s, until])),
    },
  };
  // Fills and the ledger: their partitions written under the same generation, committed by the same manifest.
  const setStates: Record<string, DatasetState> = {};
  const setReports: SyncReport['datasets'] = {};
  for (const d of synced) {
    const spec = DATASET_SPECS[d];
    const ran = summary.datasets?.[d];
    const covered = Object.entries(ran?.streams ?? {}).map(([stream, span]) => ({
      stream,
      served: { from: span.since, to: span.until },
    }));
    const held = manifest.datasets[spec.name];
    const before: Manifest = held
      ? {
          ...manifest,
          datasets: { ...manifest.datasets, [spec.name]: withBillsCoverage(held, setStreams.get(d)!) },
        }
      : manifest;
    const stage = <R>(dataset: DatasetSpec<R>, file: string) =>
      stageDataset(archive, before, dataset, generation, {
        records: parsedLines(deps.store.readLines(file), dataset.parse),
        streams: covered,
        at: until,
      });
    const staged =
      d === 'fills'
        ? await stage(FILLS, resultKeys(runId).fillsJsonl)
        : await stage(LEDGER, resultKeys(runId).ledgerJsonl);
    setStates[spec.name] = staged.state;
    const { conflicts, gaps: setGaps, ...counts } = staged.report;
    setReports[d] = {
      ...counts,
      conflicts: { count: conflicts.length, keys: conflicts.slice(0, 100).map((c) => c.key) },
      gaps: setGaps.map((g) => ({ ...g, coveredBy: gapCoveredBy(staged.state, g) })),
      ...(d === 'ledger' ? { taxSince: ran?.taxSince ?? null } : {}),
    };
  }

  const requests = ownRequests + summary.requests + followUpRequests;
  const next: Manifest = {
    ...manifest,
    generation,
    datasets: {
      ...manifest.datasets,
      ...(wantsOrders ? { [ORDERS.name]: nextState } : {}),
      ...setStates,
    },
    lastSync: until,
    syncs: [...manifest.syncs, { at: until, runId, added, updated, requests, served }].slice(-KEEP_SYNCS),
  };
  await archive.writeManifest(next);
  await archive.collectGarbage(next);
  const database = deps.database
    ? await importArchive(deps.database, archive, next, () =>
        deps.beforeWrite?.('database', 'archive_orders'),
      )
    : null;
  for (const gap of [...gaps, ...Object.values(setReports).flatMap((r) => r.gaps)])
    log(
      `sync: gap in ${gap.stream} from ${iso(gap.from)} to ${iso(gap.to)}: Bitget no longer serves it` +
        ('coveredBy' in gap && gap.coveredBy
          ? ` (its entries are archived as tax records of ${gap.coveredBy})`
          : ''),
    );
  for (const [d, r] of Object.entries(setReports))
    log(
      `sync: ${d}: ${r.fetched} fetched, ${r.added} added, ${r.duplicates} already archived, ${r.records} archived` +
        (r.conflicts.count > 0 ? `, ${r.conflicts.count} changed by the exchange (archived copy kept)` : '') +
        (r.taxSince ? `; tax records from ${iso(r.taxSince)}` : ''),
    );
  const records = nextState.partitions.reduce((n, p) => n + p.records, 0);
  return {
    uid,
    mode,
    runId,
    asked: { since: since ?? null, until, streams: streamSince },
    served,
    fetched,
    openOrders: open.length,
    added,
    updated,
    records,
    partitionsWritten: written,
    gaps,
    staleOpen: stale.length,
    requests,
    nothingNew: added + updated === 0 && Object.values(setReports).every((r) => r.added === 0),
    generation,
    datasets: setReports,
    database,
  };
}

/** The data sets a sync merges beside orders, their archive specs and result files. */
const SYNCED: readonly SyncedDataset[] = ['fills', 'ledger'];
const DATASET_SPECS = { fills: FILLS, ledger: LEDGER } as const;

async function* parsedLines<R>(lines: AsyncIterable<string>, parse: (line: string) => R): AsyncGenerator<R> {
  for await (const line of lines) if (line !== '') yield parse(line);
}

async function waitFor(deps: SyncDeps, executionArn: string): Promise<ExecutionDescription> {
  if (deps.engine.wait) return deps.engine.wait(executionArn);
  for (;;) {
    const execution = await deps.engine.describe(executionArn);
    if (execution.status !== 'RUNNING' && execution.status !== 'PENDING_REDRIVE') return execution;
    await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 2000));
  }
}

function groupByMonth(orders: CanonicalOrder[]): Map<string, CanonicalOrder[]> {
  const out = new Map<string, CanonicalOrder[]>();
  for (const o of orders) {
    const m = monthOf(ORDERS.time(o));
    const list = out.get(m);
    if (list) list.push(o);
    else out.set(m, [o]);
  }
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The streams that start later than the sync's earliest start, for the log line. */
function describeStarts(starts: Record<string, number>, since: number | undefined): string {
  const later = Object.entries(starts).filter(([, t]) => since === undefined || t > since);
  return later.length === 0 ? '' : ` (${later.map(([s, t]) => `${s} from ${iso(t)}`).join(', ')})`;
}
