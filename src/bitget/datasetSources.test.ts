import {
  accountHasBills,
  datasetOf,
  datasetSourceSchema,
  describeDatasetSource,
  isTaxWithoutBills,
  TAX_OF_BILLS,
  TAX_WITHOUT_BILLS,
} from './datasetSources';
import { TAX_ENDPOINTS } from './taxSpan';
import type { DatasetSource } from './datasetSources';

describe('datasetSourceSchema', () => {
  it('round-trips a source through a checkpoint (JSON)', () => {
    const sources: DatasetSource[] = [
      { endpoint: 'spotFills' },
      { endpoint: 'futuresBills', productType: 'COIN-FUTURES', symbol: 'BTCUSD' },
      { endpoint: 'taxMarginRecords', marginType: 'isolated', coin: 'USDT' },
      { endpoint: 'utaTaxRecords', bizType: 'OTHER' },
    ];
    for (const s of sources) expect(datasetSourceSchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it('refuses a parameter the endpoint does not take, and a missing required one, naming it', () => {
    const extra = datasetSourceSchema.safeParse({ endpoint: 'spotFills', productType: 'USDT-FUTURES' });
    expect(extra.success).toBe(false);
    expect(JSON.stringify(extra.error?.issues)).toContain('productType');
    const missing = datasetSourceSchema.safeParse({ endpoint: 'utaFills' });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.path).toEqual(['category']);
  });

  it('labels a stream for logs and cursor ids', () => {
    expect(describeDatasetSource({ endpoint: 'utaTaxRecords', bizType: 'SPOT', coin: 'BTC' })).toBe(
      'utaTaxRecords:SPOT:BTC',
    );
    expect(describeDatasetSource({ endpoint: 'taxFutureRecords', productType: 'USDT-FUTURES' })).toBe(
      'taxFutureRecords:USDT-FUTURES',
    );
  });

  it('puts the tax records in the ledger data set', () => {
    expect(datasetOf('futuresFills')).toBe('fills');
    expect(datasetOf('taxP2pRecords')).toBe('ledger');
    expect(datasetOf('utaFinancialRecords')).toBe('ledger');
  });

  it('knows each tax endpoint once: as the tax side of one bills endpoint, or as an account without bills', () => {
    const paired = Object.values(TAX_OF_BILLS);
    const alone = Object.keys(TAX_WITHOUT_BILLS);
    expect([...paired, ...alone].sort()).toEqual([...TAX_ENDPOINTS].sort());
    expect(alone.filter((e) => paired.includes(e as never))).toEqual([]);
    expect(TAX_ENDPOINTS.filter(isTaxWithoutBills)).toEqual(['taxMarginRecords', 'taxP2pRecords']);
    expect(isTaxWithoutBills('spotBills')).toBe(false);
  });

  it('says which accounts a bills endpoint lists (not margin, not P2P)', () => {
    const accounts = ['spot', 'usdt-futures', 'usdc-futures', 'coin-futures', 'margin', 'uta', 'p2p'];
    expect(accounts.filter(accountHasBills)).toEqual([
      'spot',
      'usdt-futures',
      'usdc-futures',
      'coin-futures',
      'uta',
    ]);
  });
});
