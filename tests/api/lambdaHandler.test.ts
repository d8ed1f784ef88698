import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { buildApiFromEnv, handler, MissingConfigurationError } from '../../src/handlers/api';

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
    const app = await buildApiFromEnv({ ...ENV, API_KEY: 'lambda-key' });
    expect((await app.inject('/info')).statusCode).toBe(401);
    expect((await app.inject({ url: '/info', headers: { 'x-api-key': 'lambda-key' } })).statusCode).toBe(200);
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
