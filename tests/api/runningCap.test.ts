import { RunningExecutionsCap } from '../../src/api/RunningExecutionsCap';
import type { ExecutionDescription, ExecutionEngine } from '../../src/core/engine';
import { ExecutionNotFoundError } from '../../src/core/errors';
import { recordExecution } from '../../src/db';
import { sqliteTestDatabase } from '../db/support/databases';
import type { TestDatabase } from '../db/support/databases';
import { localArn } from '../db/support/orders';

let t: TestDatabase;
beforeAll(async () => {
  t = await sqliteTestDatabase();
});
afterAll(async () => {
  await t.dispose();
});

const running = (name: string, startMinute: number): ExecutionDescription => ({
  executionArn: localArn(name),
  name,
  status: 'RUNNING',
  startDate: new Date(Date.UTC(2024, 0, 1, 0, startMinute)),
  input: { markets: ['spot'], kinds: ['normal'], order: 'asc' },
});

function engineOf(listed: ExecutionDescription[], describe: (arn: string) => Promise<ExecutionDescription>) {
  return {
    start: async () => Promise.reject(new Error('not used')),
    describe,
    list: async () => listed,
  } satisfies ExecutionEngine;
}

describe('RunningExecutionsCap', () => {
  it('counts runs the engine lists as RUNNING even when the database never saw them (scheduled runs)', async () => {
    const engine = engineOf([running('cap-scheduled-1', 1), running('cap-scheduled-2', 2)], async (arn) =>
      Promise.reject(new Error(`unexpected describe of ${arn}`)),
    );
    const cap = new RunningExecutionsCap({
      engine,
      db: t.database,
      max: 2,
      retryAfterSeconds: 5,
      now: () => 0,
    });
    expect(await cap.countRunning()).toBe(2);
    await expect(cap.admit(async () => 'started')).rejects.toMatchObject({
      statusCode: 429,
      retryAfterSeconds: 5,
    });
  });

  it('does not count a run the engine no longer knows, and counts one it cannot describe', async () => {
    const gone = running('cap-gone', 3);
    const unsure = running('cap-unsure', 4);
    for (const d of [gone, unsure]) {
      await recordExecution(t.database, { ...d, request: d.input }, 1);
    }
    const engine = engineOf([], async (arn) => {
      if (arn === gone.executionArn) throw new ExecutionNotFoundError(arn);
      throw new Error('ThrottlingException');
    });
    const cap = new RunningExecutionsCap({
      engine,
      db: t.database,
      max: 2,
      retryAfterSeconds: 5,
      now: () => 0,
    });
    expect(await cap.countRunning()).toBe(1);
    expect(await cap.admit(async () => 'started')).toBe('started');
  });

  it('lets only one of two simultaneous starts take the last place', async () => {
    const listed: ExecutionDescription[] = [];
    const engine = engineOf(listed, async (arn) => Promise.reject(new Error(`unexpected ${arn}`)));
    const empty = await sqliteTestDatabase();
    const cap = new RunningExecutionsCap({
      engine,
      db: empty.database,
      max: 1,
      retryAfterSeconds: 5,
      now: () => 0,
    });
    const start = (name: string) =>
      cap.admit(async () => {
        listed.push(running(name, 10));
        return name;
      });
    const outcomes = await Promise.allSettled([start('cap-a'), start('cap-b')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    await empty.dispose();
  });
});
