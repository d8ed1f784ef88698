import awsLambdaFastify from '@fastify/aws-lambda';
import type { PromiseHandler } from '@fastify/aws-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { assertStrongApiKey, buildApi } from '../api';
import type { ApiDeps, SymbolSource } from '../api';
import { createDatabase } from '../db';
import { SfnEngine } from '../engines/sfn';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { bitgetSymbolSource } from '../api/bitgetSymbolSource';
import { BitgetClient, DEFAULT_BASE_URL } from '../bitget/client';
import { instrumented, lambdaTelemetry } from '../observability/lambda';
import { powertoolsPinoStream } from '../observability/pinoStream';

/**
 * The `api` Lambda: the same Fastify app as `serve`, behind a function URL (AWS_IAM auth) through
 * @fastify/aws-lambda. Built once per cold start from the environment:
 *
 * - STATE_MACHINE_ARN (required): the extraction state machine, run through SfnEngine
 * - RESULTS_BUCKET (required): the results bucket (the only bucket save-from-url reads)
 * - DATABASE_URL, or DATABASE_SECRET_ARN (a Secrets Manager secret holding it; read once per cold start):
 *   mysql://user:password@host:port/database (sqlite: works for experiments)
 * - BITGET_BASE_URL (optional): where GET /symbols reads Bitget's public symbol lists
 * - API_KEY (optional): also require `x-api-key` on top of IAM; at least 32 characters (the function is off
 *   loopback)
 * - MAX_RUNNING_EXECUTIONS (optional, default 3): executions RUNNING at once before a start is answered 429
 * - S3_ENDPOINT (optional): an S3-compatible endpoint (path-style), for tests and local stacks
 * - LOG_LEVEL (optional, default info)
 */
export class MissingConfigurationError extends Error {
  override readonly name = 'MissingConfigurationError';
  constructor(variable: string) {
    super(`environment variable ${variable} is required by the api function`);
  }
}

export interface ApiHandlerOverrides {
  /** Wired by the Bitget client's owner; without it GET /symbols answers 503. */
  symbols?: SymbolSource;
}

export async function buildApiFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ApiHandlerOverrides = {},
): Promise<ReturnType<typeof buildApi>> {
  const stateMachineArn = required(env, 'STATE_MACHINE_ARN');
  const bucket = required(env, 'RESULTS_BUCKET');
  const databaseUrl = env.DATABASE_URL?.trim() ? env.DATABASE_URL : await databaseUrlFromSecret(env);
  lambdaTelemetry(env).redactor.add(databaseUrl, env.API_KEY);
  const region = env.AWS_REGION ?? stateMachineArn.split(':')[3] ?? 'us-east-1';
  const s3 = new S3Client({
    region,
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT, forcePathStyle: true } : {}),
  });
  if (env.API_KEY) assertStrongApiKey(env.API_KEY, 'start the api function');
  const maxRunning = positiveInt(env, 'MAX_RUNNING_EXECUTIONS');
  const db = await createDatabase(databaseUrl, { poolSize: 2 });
  const deps: ApiDeps = {
    engine: new SfnEngine({ stateMachineArn }),
    // Result files are redirected to presigned S3 URLs: a Lambda answer is limited to 6 MB.
    resultDelivery: 'presign',
    // A function URL answer is buffered: the page polls /runs/events instead of holding a stream open.
    eventStream: false,
    stateMachineArn,
    ...(maxRunning !== undefined ? { maxRunningExecutions: maxRunning } : {}),
    db,
    s3,
    bucket,
    symbols:
      overrides.symbols ??
      bitgetSymbolSource(new BitgetClient({ baseUrl: env.BITGET_BASE_URL ?? DEFAULT_BASE_URL })),
    // Fastify's request lines go out through the Powertools logger, like every function's lines.
    logger: { level: env.LOG_LEVEL ?? 'info', stream: powertoolsPinoStream(lambdaTelemetry(env).logger) },
    ...(env.API_KEY ? { apiKey: env.API_KEY } : {}),
  };
  const app = buildApi(deps);
  app.addHook('onClose', async () => db.close());
  await app.ready();
  return app;
}

async function databaseUrlFromSecret(env: NodeJS.ProcessEnv): Promise<string> {
  const secretArn = env.DATABASE_SECRET_ARN;
  if (!secretArn?.trim()) throw new MissingConfigurationError('DATABASE_URL or DATABASE_SECRET_ARN');
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (!out.SecretString?.trim())
    throw new MissingConfigurationError('DATABASE_SECRET_ARN (the secret is empty)');
  return out.SecretString.trim();
}

function positiveInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return undefined;
  if (!/^[1-9][0-9]{0,5}$/.test(value)) {
    throw new MissingConfigurationError(`${name} (a positive integer, got ${JSON.stringify(value)})`);
  }
  return Number(value);
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new MissingConfigurationError(name);
  return value;
}

let proxy: Promise<PromiseHandler> | undefined;

/** Lambda entry point (functions/api/index.ts re-exports it). */
export const handler: PromiseHandler = instrumented('api', async (event, context) => {
  proxy ??= buildApiFromEnv().then(
    (app) => awsLambdaFastify(app, { decorateRequest: false }),
    (error: unknown) => {
      proxy = undefined; // a failed cold start is retried on the next invocation
      throw error;
    },
  );
  return (await proxy)(event, context);
});
