/**
 * Where the archive lives in the bucket. Partitions are immutable: each generation writes new objects
 * (`archive/<uid>/<dataset>/<yyyy>/<mm>.<generation>.ndjson`, and for orders the same records as Parquet at
 * `archive/<uid>/parquet/<dataset>/<yyyy>/<mm>.<generation>.parquet`), the manifest then points at them, and only
 * after that are the objects no manifest names deleted. A sync killed at any moment leaves the previous
 * manifest and every object it names untouched.
 */
export const ARCHIVE_PREFIX = 'archive/';

/** UIDs become key segments: digits only (Bitget UIDs are decimal). */
export const UID_PATTERN = /^\d{1,20}$/;

export const archiveKeys = (uid: string) => {
  if (!UID_PATTERN.test(uid)) throw new RangeError(`not an account UID: ${JSON.stringify(uid)}`);
  const root = `${ARCHIVE_PREFIX}${uid}`;
  return {
    root: `${root}/`,
    manifest: `${root}/manifest.json`,
    partition: (dataset: string, month: string, generation: number) => {
      const [yyyy, mm] = month.split('-');
      return `${root}/${dataset}/${yyyy}/${mm}.${String(generation).padStart(6, '0')}.ndjson`;
    },
    /**
     * The same partition as Parquet, under `parquet/` so that the Glue table's location holds Parquet only
     * (Athena reads every object under a location, whatever its name).
     */
    parquetPartition: (dataset: string, month: string, generation: number) => {
      const [yyyy, mm] = month.split('-');
      return `${root}/parquet/${dataset}/${yyyy}/${mm}.${String(generation).padStart(6, '0')}.parquet`;
    },
  };
};
