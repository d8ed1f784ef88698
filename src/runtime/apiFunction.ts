import awsLambdaFastify from '@fastify/aws-lambda';
import type { PromiseHandler } from '@fastify/aws-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { assertStrongApiKey, buildApi } from '../api';
import type { ApiDeps, SymbolSource } from '../api';
import { createDatabase } from '../db';
import { SfnEngine } from '../engines/SfnEngine';
import { bitgetSymbolSource } from '../api/bitgetSymbolSource';
import { BitgetClient, DEFAULT_BASE_URL } from '../bitget/BitgetClient';
import { instrumented, lambdaTelemetry } from '../observability/lambda';
import { powertoolsPinoStream } from '../observability/pinoStream';
import { EnvReader } from '../config/EnvReader';
import { readDatabaseUrl } from '../config/databaseUrl';

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
 *
 * A missing or malformed variable is a MissingConfigurationError naming it.
 */

export interface ApiHandlerOverrides {
  /** Wired by the Bitget client's owner; without it GET /symbols answers 503. */
  symbols?: SymbolSource;
}

export async function buildApiFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ApiHandlerOverrides = {},
): Promise<ReturnType<typeof buildApi>> {
  const config = new EnvReader(env, 'api');
  const stateMachineArn = config.required('STATE_MACHINE_ARN');
  const bucket = config.required('RESULTS_BUCKET');
  const databaseUrl = await readDatabaseUrl(config);
  const apiKey = config.optional('API_KEY');
  lambdaTelemetry(env).redactor.add(databaseUrl, apiKey);
  const region = config.optional('AWS_REGION') ?? stateMachineArn.split(':')[3] ?? 'us-east-1';
  const s3Endpoint = config.optional('S3_ENDPOINT');
  const s3 = new S3Client({
    region,
    ...(s3Endpoint ? { endpoint: s3Endpoint, forcePathStyle: true } : {}),
  });
  if (apiKey) assertStrongApiKey(apiKey, 'start the api function');
  const maxRunning = config.positiveInt('MAX_RUNNING_EXECUTIONS');
  const db = await createDatabase(databaseUrl, { poolSize: 2 });
  const deps: ApiDeps = {
    engine: new SfnEngine({ stateMachineArn }),
    // Result files are redirected to presigned S3 URLs: a Lambda answer is limited to 6 MB.
    resultDelivery: 'presign',
    // A function URL answer is buffered: the page polls /runs/events instead of holding a stream open.
    eventStream: false,
    stateMachineArn,
    maxRunningExecutions: maxRunning,
    db,
    s3,
    bucket,
    symbols:
      overrides.symbols ??
      bitgetSymbolSource(
        new BitgetClient({ baseUrl: config.optional('BITGET_BASE_URL') ?? DEFAULT_BASE_URL }),
      ),
    // Fastify's request lines go out through the Powertools logger, like every function's lines.
    logger: {
      level: config.optional('LOG_LEVEL') ?? 'info',
      stream: powertoolsPinoStream(lambdaTelemetry(env).logger),
    },
    apiKey,
  };
  const app = buildApi(deps);
  app.addHook('onClose', async () => db.close());
  await app.ready();
  return app;
}

let proxy: Promise<PromiseHandler> | undefined;

/** The api Lambda's handler (functions/api/index.ts exports it). */
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
