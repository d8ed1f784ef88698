import { parseExtractionRequest } from '../../src/core/request';
import { handler as collector } from '../../functions/result-collector';
import { handler as processor } from '../../functions/symbol-processor';
import { handler as searcher } from '../../functions/symbol-searcher';
import { handler as mapper } from '../../functions/time-range-mapper';
import { handler as unifier } from '../../functions/symbol-unifier';
import { resetLambdaRuntime } from '../../src/runtime/stageFunctions';
import { localFunctionArns } from '../../src/runtime/localStack';
import { LANE_METRICS, RUN_METRICS } from '../../src/observability/metricNames';
import { startSimulator } from '../../src/sim';
import type { Simulator } from '../../src/sim';
import { buildExtractionStateMachine } from '../../statemachine';
import { startLocalExecution } from '../../statemachine/local';
import { startTestStore } from '../helpers/localStore';

jest.setTimeout(120_000);

type Line = Record<string, unknown>;
type Handler = (event: unknown, context: never) => Promise<unknown>;

/** Everything written to stdout and stderr (both reach CloudWatch) while `fn` runs, one entry per line. */
async function captureStdout<T>(
  fn: () => Promise<T>,
): Promise<{ result: T | undefined; error?: unknown; lines: string[] }> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l !== '');
  try {
    const result = await fn();
    return { result, lines: lines() };
  } catch (error) {
    return { result: undefined, error, lines: lines() };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

function context(functionName: string, request: number) {
  return {
    functionName: `bitget-orders-${functionName}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:bitget-orders-${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `request-${request}`,
    getRemainingTimeInMillis: () => 2_500,
  };
}

/**
 * One invocation at a time, as in Lambda, where a process serves one invocation at once: the keys an invocation
 * appends to the shared logger are its own. The data sets' branches run at once, so invocations are queued here.
 */
function runOnLambdaHandlers(runId: string) {
  let requests = 0;
  let previous: Promise<unknown> = Promise.resolve();
  const bind = (name: string, h: Handler) => (payload: unknown) => {
    const invocation = previous.then(() => h(payload, context(name, ++requests) as never));
    previous = invocation.catch(() => undefined);
    return invocation;
  };
  return startLocalExecution(
    buildExtractionStateMachine({
      functionArns: localFunctionArns(),
      laneConcurrency: 1,
      windowConcurrency: 1,
    }),
    { runId, request: parseExtractionRequest({}) as never },
    {
      'time-range-mapper': bind('time-range-mapper', mapper as Handler),
      'symbol-searcher': bind('symbol-searcher', searcher as Handler),
      'symbol-unifier': bind('symbol-unifier', unifier as Handler),
      'symbol-processor': bind('symbol-processor', processor as Handler),
      'result-collector': bind('result-collector', collector as Handler),
    },
    { executionName: `${runId}-execution` },
  ).result;
}

describe('the Lambda functions’ logs and metrics', () => {
  let sim: Simulator;
  let env: Awaited<ReturnType<typeof startTestStore>>;
  const saved = { ...process.env };
  let lines: string[] = [];
  let output: { complete: boolean; orders: number } | undefined;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 33, orders: 900, symbols: 6 });
    env = await startTestStore('observed-bucket');
    Object.assign(process.env, {
      BUCKET_NAME: 'observed-bucket',
      S3_ENDPOINT: env.s3.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: env.s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: env.s3.credentials.secretAccessKey,
      BITGET_BASE_URL: sim.url,
      BITGET_API_KEY: sim.credentials.apiKey,
      BITGET_SECRET_KEY: sim.credentials.secretKey,
      BITGET_PASSPHRASE: sim.credentials.passphrase,
      POWERTOOLS_SERVICE_NAME: 'observed-orders',
      POWERTOOLS_METRICS_NAMESPACE: 'ObservedOrders',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    });
    resetLambdaRuntime();
    const run = await captureStdout(() => runOnLambdaHandlers('observed-run'));
    lines = run.lines;
    output = run.result as typeof output;
  });
  afterAll(async () => {
    process.env = saved;
    resetLambdaRuntime();
    await env.close();
    await sim.close();
  });

  const parsed = () => lines.map((l) => JSON.parse(l) as Line);
  const logLines = () => parsed().filter((l) => !('_aws' in l));
  const emf = () => parsed().filter((l) => '_aws' in l);

  it('writes every line as JSON, with the service, the function and the run id', () => {
    expect(output).toMatchObject({ complete: true, orders: 900 });
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    for (const l of logLines()) {
      expect(l).toMatchObject({ service: 'observed-orders', runId: 'observed-run' });
      expect(String(l['function_name'])).toMatch(/^bitget-orders-/);
      expect(['DEBUG', 'INFO', 'WARN', 'ERROR']).toContain(l['level']);
    }
  });

  it('puts the lane id and the execution name on every line of a lane’s invocation', () => {
    const processorLines = logLines().filter((l) => l['function_name'] === 'bitget-orders-symbol-processor');
    expect(processorLines.length).toBeGreaterThan(0);
    for (const l of processorLines) {
      expect(l).toMatchObject({ executionName: 'observed-run-execution' });
      expect(typeof l['laneId']).toBe('string');
    }
  });

  it('marks the cold start on the first invocation only', () => {
    const starts = logLines().filter((l) => l['message'] === 'invocation started');
    expect(starts.length).toBeGreaterThan(5);
    expect(starts[0]).toMatchObject({ cold_start: true, stage: 'time-range-mapper' });
    expect(starts.slice(1).every((l) => l['cold_start'] === false)).toBe(true);
  });

  it('says what each lane invocation did and why it stopped, and what the other stages did', () => {
    const lanes = logLines().filter((l) => l['message'] === 'lane invocation ended');
    for (const l of lanes) {
      expect(['done', 'deadline', 'circuit_open']).toContain(l['stop']);
      for (const k of ['pages', 'orders', 'requests', 'retries', 'http429', 'ms'])
        expect(typeof l[k]).toBe('number');
    }
    // Every order is owned by exactly one cursor: the lanes' orders add up to the run's.
    expect(lanes.reduce((n, l) => n + (l['orders'] as number), 0)).toBe(900);
    expect(lanes.filter((l) => l['stop'] === 'done').map((l) => l['laneId'])).toEqual(
      expect.arrayContaining(['spot-history', 'futures-history']),
    );
    const messages = logLines().map((l) => l['message']);
    expect(messages).toEqual(expect.arrayContaining(['run planned', 'run collected', 'invocation ended']));
    expect(logLines().find((l) => l['message'] === 'run collected')).toMatchObject({
      complete: true,
      orders: 900,
    });
  });

  it('publishes the lane metrics per endpoint in embedded metric format, flushed per invocation', () => {
    const lanes = emf().filter((d) => LANE_METRICS.orders in d);
    expect(lanes.length).toBe(logLines().filter((l) => l['message'] === 'lane invocation ended').length);
    for (const d of lanes) {
      const aws = d['_aws'] as {
        CloudWatchMetrics: {
          Namespace: string;
          Dimensions: string[][];
          Metrics: { Name: string; Unit: string }[];
        }[];
      };
      const directive = aws.CloudWatchMetrics[0]!;
      expect(directive.Namespace).toBe('ObservedOrders');
      expect(directive.Dimensions).toEqual([['service', 'endpoint']]);
      expect(directive.Metrics.map((m) => m.Name).sort()).toEqual(Object.values(LANE_METRICS).sort());
      expect(directive.Metrics.find((m) => m.Name === LANE_METRICS.laneTime)!.Unit).toBe('Milliseconds');
      expect(d['service']).toBe('observed-orders');
      expect(typeof d['endpoint']).toBe('string');
    }
    expect(lanes.reduce((n, d) => n + (d[LANE_METRICS.orders] as number), 0)).toBe(900);
    expect(lanes.reduce((n, d) => n + (d[LANE_METRICS.requests] as number), 0)).toBeGreaterThan(0);
    const run = emf().find((d) => RUN_METRICS.runsComplete in d);
    expect(run).toMatchObject({ [RUN_METRICS.runsComplete]: 1, [RUN_METRICS.runOrders]: 900 });
  });

  it('never writes the Bitget keys, the S3 secret or a signature', () => {
    const secrets = [sim.credentials.apiKey, sim.credentials.secretKey, sim.credentials.passphrase];
    for (const line of lines) for (const s of secrets) expect(line).not.toContain(s);
    for (const line of lines) expect(line).not.toMatch(/ACCESS-SIGN|ACCESS-KEY|ACCESS-PASSPHRASE/i);
  });
});

describe('a Lambda function given keys the exchange refuses', () => {
  const saved = { ...process.env };
  const SENTINELS = {
    BITGET_API_KEY: 'sentinel-api-key-7f3a9c',
    BITGET_SECRET_KEY: 'sentinel-secret-key-41d2e8',
    BITGET_PASSPHRASE: 'sentinel-passphrase-90bb17',
  };
  let sim: Simulator;
  let env: Awaited<ReturnType<typeof startTestStore>>;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 34, orders: 50, symbols: 2 });
    env = await startTestStore('refused-bucket');
    Object.assign(process.env, {
      BUCKET_NAME: 'refused-bucket',
      S3_ENDPOINT: env.s3.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: env.s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: env.s3.credentials.secretAccessKey,
      BITGET_BASE_URL: sim.url,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      ...SENTINELS,
    });
    resetLambdaRuntime();
  });
  afterAll(async () => {
    process.env = saved;
    resetLambdaRuntime();
    await env.close();
    await sim.close();
  });

  it('logs the failure with its error, and no line holds a key', async () => {
    const { error, lines } = await captureStdout(() =>
      (mapper as Handler)(
        { runId: 'refused-run', request: parseExtractionRequest({}) },
        context('time-range-mapper', 1) as never,
      ),
    );
    expect(error).toBeInstanceOf(Error);
    const failed = lines.map((l) => JSON.parse(l) as Line).find((l) => l['message'] === 'invocation failed');
    expect(failed).toMatchObject({ level: 'ERROR', runId: 'refused-run', cold_start: true });
    expect((failed!['error'] as { name: string }).name).toBe((error as Error).name);
    for (const line of lines) for (const s of Object.values(SENTINELS)) expect(line).not.toContain(s);
  });
});
