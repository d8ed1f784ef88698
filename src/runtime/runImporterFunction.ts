import { EnvReader } from '../config/EnvReader';
import { readDatabaseUrl } from '../config/databaseUrl';
import { createDatabase } from '../db';
import { SfnEngine } from '../engines/SfnEngine';
import { instrumented, lambdaTelemetry } from '../observability/lambda';
import type { LambdaContextFields } from '../observability/lambda';
import { createS3Client } from '../storage';
import { importEndedExecution } from './importEndedExecution';
import type { EndedExecutionDeps, EndedExecutionOutcome } from './importEndedExecution';

/**
 * The `run-importer` Lambda: an EventBridge rule delivers the extraction state machine's "Execution Status
 * Change" events (SUCCEEDED, FAILED, TIMED_OUT, ABORTED), and the run is imported into the database when it
 * ends, not when someone next polls the API. Built once per cold start from the environment:
 *
 * - STATE_MACHINE_ARN (required): the machine whose executions are imported (DescribeExecution)
 * - BUCKET_NAME (required): the run bucket, the only one a result is read from
 * - DATABASE_URL, or DATABASE_SECRET_ARN (a Secrets Manager secret holding it)
 * - S3_ENDPOINT (optional): an S3-compatible endpoint (path-style), for tests and local stacks
 *
 * The result's keys come from the execution's output. An import that fails throws: Lambda's
 * asynchronous retries run it again, and importRun resumes at the offset it committed.
 */
export async function runImporterFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<EndedExecutionDeps> {
  const config = new EnvReader(env, 'run-importer');
  const stateMachineArn = config.required('STATE_MACHINE_ARN');
  const bucket = config.required('BUCKET_NAME');
  const databaseUrl = await readDatabaseUrl(config);
  lambdaTelemetry(env).redactor.add(databaseUrl);
  const region = config.optional('AWS_REGION') ?? stateMachineArn.split(':')[3];
  return {
    engine: new SfnEngine({ stateMachineArn }),
    stateMachineArn,
    bucket,
    db: await createDatabase(databaseUrl, { poolSize: 2 }),
    s3: createS3Client({ bucket, region, endpoint: config.optional('S3_ENDPOINT') }),
    now: Date.now,
  };
}

let deps: Promise<EndedExecutionDeps> | undefined;

/** The run-importer Lambda's handler (functions/run-importer/index.ts exports it). */
export const handler = instrumented(
  'run-importer',
  async (event: unknown, _context: LambdaContextFields | undefined): Promise<EndedExecutionOutcome> => {
    deps ??= runImporterFromEnv().catch((error: unknown) => {
      deps = undefined; // a failed cold start is retried on the next invocation
      throw error;
    });
    const outcome = await importEndedExecution(await deps, event);
    lambdaTelemetry().logger.info('execution ended', { ...outcome });
    return outcome;
  },
);
