/**
 * Every read and write of an account's archive goes through this class; the layout is known here and in
 * layout.ts only. Readers follow the manifest: a partition is read by the key the manifest names and checked
 * against its count and checksum.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { RunStore } from '../storage/RunStore';
import { StorageCorruptError } from '../storage/errors';
import type { DatasetSpec } from './dataset';
import { archiveKeys } from './layout';
import type { Manifest, PartitionEntry } from './manifest';
import { manifestSchema } from './manifest';

/** The moments a sync writes something durable, in the order they happen. */
export type WritePoint = 'partition' | 'manifest' | 'cleanup' | 'database';

/** Called before every durable write (tests inject failures here to prove the order of writes). */
export type BeforeWrite = (point: WritePoint, key: string) => void | Promise<void>;

export class ArchiveStore {
  readonly keys: ReturnType<typeof archiveKeys>;

  constructor(
    readonly store: RunStore,
    readonly uid: string,
    private readonly beforeWrite: BeforeWrite = () => undefined,
  ) {
    this.keys = archiveKeys(uid);
  }

  async readManifest(): Promise<Manifest | null> {
    const manifest = await this.store.getJson(this.keys.manifest, manifestSchema);
    if (manifest && manifest.uid !== this.uid)
      throw new StorageCorruptError(`${this.keys.manifest} belongs to account ${manifest.uid}`);
    return manifest;
  }

  /** The records of one partition, in its order, after checking them against the manifest's entry. */
  async readPartition<R>(dataset: DatasetSpec<R>, entry: PartitionEntry): Promise<R[]> {
    const records: R[] = [];
    for await (const record of this.streamPartition(dataset, entry)) records.push(record);
    return records;
  }

  async *streamPartition<R>(dataset: DatasetSpec<R>, entry: PartitionEntry): AsyncGenerator<R> {
    const hash = createHash('sha256');
    let count = 0;
    const lines = createInterface({ input: await this.store.openStream(entry.key), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line === '') continue;
      hash.update(line + '\n');
      count += 1;
      yield dataset.parse(line);
    }
    const sha = hash.digest('hex');
    if (count !== entry.records || sha !== entry.sha256)
      throw new StorageCorruptError(
        `${entry.key}: ${count} records, checksum ${sha.slice(0, 12)}; the manifest says ${entry.records}, ${entry.sha256.slice(0, 12)}`,
      );
  }

  async writePartition<R>(
    dataset: DatasetSpec<R>,
    month: string,
    generation: number,
    records: R[],
  ): Promise<PartitionEntry> {
    const key = this.keys.partition(dataset.name, month, generation);
    const body = records.map((r) => JSON.stringify(r) + '\n').join('');
    await this.beforeWrite('partition', key);
    await this.store.putText(key, body);
    const entry: PartitionEntry = {
      month,
      key,
      records: records.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      from: dataset.time(records[0]!),
      to: dataset.time(records[records.length - 1]!),
    };
    if (!dataset.parquet) return entry;
    const parquetKey = this.keys.parquetPartition(dataset.name, month, generation);
    const parquet = await dataset.parquet(records);
    await this.beforeWrite('partition', parquetKey);
    await this.store.putBytes(parquetKey, parquet, 'application/vnd.apache.parquet');
    return {
      ...entry,
      parquet: { key: parquetKey, sha256: createHash('sha256').update(parquet).digest('hex') },
    };
  }

  /** The commit point of a sync. */
  async writeManifest(manifest: Manifest): Promise<void> {
    await this.beforeWrite('manifest', this.keys.manifest);
    await this.store.putJson(this.keys.manifest, manifest);
  }

  /** Deletes the objects under the account's prefix that the manifest does not name (older generations). */
  async collectGarbage(manifest: Manifest): Promise<number> {
    const named = new Set<string>([this.keys.manifest]);
    for (const state of Object.values(manifest.datasets))
      for (const p of state.partitions) {
        named.add(p.key);
        if (p.parquet) named.add(p.parquet.key);
      }
    const stale = (await this.store.list(this.keys.root)).filter((k) => !named.has(k));
    if (stale.length === 0) return 0;
    await this.beforeWrite('cleanup', stale[0]!);
    await this.store.deleteKeys(stale);
    return stale.length;
  }
}
