/**
 * The import's worker thread (src/db/parseWorker.ts) runs from the compiled project only (ts-jest has no
 * compiled worker entry; in process the same functions run), so this drives dist/: batches validated in the
 * worker equal those validated in process, field for field, and a bad line is refused naming its line and field.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as BatchParserModule from '../../src/db/batchParser';
import type * as OrderPayloadModule from '../../src/db/orderPayload';
import { makeOrders, toJsonl } from './support/orders';

const ROOT = join(__dirname, '..', '..');
const DIST_DB = join(ROOT, 'dist', 'src', 'db');

jest.setTimeout(180_000);

describe('validating import batches in a worker thread', () => {
  let parserModule: typeof BatchParserModule;
  let payloadModule: typeof OrderPayloadModule;
  beforeAll(async () => {
    if (!existsSync(join(DIST_DB, 'parseWorker.js'))) {
      const built = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
        { cwd: ROOT },
      );
      expect(built.status).toBe(0);
    }
    parserModule = (await import(join(DIST_DB, 'batchParser.js'))) as typeof BatchParserModule;
    payloadModule = (await import(join(DIST_DB, 'orderPayload.js'))) as typeof OrderPayloadModule;
  });

  const batchOf = (lines: string[], format: 'tsv' | 'values') => ({
    source: 'runs/r/orders.jsonl',
    executionArn: 'arn:aws:states:local:000000000000:execution:bitget-orders:w',
    storedAt: 1_700_000_000_000,
    lines,
    numbers: lines.map((_, i) => i + 1),
    format,
  });

  it('answers the same payloads as in process, in the order asked, for both formats', async () => {
    const lines = toJsonl(makeOrders(120)).trim().split('\n');
    const parser = parserModule.createBatchParser({ worker: true });
    try {
      expect(parser.inWorker).toBe(true);
      const asked = [
        batchOf(lines.slice(0, 60), 'tsv'),
        batchOf(lines.slice(60), 'values'),
        batchOf(lines.slice(10, 20), 'values'),
      ];
      const answers = await Promise.all(asked.map((b) => parser.parse(b)));
      expect(answers).toEqual(asked.map((b) => payloadModule.parseLineBatch(b)));
      expect(answers.map((a) => a.count)).toEqual([60, 60, 10]);
    } finally {
      await parser.close();
    }
  });

  it('refuses a bad line with the error the in-process parser throws, and goes on with the next batch', async () => {
    const lines = toJsonl(makeOrders(5)).trim().split('\n');
    lines[3] = lines[3]!.replace(/"cTime":\d+/, '"cTime":"yesterday"');
    const parser = parserModule.createBatchParser({ worker: true });
    try {
      const refused = await parser.parse(batchOf(lines, 'tsv')).catch((e: unknown) => e);
      expect(refused).toMatchObject({
        name: 'InvalidOrderRecordError',
        location: 'runs/r/orders.jsonl line 4',
        field: 'cTime',
      });
      expect(await parser.parse(batchOf(lines.slice(0, 3), 'tsv'))).toMatchObject({ count: 3 });
    } finally {
      await parser.close();
    }
    await expect(parser.parse(batchOf(lines, 'tsv'))).rejects.toThrow(/closed/);
  });
});
