import { levelPlan, MERGE_FAN_IN } from './datasetMerge';

/** The sources left after one level of the plan. */
const after = (sources: number, fanIn: number) => {
  const { merged, groups } = levelPlan(sources, fanIn);
  return sources - merged + groups;
};

describe('levelPlan: how much of the parts a level of the merge rewrites', () => {
  it('merges 81 of 110 parts into 3 files at a fan-in of 32, leaving exactly 32 for the last level', () => {
    expect(levelPlan(110, 32)).toEqual({ merged: 81, groups: 3 });
    expect(levelPlan(33, 32)).toEqual({ merged: 2, groups: 1 });
    expect(levelPlan(200, MERGE_FAN_IN)).toEqual({ merged: 174, groups: 6 });
  });

  it('never opens more than the fan-in, ends in one level up to fan-in², rewrites no more than it must', () => {
    for (const fanIn of [2, 3, 4, 7, 32]) {
      for (let sources = fanIn + 1; sources <= Math.max(3 * fanIn * fanIn, 300); sources++) {
        const { merged, groups } = levelPlan(sources, fanIn);
        expect(merged).toBeLessThanOrEqual(sources);
        expect(merged).toBeLessThanOrEqual(groups * fanIn);
        // Every intermediate file merges at least two sources: none is a copy of one.
        expect(groups).toBeLessThan(merged);
        if (sources <= fanIn * fanIn) {
          expect(after(sources, fanIn)).toBeLessThanOrEqual(fanIn);
          // One source fewer merged would leave too many for the last level.
          expect(sources - (merged - 1) + Math.ceil((merged - 1) / fanIn)).toBeGreaterThan(fanIn);
        } else {
          expect(after(sources, fanIn)).toBeLessThan(sources);
        }
      }
    }
  });
});
