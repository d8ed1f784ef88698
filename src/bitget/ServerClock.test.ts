import { ServerClock } from './ServerClock';

describe('ServerClock.serverNow', () => {
  it('is unknown before a sync, then the local clock plus the offset measured', async () => {
    let local = 1_000;
    const clock = new ServerClock(
      async () => {
        local += 10; // a 20 ms round trip, the server answering at its midpoint
        const answer = 5_000_000 + local;
        local += 10;
        return answer;
      },
      () => local,
    );
    expect(clock.serverNow()).toBeUndefined();
    await clock.ensureSynced();
    expect(clock.offset).toBe(5_000_000);
    local += 60_000;
    expect(clock.serverNow()).toBe(local + 5_000_000);
  });

  it('knows the time from an observed server time as well', () => {
    let local = 2_000;
    const clock = new ServerClock(
      async () => 0,
      () => local,
    );
    clock.observe(9_000, 1_990, 2_010);
    local += 500;
    expect(clock.serverNow()).toBe(9_500);
  });
});
