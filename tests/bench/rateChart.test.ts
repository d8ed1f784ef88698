import { bucketTimelines, rateChartSvg } from '../../bench/lib/rateChart';
import { newLane } from '../../src/extraction/plan';

describe('the bench rate timeline', () => {
  it('sums the lanes of one bucket per second, fills idle seconds with 0 and keeps the documented budget', () => {
    const spot = newLane('r', 'spot-history', 'spotHistoryOrders');
    spot.requestsBySecond = { '100': 19, '102': 20 };
    const plan = newLane('r', 'spot-plan', 'spotPlanHistory');
    plan.requestsBySecond = { '101': 5 };
    const search = newLane('r', 'search-0', 'spotPlanHistory');
    search.requestsBySecond = { '101': 7, '102': 1 };
    const { seconds, buckets } = bucketTimelines([spot, plan, search]);
    expect(seconds).toEqual([100, 101, 102]);
    expect(buckets).toEqual([
      { name: 'spotHistoryOrders', perSecond: [19, 0, 20], budget: 20, panel: 'orders' },
      { name: 'spotPlanHistory', perSecond: [0, 12, 1], budget: 20, panel: 'orders' },
    ]);
  });

  it('draws the fills, bills and tax-record buckets in panels of their own beside the orders', () => {
    const orders = newLane('r', 'futures-history', 'futuresHistoryOrders');
    orders.requestsBySecond = { '100': 9 };
    const fills = newLane('r', 'futures-fills', 'futuresFills');
    fills.requestsBySecond = { '100': 10, '101': 8 };
    const bills = newLane('r', 'spot-bills', 'spotBills');
    bills.requestsBySecond = { '101': 3 };
    const tax = newLane('r', 'tax-spot', 'taxSpotRecords');
    tax.requestsBySecond = { '100': 1, '101': 1 };
    const { seconds, buckets } = bucketTimelines([tax, bills, fills, orders]);
    expect(buckets.map((b) => [b.panel, b.name, b.budget])).toEqual([
      ['orders', 'futuresHistoryOrders', 10],
      ['fills', 'futuresFills', 10],
      ['ledger (bills)', 'spotBills', 10],
      ['ledger (tax records)', 'taxSpotRecords', 1],
    ]);
    const svg = rateChartSvg(seconds, buckets);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of [
      'fills',
      'ledger (bills)',
      'ledger (tax records)',
      'taxSpotRecords budget',
      'futuresFills',
    ])
      expect(svg).toContain(text);
  });
});
