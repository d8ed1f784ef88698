import { bucketTimelines } from '../../bench/lib/rateChart';
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
      { name: 'spotHistoryOrders', perSecond: [19, 0, 20], budget: 20 },
      { name: 'spotPlanHistory', perSecond: [0, 12, 1], budget: 20 },
    ]);
  });
});
