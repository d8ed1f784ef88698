import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { MissingConfigurationError } from '../../src/config/errors';
import { buildApiFromEnv, handler } from '../../src/runtime/apiFunction';

const dir = mkdtempSync(join(tmpdir(), 'bitget-orders-lambda-'));
const ENV = {
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:bitget-orders',
  RESULTS_BUCKET: 'results-bucket',
  DATABASE_URL: `sqlite:${join(dir, 'lambda.sqlite')}`,
  AWS_REGION: 'eu-west-1',
  LOG_LEVEL: 'silent',
};

/** A Lambda function URL event (payload format 2.0). */
function functionUrlEvent(method: string, path: string, headers: Record<string, string> = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc.lambda-url.eu-west-1.on.aws', ...headers },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'jest' },
    },
    isBase64Encoded: false,
  };
}

type Context = Parameters<typeof handler>[1];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the api Lambda', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('serves the app built once from the environment through a function URL event', async () => {
    Object.assign(process.env, ENV);
    const health = await handler(functionUrlEvent('GET', '/health'), {} as Context);
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({
      status: 'ok',
      database: { kind: 'sqlite', reachable: true },
    });
    const info = await handler(functionUrlEvent('GET', '/info'), {} as Context);
    expect(JSON.parse(info.body)).toMatchObject({ engine: 'aws-step-functions', bucket: 'results-bucket' });
  });

  it('requires x-api-key when API_KEY is set', async () => {
    const key = 'lambda-key-of-at-least-32-characters';
    const app = await buildApiFromEnv({ ...ENV, API_KEY: key });
    expect((await app.inject('/info')).statusCode).toBe(401);
    expect((await app.inject({ url: '/info', headers: { 'x-api-key': key } })).statusCode).toBe(200);
    await app.close();
  });

  it('refuses to start with an API key shorter than 32 characters, saying so', async () => {
    await expect(buildApiFromEnv({ ...ENV, API_KEY: 'lambda-key' })).rejects.toThrow(
      /API key of 10 characters: off loopback the key must be at least 32 characters/,
    );
  });

  it('refuses a MAX_RUNNING_EXECUTIONS that is not a positive integer, naming it', async () => {
    await expect(buildApiFromEnv({ ...ENV, MAX_RUNNING_EXECUTIONS: 'many' })).rejects.toThrow(
      /MAX_RUNNING_EXECUTIONS \(a positive integer, got "many"\)/,
    );
  });

  it('answers 404 for an execution of another region without asking Step Functions', async () => {
    const app = await buildApiFromEnv(ENV);
    const foreign = 'arn:aws:states:us-east-1:123456789012:execution:bitget-orders:run-1';
    const res = await app.inject(`/orders/${encodeURIComponent(foreign)}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe(`${foreign} is not an execution of this deployment`);
    await app.close();
  });

  it('reads the database URL from Secrets Manager when only DATABASE_SECRET_ARN is set', async () => {
    const send = jest
      .spyOn(SecretsManagerClient.prototype, 'send')
      .mockImplementation(async () => ({ SecretString: ENV.DATABASE_URL }));
    const { DATABASE_URL: _url, ...rest } = ENV;
    const app = await buildApiFromEnv({
      ...rest,
      DATABASE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-url',
    });
    expect((await app.inject('/health')).json()).toMatchObject({ database: { reachable: true } });
    expect(send).toHaveBeenCalledTimes(1);
    await app.close();
    send.mockRestore();
  });

  it('refuses to start without its required configuration, naming the variable', async () => {
    await expect(buildApiFromEnv({ ...ENV, RESULTS_BUCKET: '' })).rejects.toThrow(MissingConfigurationError);
    await expect(buildApiFromEnv({ ...ENV, STATE_MACHINE_ARN: undefined })).rejects.toThrow(
      /STATE_MACHINE_ARN/,
    );
  });
});
