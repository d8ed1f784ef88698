import { importRun, importRunRowByRow } from '../../src/db';
import { DATABASE_KINDS } from './support/databases';
import { localArn, makeOrders, writeRun } from './support/orders';
import { startTestS3 } from './support/s3';

/**
 * Import throughput on BENCH_ROWS orders (default 100 000): batched vs row by row, SQLite vs MySQL.
 * Opt-in (BENCH=1 jest tests/db/importBenchmark) because it takes minutes; prints rows/s.
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const maybe = process.env.BENCH ? describe : describe.skip;

maybe('import benchmark', () => {
  it.each(DATABASE_KINDS)(
    'imports %s batched and row by row, and both hold every order',
    async (kind, open) => {
      const s3 = await startTestS3();
      const t = await open();
      try {
        const run = await writeRun((k, b) => s3.put(k, b), s3.bucket, `bench-${kind}`, makeOrders(ROWS));
        for (const [label, importer] of [
          ['batched', importRun],
          ['row-by-row', importRunRowByRow],
        ] as const) {
          const arn = localArn(`bench-${kind}-${label}`);
          const started = process.hrtime.bigint();
          const outcome = await importer(t.database, s3.s3, { ...run, executionArn: arn });
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          console.log(
            `${kind} ${label}: ${ROWS} rows in ${seconds.toFixed(1)} s = ${Math.round(ROWS / seconds)} rows/s`,
          );
          expect(outcome).toMatchObject({ status: 'imported', importedOrders: ROWS });
        }
      } finally {
        await t.dispose();
        await s3.close();
      }
    },
    30 * 60_000,
  );
});
