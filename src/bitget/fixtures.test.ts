import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixture } from '../../tests/fixtures/bitget/fixtures';
import { ENDPOINTS } from './endpoints';

/** The shared reference recordings (outside this repository: ../shared/reference/recorded). */
const RECORDED = join(__dirname, '../../../shared/reference/recorded');
const FIXTURES = join(__dirname, '../../tests/fixtures/bitget');
const fixtureNames = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));
const endpointPaths = new Set(Object.values(ENDPOINTS).map((spec) => spec.path));

describe('the nock fixtures', () => {
  it('are the five recorded samples', () => {
    expect(fixtureNames.sort()).toEqual([
      'futures-orders-history.json',
      'rate-limited.json',
      'spot-history-orders.json',
      'uta-history-orders.json',
      'uta-mode-on-classic-endpoint.json',
    ]);
  });

  it.each(fixtureNames)('%s is in nock recorded format, aimed at a known Bitget endpoint', (name) => {
    const definitions = loadFixture(name);
    expect(definitions.length).toBeGreaterThan(0);
    for (const d of definitions) {
      expect(d).toMatchObject({ scope: 'https://api.bitget.com:443', method: 'GET' });
      expect(Number.isInteger(d.status)).toBe(true);
      expect(endpointPaths.has(String(d.path).split('?')[0]!)).toBe(true);
      expect(d.response).toMatchObject({ code: expect.any(String), msg: expect.any(String) });
    }
  });

  (existsSync(RECORDED) ? it.each(fixtureNames) : it.skip.each(fixtureNames))(
    '%s answers the shared recording field for field',
    (name) => {
      const recorded: unknown = JSON.parse(readFileSync(join(RECORDED, name), 'utf8'));
      expect(loadFixture(name)[0]!.response).toStrictEqual(recorded);
    },
  );
});
