import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoArchive } from './demoArchive';

jest.setTimeout(180_000);

describe('demoArchive', () => {
  it('syncs a simulated season into the archive and finds every order, fill and ledger entry of the ground truth', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-archive-'));
    const lines: string[] = [];
    try {
      const result = await demoArchive({
        dataDir: join(dir, 'data'),
        orders: 600,
        symbols: 3,
        historyDays: 150,
        startDaysAgo: 60,
        say: (l) => lines.push(l),
      });
      expect(result).toEqual({
        syncs: 3,
        orders: 600,
        archived: 600,
        mismatches: 0,
        gaps: 0,
        databaseRows: 600,
        ok: true,
      });
      expect(lines.join('\n')).toMatch(/again at once: nothing new/);
      // fills and the ledger checked against the truth of the spans archived (ok above requires both)
      expect(lines.join('\n')).toMatch(
        /fills against the ground truth of the spans archived: (\d+) of \1, 0 missing/,
      );
      expect(lines.join('\n')).toMatch(
        /ledger entries against the ground truth .* 0 missing, 0 unexpected, 0 duplicated, 0 different; tax records from/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
