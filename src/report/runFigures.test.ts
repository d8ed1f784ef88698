import { newLane } from '../extraction/plan';
import { runFigures } from './runFigures';

describe('runFigures', () => {
  const spot = {
    ...newLane('r', 'spot-history', 'spotHistoryOrders'),
    requests: 5,
    requestsBySecond: { '1000': 3, '1002': 2 },
    startedAt: 1_000_100,
    finishedAt: 1_002_900,
  };
  const futures = {
    ...newLane('r', 'futures-history', 'futuresHistoryOrders'),
    requests: 1,
    requestsBySecond: { '1001': 1 },
    startedAt: 1_000_200,
    finishedAt: 1_001_500,
  };

  it('aligns every lane on one axis of seconds, with zeros where a lane made no request', () => {
    const f = runFigures(null, [spot, futures], null);
    expect(f.seconds).toEqual([1000, 1001, 1002]);
    expect(f.lanes).toEqual([
      {
        laneId: 'spot-history',
        endpoint: 'spotHistoryOrders',
        budgetPerSecond: 20,
        requests: 5,
        perSecond: [3, 0, 2],
      },
      {
        laneId: 'futures-history',
        endpoint: 'futuresHistoryOrders',
        budgetPerSecond: 10,
        requests: 1,
        perSecond: [0, 1, 0],
      },
    ]);
  });

  it('puts the stages on one time axis: lanes from the first start to the last end, then the merge', () => {
    const f = runFigures(null, [spot, futures], { startedAt: 1_003_000, finishedAt: 1_003_400 });
    expect(f.stages).toEqual([
      { name: 'lanes', startedAt: 1_000_100, finishedAt: 1_002_900 },
      { name: 'merge', startedAt: 1_003_000, finishedAt: 1_003_400 },
    ]);
  });
});
