import type { FillFigures } from './fillFigures';
import type { OrderFigures } from './orderFigures';
import { renderReport } from './renderReport';

const figures: OrderFigures = {
  orders: 3,
  days: ['2026-11-01', '2026-11-02'],
  perDayByMarket: { spot: [1, 1], 'usdt-futures': [0, 1], 'usdc-futures': [0, 0], 'coin-futures': [0, 0] },
  feesByCoin: [{ coin: 'USDT', amount: '0.3', orders: 2 }],
  volumeBySymbol: [{ symbol: 'A<B>USDT', market: 'spot', base: '1', quote: '2', orders: 1 }],
};

describe('renderReport', () => {
  const html = renderReport({
    title: 'Run r1',
    facts: ['3 orders, complete'],
    verification: '3/3 orders, 0 missing -> OK',
    orders: figures,
    run: {
      seconds: [100, 101],
      lanes: [
        {
          laneId: 'spot-history',
          endpoint: 'spotHistoryOrders',
          budgetPerSecond: 20,
          requests: 3,
          perSecond: [2, 1],
        },
      ],
      stages: [{ name: 'lanes', startedAt: 100_000, finishedAt: 101_500 }],
    },
    generatedAt: Date.UTC(2026, 11, 1),
  });

  it('is one self-contained file: inline SVG charts, no script, nothing loaded from elsewhere', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(5);
    expect(html).not.toMatch(/<script|<link|<img|src=|href="(?!#)|url\((?!#)/i); // only references inside the file
  });

  it('shows the numbers under each chart as a table, exact as summed', () => {
    expect(html).toContain('<td>USDT</td><td>0.3</td><td>2</td>');
    expect(html).toContain('<td>2026-11-02</td><td>1</td><td>1</td>');
    expect(html).toContain(
      '<td>spot-history</td><td>spotHistoryOrders</td><td>20</td><td>3</td><td>2</td><td>2</td>',
    );
  });

  it('escapes what comes from the exchange', () => {
    expect(html).toContain('A&lt;B&gt;USDT');
    expect(html).not.toContain('A<B>USDT');
  });

  it('carries the verification line when the run was checked', () => {
    expect(html).toContain('<p class="verification">3/3 orders, 0 missing -&gt; OK</p>');
  });
});

describe('renderReport of an archive with gaps', () => {
  const day = (d: number) => Date.UTC(2026, 10, d);
  const html = renderReport({
    title: 'Archive of account 1',
    facts: ['3 orders archived'],
    orders: {
      ...figures,
      days: ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'],
      perDayByMarket: {
        spot: [1, 0, 0, 1],
        'usdt-futures': [0, 0, 0, 1],
        'usdc-futures': [0, 0, 0, 0],
        'coin-futures': [0, 0, 0, 0],
      },
    },
    gaps: [
      { stream: 'spot/normal', from: day(2), to: day(4) },
      { stream: 'usdt-futures/normal', from: day(2), to: day(4) },
      { stream: 'usdt-futures/plan', from: day(3), to: day(3) + 3_600_000 },
    ],
    generatedAt: Date.UTC(2026, 11, 1),
  });
  const chart = html.slice(html.indexOf('<svg '), html.indexOf('</svg>'));

  it('shades each distinct gap on the orders chart, labelled with its streams', () => {
    expect(chart).toContain('gap (2 streams)');
    expect(chart).toContain('gap usdt-futures/plan');
  });

  it('names every gap, per stream, in the table under the chart', () => {
    expect(html).toContain('<h3>Gaps (shaded)</h3>');
    expect(html).toContain(
      '<td>spot/normal</td><td>2026-11-02T00:00:00Z</td><td>2026-11-04T00:00:00Z</td><td>2.0</td>',
    );
    expect(html).toContain('<td>usdt-futures/normal</td>');
    expect(html).toContain(
      '<td>usdt-futures/plan</td><td>2026-11-03T00:00:00Z</td><td>2026-11-03T01:00:00Z</td><td>0.0</td>',
    );
  });

  it('says so when an archive has no gaps, and a run report has no gap section', () => {
    expect(renderReport({ title: 'a', facts: [], orders: figures, gaps: [], generatedAt: 0 })).toContain(
      'no gaps: every stream is covered',
    );
    expect(renderReport({ title: 'r', facts: [], orders: figures, generatedAt: 0 })).not.toContain('Gaps');
  });
});

describe('renderReport of a run with fills', () => {
  const fills: FillFigures = {
    feesByCoin: [
      { coin: 'USDT', amount: '1.25' },
      { coin: 'BNB', amount: '0.001' },
    ],
    volumeBySymbol: [{ symbol: 'ETHUSDT', market: 'usdt-futures', base: '4', quote: '12000.5', fills: 3 }],
    realisedPnl: [
      {
        settleCoin: 'BTC',
        total: '0.00012',
        symbols: [{ symbol: 'BTCUSD', market: 'coin-futures', profit: '0.00012' }],
      },
      {
        settleCoin: 'USDT',
        total: '27.623456789012345678901',
        symbols: [
          { symbol: 'SOLUSDT', market: 'usdt-futures', profit: '40.123456789012345678901' },
          { symbol: 'ETHUSDT', market: 'usdt-futures', profit: '-12.5' },
        ],
      },
    ],
  };
  const funding = [{ source: 'bills', coin: 'USDT', paid: '3.1', received: '0.4', net: '-2.7' }];
  const html = renderReport({ title: 'Run f', facts: [], orders: figures, fills, funding, generatedAt: 0 });
  const pnl = html.slice(html.indexOf('<h2>Realised profit and loss'));

  it('draws realised PnL per futures symbol, one chart per settle coin, the exact amounts in its table', () => {
    expect(pnl.slice(0, pnl.indexOf('</section>')).match(/<svg /g)?.length).toBe(2);
    expect(pnl).toContain('realised PnL (BTC)');
    expect(pnl).toContain('realised PnL (USDT)');
    expect(pnl).toContain(
      '<td>USDT</td><td>SOLUSDT</td><td>usdt-futures</td><td>40.123456789012345678901</td>',
    );
    expect(pnl).toContain('<td>USDT</td><td>ETHUSDT</td><td>usdt-futures</td><td>-12.5</td>');
    expect(pnl).toContain('<td>USDT</td><td>total</td><td></td><td>27.623456789012345678901</td>');
    expect(pnl).toContain('<td>BTC</td><td>total</td><td></td><td>0.00012</td>');
  });

  it('takes fees and volume from the fills, and says so', () => {
    expect(html).toContain('<h2>Fees paid, per coin (from the fills)</h2>');
    expect(html).toContain('<td>USDT</td><td>1.25</td>');
    expect(html).not.toContain('<td>USDT</td><td>0.3</td><td>2</td>'); // the orders' fees are not shown
    expect(html).toContain('by quote volume, from the fills)</h2>');
    expect(html).toContain('<td>ETHUSDT</td><td>usdt-futures</td><td>4</td><td>12000.5</td><td>3</td>');
  });

  it('lists funding paid and received per coin as a table', () => {
    expect(html).toContain('<h2>Funding paid and received, per coin</h2>');
    expect(html).toContain('<td>bills</td><td>USDT</td><td>3.1</td><td>0.4</td><td>-2.7</td>');
  });

  it('stays self-contained', () => {
    expect(html).not.toMatch(/<script|<link|<img|src=|href="(?!#)|url\((?!#)/i);
  });

  it('has no funding section without a ledger, and the funding table without fills (the orders’ fees then)', () => {
    const noLedger = renderReport({ title: 'r', facts: [], orders: figures, fills, generatedAt: 0 });
    expect(noLedger).toContain('Realised profit and loss');
    expect(noLedger).not.toContain('Funding');
    const ledgerOnly = renderReport({ title: 'r', facts: [], orders: figures, funding, generatedAt: 0 });
    expect(ledgerOnly).toContain('<td>bills</td><td>USDT</td><td>3.1</td><td>0.4</td><td>-2.7</td>');
    expect(ledgerOnly).toContain('<td>USDT</td><td>0.3</td><td>2</td>');
    expect(ledgerOnly).not.toContain('Realised profit and loss');
  });

  it('has no PnL or funding section without fills, and the orders’ fees as before', () => {
    const plain = renderReport({ title: 'r', facts: [], orders: figures, generatedAt: 0 });
    expect(plain).not.toContain('Realised profit and loss');
    expect(plain).not.toContain('Funding');
    expect(plain).toContain('<td>USDT</td><td>0.3</td><td>2</td>');
  });
});
