/**
 * The archive sync as it runs on AWS, run in process: the sync state machine's definition in
 * aws-local-stepfunctions, its two tasks bound to the sync-prepare and sync-commit Lambda entry points, and its
 * nested extraction bound to the extraction definition over the five stage Lambdas (statemachine/syncLocal.ts),
 * against the simulator and an S3 server, every function built from its environment as on a cold start.
 */
import { handler as commit } from '../../functions/sync-commit';
import { handler as prepare } from '../../functions/sync-prepare';
import { handler as collector } from '../../functions/result-collector';
import { handler as processor } from '../../functions/symbol-processor';
import { handler as searcher } from '../../functions/symbol-searcher';
import { handler as mapper } from '../../functions/time-range-mapper';
import { handler as unifier } from '../../functions/symbol-unifier';
import { ORDERS, openArchive, readRecords, type SyncReport } from '../../src/archive';
import { localFunctionArns } from '../../src/runtime/localStack';
import { resetLambdaRuntime } from '../../src/runtime/stageFunctions';
import { resetSyncStageRuntime } from '../../src/runtime/syncStageFunctions';
import { startSimulator, type Simulator } from '../../src/sim';
import {
  buildExtractionStateMachine,
  buildSyncStateMachine,
  startLocalSyncExecution,
} from '../../statemachine';
import { localFailure } from '../../statemachine/local';
import { startTestStore } from '../helpers/localStore';

jest.setTimeout(240_000);

const keyOf = (r: { market: string; orderId: string }) => `${r.market}|${r.orderId}`;

describe('the sync state machine over the Lambda entry points', () => {
  let sim: Simulator;
  let env: Awaited<ReturnType<typeof startTestStore>>;
  const saved = { ...process.env };
  const context = { getRemainingTimeInMillis: () => 60_000 };
  const bind =
    (h: (event: unknown, context: never) => Promise<unknown>) =>
    (payload: unknown): Promise<unknown> =>
      h(payload, context as never);

  beforeAll(async () => {
    sim = await startSimulator({ seed: 33, orders: 600, symbols: 4, days: 40 });
    env = await startTestStore('sync-bucket');
    Object.assign(process.env, {
      BUCKET_NAME: 'sync-bucket',
      S3_ENDPOINT: env.s3.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: env.s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: env.s3.credentials.secretAccessKey,
      BITGET_BASE_URL: sim.url,
      BITGET_API_KEY: sim.credentials.apiKey,
      BITGET_SECRET_KEY: sim.credentials.secretKey,
      BITGET_PASSPHRASE: sim.credentials.passphrase,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    resetLambdaRuntime();
    await resetSyncStageRuntime();
  });
  afterAll(async () => {
    process.env = saved;
    resetLambdaRuntime();
    await resetSyncStageRuntime();
    await env.close();
    await sim.close();
  });

  const arns = localFunctionArns();
  const syncMachine = buildSyncStateMachine({
    functionArns: {
      'sync-prepare': arns['time-range-mapper'].replace('time-range-mapper', 'sync-prepare'),
      'sync-commit': arns['time-range-mapper'].replace('time-range-mapper', 'sync-commit'),
    },
    extractionArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:bitget-orders-extraction',
  });
  const runMachine = (input: Record<string, unknown>) =>
    startLocalSyncExecution(syncMachine, input as never, {
      functions: { 'sync-prepare': bind(prepare), 'sync-commit': bind(commit) },
      extraction: {
        definition: buildExtractionStateMachine({ functionArns: arns }),
        handlers: {
          'time-range-mapper': bind(mapper),
          'symbol-searcher': bind(searcher),
          'symbol-unifier': bind(unifier),
          'symbol-processor': bind(processor),
          'result-collector': bind(collector),
        },
      },
    }).result;

  it('syncs the archive to the truth, and a second execution adds nothing', async () => {
    const report = (await runMachine({ datasets: ['orders'] })) as unknown as SyncReport;
    expect(report).toMatchObject({ generation: 1, nothingNew: false });
    const { archive, manifest } = await openArchive(env.store);
    const records = [];
    for await (const r of readRecords(archive, manifest, ORDERS)) records.push(r);
    const truth = [];
    for await (const t of sim.truth()) truth.push(t);
    expect(records.map(keyOf)).toEqual(truth.map(keyOf));

    const again = (await runMachine({ datasets: ['orders'] })) as unknown as SyncReport;
    expect(again).toMatchObject({ generation: 2, nothingNew: true });
  });

  it('fails in SyncFailed naming a bad input, before anything is written', async () => {
    const { manifest } = await openArchive(env.store);
    const failure = await runMachine({ datasets: ['trades'] }).then(
      () => null,
      (e: unknown) => localFailure(e),
    );
    expect(failure?.error).toBe('ZodError');
    expect(failure?.cause).toMatch(/datasets/);
    expect((await openArchive(env.store)).manifest).toEqual(manifest);
  });
});
