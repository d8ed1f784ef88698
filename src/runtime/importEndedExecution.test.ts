import { startSimulatedStack, type SimulatedStack } from '../../tests/helpers/simulatedStack';
import { localStateMachineArn } from '../api/executionArn';
import { parseExtractionRequest } from '../core/request';
import { countOrders, getExecution, listProcessingLogs } from '../db';
import type { Database } from '../db';
import { LOCAL_STATE_MACHINE } from '../engines/LocalEngine';
import type { Simulator } from '../sim';
import {
  EXECUTION_STATUS_CHANGE,
  InvalidExecutionEventError,
  STEP_FUNCTIONS_SOURCE,
} from './executionStatusEvent';
import { ForeignExecutionError, importEndedExecution } from './importEndedExecution';
import type { EndedExecutionDeps } from './importEndedExecution';
import type { LocalStack } from './localStack';

jest.setTimeout(120_000);

const MACHINE = localStateMachineArn(LOCAL_STATE_MACHINE);

/** The event EventBridge delivers for a status change (the fields the rule and the importer read). */
function statusChange(executionArn: string, name: string, status: string, stateMachineArn = MACHINE) {
  return {
    version: '0',
    source: STEP_FUNCTIONS_SOURCE,
    'detail-type': EXECUTION_STATUS_CHANGE,
    resources: [executionArn],
    detail: { executionArn, stateMachineArn, name, status, input: '{}', output: null },
  };
}

describe('importEndedExecution: the run-importer, on a run the local engine ran against the simulator', () => {
  let simulated: SimulatedStack;
  let sim: Simulator;
  let stack: LocalStack;
  let db: Database;
  let deps: EndedExecutionDeps;

  beforeAll(async () => {
    simulated = await startSimulatedStack({ seed: 41, orders: 400, symbols: 3 }, 'run-importer-');
    ({ sim, stack, db } = simulated);
    deps = {
      engine: stack.engine,
      stateMachineArn: MACHINE,
      bucket: stack.store.bucket,
      db,
      s3: stack.store.s3,
      now: Date.now,
    };
  });
  afterAll(async () => {
    await simulated?.close();
  });

  it('imports a succeeded run when its event arrives, and a repeated event adds nothing', async () => {
    const started = await stack.engine.start(parseExtractionRequest({}));
    const ended = await stack.engine.whenSettled(started.executionArn);
    expect(ended.status).toBe('SUCCEEDED');
    const orders = ended.output!.orders;
    expect(orders).toBeGreaterThan(0);
    const event = statusChange(started.executionArn, started.name, 'SUCCEEDED');

    await expect(importEndedExecution(deps, event)).resolves.toEqual({
      executionArn: started.executionArn,
      status: 'SUCCEEDED',
      import: 'imported',
      importedOrders: orders,
      insertedNow: orders,
    });
    expect(await countOrders(db, started.executionArn)).toBe(orders);
    const record = await getExecution(db, started.executionArn);
    expect(record).toMatchObject({ status: 'SUCCEEDED', ordersCount: orders, complete: true });
    expect(record!.import).toMatchObject({ status: 'imported', importedOrders: orders });

    await expect(importEndedExecution(deps, event)).resolves.toMatchObject({
      import: 'already-imported',
      importedOrders: orders,
      insertedNow: 0,
    });
    expect(await countOrders(db, started.executionArn)).toBe(orders);
  });

  it('records a run that ended without succeeding, with one log line, and imports nothing', async () => {
    // Held history requests keep the run in its lanes until it is stopped: it ends ABORTED, whatever the speed.
    sim.holdHistory();
    const started = await stack.engine.start(parseExtractionRequest({}));
    try {
      await stack.engine.stop(started.executionArn);
    } finally {
      sim.release();
    }
    expect((await stack.engine.describe(started.executionArn)).status).toBe('ABORTED');
    const event = statusChange(started.executionArn, started.name, 'ABORTED');

    for (let delivery = 0; delivery < 2; delivery++) {
      await expect(importEndedExecution(deps, event)).resolves.toEqual({
        executionArn: started.executionArn,
        status: 'ABORTED',
        import: 'not-imported',
      });
    }
    const record = await getExecution(db, started.executionArn);
    expect(record).toMatchObject({ status: 'ABORTED', ordersCount: null });
    expect(record!.import.status).toBe('pending');
    expect(await countOrders(db, started.executionArn)).toBe(0);
    const logs = await listProcessingLogs(db, started.executionArn);
    expect(logs.map((l) => [l.level, l.message])).toEqual([
      ['warn', expect.stringMatching(/^execution ended ABORTED.*; its result is not imported$/)],
    ]);
  });

  it("refuses an event of another state machine, and anything that is not a status change, naming what's wrong", async () => {
    const other = 'arn:aws:states:local:000000000000:stateMachine:someone-else';
    await expect(
      importEndedExecution(deps, statusChange(`${other}:x`, 'x', 'SUCCEEDED', other)),
    ).rejects.toThrow(ForeignExecutionError);
    const refusal = importEndedExecution(deps, { source: 'aws.s3', detail: {} });
    await expect(refusal).rejects.toThrow(InvalidExecutionEventError);
    await expect(refusal).rejects.toThrow(
      /^not a "Step Functions Execution Status Change" event of aws\.states: source: .*; detail-type: .*; detail\.executionArn: .*; detail\.stateMachineArn: /,
    );
  });
});
