/**
 * The last stage of a sync: once its extraction run has ended, merge the run's result into the archive.
 *
 * Partition by partition, orders (with the open orders the prepare stage saw), fills and the ledger: new
 * partition objects first, the manifest last (coverage, gaps, open orders, last sync), then the objects no manifest
 * names are deleted and the database is brought up to the archive. A failure before the manifest leaves the
 * previous archive as it was; coverage moves only with the manifest, after the data is durable.
 */
import { z } from 'zod';
import type { CanonicalOrder } from '../core/order';
import { importArchive } from '../db/archiveOrders';
import { resultKeys } from '../storage/keys';
import { ArchiveStore } from './ArchiveStore';
import { advanceCoverage, newGaps, nextOpenRefs, orderStreams, staleOpen } from './coverage';
import type { DatasetSpec } from './dataset';
import { FILLS, LEDGER, ORDERS, monthOf } from './dataset';
import { datasetStreams, gapCoveredBy, withBillsCoverage } from './datasetStreams';
import { SyncAlreadyCommittedError, SyncIncompleteError, SyncStaleError } from './errors';
import type { DatasetState, Manifest, PartitionEntry, Span } from './manifest';
import { KEEP_SYNCS, emptyDatasetState, emptyManifest } from './manifest';
import { mergeRecords } from './merge';
import { stageDataset } from './mergeDataset';
import { fetchUnlistedPlanOrders } from './openOrders';
import type { SyncContext } from './syncContext';
import { readSyncContext } from './syncContext';
import { DATASET_SPECS, SYNCED, iso, sumRequests } from './syncParts';
import type { ExtractionOutcome, SyncReport, SyncStageDeps } from './syncTypes';

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
type RunSummary = z.output<typeof summarySchema>;

/** Commits the sync prepared as `runId`, whose extraction ended as `extraction` says. */
export async function commitSync(
  deps: SyncStageDeps,
  runId: string,
  extraction: ExtractionOutcome,
): Promise<SyncReport> {
  const context = await readSyncContext(deps.store, runId);
  const summary = await deps.store.getJson(resultKeys(runId).summary, summarySchema);
  if (extraction.status !== 'SUCCEEDED' || !extraction.complete || !summary?.complete || !summary.served) {
    const why =
      summary?.failure?.cause || summary?.missing?.join('; ') || extraction.cause || extraction.error;
    throw new SyncIncompleteError(
      `run ${runId} did not complete (${extraction.status}): ${why ?? 'unknown'}; the archive is unchanged`,
      runId,
    );
  }
  const archive = new ArchiveStore(deps.store, context.uid, deps.beforeWrite);
  const manifest = (await archive.readManifest()) ?? emptyManifest(context.uid);
  if (manifest.generation !== context.generation) {
    if (manifest.syncs.some((s) => s.runId === runId))
      throw new SyncAlreadyCommittedError(
        `run ${runId} is already merged into the archive of ${context.uid} (generation ${manifest.generation})`,
      );
    throw new SyncStaleError(
      `the archive of ${context.uid} moved from generation ${context.generation} to ${manifest.generation} since run ${runId} was prepared: it is not merged (the next sync asks again)`,
    );
  }
  return mergeRun(
    deps,
    context,
    manifest,
    archive,
    summary as RunSummary & { served: NonNullable<RunSummary['served']> },
  );
}

async function mergeRun(
  deps: SyncStageDeps,
  context: SyncContext,
  manifest: Manifest,
  archive: ArchiveStore,
  summary: RunSummary & { served: NonNullable<RunSummary['served']> },
): Promise<SyncReport> {
  const log = deps.log ?? (() => undefined);
  const { client } = deps;
  const { runId, uid, mode, markets, kinds, datasets, until, open, listedSpotSymbols } = context;
  const due = new Set(context.due);
  const wantsOrders = datasets.includes('orders');
  const synced = SYNCED.filter((d) => datasets.includes(d));
  const state: DatasetState = manifest.datasets[ORDERS.name] ?? emptyDatasetState();
  const streams = wantsOrders ? orderStreams(mode, markets, kinds) : [];
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
          datasets: {
            ...manifest.datasets,
            [spec.name]: withBillsCoverage(held, datasetStreams(d, mode, markets)),
          },
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

  const requests = context.requests + summary.requests + followUpRequests;
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
    asked: { since: context.since, until, streams: context.streamSince },
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

async function* parsedLines<R>(lines: AsyncIterable<string>, parse: (line: string) => R): AsyncGenerator<R> {
  for await (const line of lines) if (line !== '') yield parse(line);
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
