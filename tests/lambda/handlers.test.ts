import { parseExtractionRequest } from '../../src/core/request';
import { handler as collector } from '../../functions/result-collector';
import { handler as processor } from '../../functions/symbol-processor';
import { handler as searcher } from '../../functions/symbol-searcher';
import { handler as mapper } from '../../functions/time-range-mapper';
import { handler as unifier } from '../../functions/symbol-unifier';
import { resetLambdaRuntime, stopMarginMs } from '../../src/runtime/stageFunctions';
import { localFunctionArns } from '../../src/runtime/localStack';
import { startSimulator } from '../../src/sim';
import type { Simulator } from '../../src/sim';
import { readResultOrders, verifyAgainstTruth } from '../../src/verify/verifyAgainstTruth';
import { buildExtractionStateMachine } from '../../statemachine';
import { startLocalExecution } from '../../statemachine/local';
import { startTestStore } from '../helpers/localStore';

jest.setTimeout(120_000);

describe('the Lambda entry points, bound into the deployed state machine definition', () => {
  let sim: Simulator;
  let env: Awaited<ReturnType<typeof startTestStore>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    sim = await startSimulator({ seed: 21, orders: 1500, symbols: 8 });
    env = await startTestStore('lambda-bucket');
    Object.assign(process.env, {
      BUCKET_NAME: 'lambda-bucket',
      S3_ENDPOINT: env.s3.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: env.s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: env.s3.credentials.secretAccessKey,
      BITGET_BASE_URL: sim.url,
      BITGET_API_KEY: sim.credentials.apiKey,
      BITGET_SECRET_KEY: sim.credentials.secretKey,
      BITGET_PASSPHRASE: sim.credentials.passphrase,
      // The logs and metrics are tested in observability.test.ts; here they would only fill the test output.
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    resetLambdaRuntime();
  });
  afterAll(async () => {
    process.env = saved;
    resetLambdaRuntime();
    await env.close();
    await sim.close();
  });

  it('run the whole extraction with a Lambda time budget that forces loops', async () => {
    // Each invocation believes it has 2.5 s left: it stops starting requests 2 s before that.
    const context = { getRemainingTimeInMillis: () => 2_500 };
    const bind =
      (h: (event: unknown, context: { getRemainingTimeInMillis(): number }) => Promise<unknown>) =>
      (payload: unknown) =>
        h(payload, context);
    const run = startLocalExecution(
      buildExtractionStateMachine({ functionArns: localFunctionArns() }),
      { runId: 'lambda-run', request: parseExtractionRequest({}) as never },
      {
        'time-range-mapper': bind(mapper),
        'symbol-searcher': bind(searcher),
        'symbol-unifier': bind(unifier),
        'symbol-processor': bind(processor),
        'result-collector': bind(collector),
      },
      { executionName: 'lambda-run' },
    );
    const output = (await run.result) as { complete: boolean; ordersJsonlKey: string; orders: number };
    expect(output).toMatchObject({ complete: true, orders: 1500 });
    const v = await verifyAgainstTruth(readResultOrders(env.store, output.ordersJsonlKey), sim.truth());
    expect(v).toMatchObject({ ok: true, missing: 0, duplicates: 0 });
  });

  it('keep a margin before the Lambda timeout that grows with the budget, within bounds', () => {
    expect(stopMarginMs(900_000)).toBe(90_000);
    expect(stopMarginMs(60_000)).toBe(12_000);
    expect(stopMarginMs(3_000)).toBe(2_000);
  });
});
