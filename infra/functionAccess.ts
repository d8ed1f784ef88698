/**
 * What each of the ten Lambdas may touch and what it is told: one row per function, holding the function's
 * policy statements and its environment, so that one function's IAM is read (and reviewed) in one place.
 */
import { DEFAULT_METRICS_NAMESPACE } from '../src/observability/metricNames';
import { ARCHIVE_PREFIX, RESULTS_PREFIX, RUNS_PREFIX } from './functions';
import type { FunctionName } from './functions';
import { allow, s3PrefixAccess } from './iam';
import type { PolicyStatement, S3Access } from './iam';

/** Environment variable names the handlers read (documented in docs/DEPLOY.md). No secret values, ever. */
export const ENV = {
  bucket: 'BUCKET_NAME',
  runsPrefix: 'RUNS_PREFIX',
  resultsPrefix: 'RESULTS_PREFIX',
  secretArn: 'BITGET_SECRET_ARN',
  databaseSecretArn: 'DATABASE_SECRET_ARN',
  resultsBucket: 'RESULTS_BUCKET',
  stateMachineArn: 'STATE_MACHINE_ARN',
  baseUrl: 'BITGET_BASE_URL',
  nodeOptions: 'NODE_OPTIONS',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** The state machine's ARN and the ARN pattern of its executions. */
export interface MachineArns {
  arn: string;
  executionsArn: string;
}

/** The stack's resources (Terraform references at synth) that a function's grants and environment name. */
export interface FunctionContext {
  /** The exchange address every function is given (the bitget_base_url variable). */
  bitgetBaseUrl: string;
  /** Powertools' `service` of every log line and metric. */
  serviceName: string;
  bucket: { arn: string; name: string };
  bitgetSecretArn: string;
  /** Created with the api (and the run-importer) only. */
  databaseSecretArn: string | undefined;
  /** Known once the state machine exists: the functions that start or watch it are created after it. */
  machine?: MachineArns;
}

export interface FunctionAccess {
  /** One-line reason, repeated in the role's description. */
  purpose: string;
  statements(context: FunctionContext): PolicyStatement[];
  /** The function's own variables, beside the ones every function gets (functionEnvironment). */
  environment(context: FunctionContext): Record<string, string>;
}

/** Object access per key prefix of the run bucket; statement ids `RunBucket<i>Objects` and `RunBucket<i>List`. */
function runBucketAccess(
  context: FunctionContext,
  grants: { prefixes: string[]; access: S3Access[] }[],
): PolicyStatement[] {
  return grants.flatMap((grant, i) =>
    s3PrefixAccess(`RunBucket${i}`, context.bucket.arn, grant.prefixes, grant.access),
  );
}

export function readBitgetCredentials(secretArn: string): PolicyStatement {
  return allow('ReadBitgetCredentials', ['secretsmanager:GetSecretValue'], [secretArn]);
}

export function startExtraction(machineArn: string): PolicyStatement {
  return allow('StartExtraction', ['states:StartExecution'], [machineArn]);
}

export function describeExtractions(executionsArn: string): PolicyStatement {
  return allow('DescribeExtractions', ['states:DescribeExecution'], [executionsArn]);
}

function runBucketEnvironment(context: FunctionContext): Record<string, string> {
  return {
    [ENV.bucket]: context.bucket.name,
    [ENV.runsPrefix]: RUNS_PREFIX,
    [ENV.resultsPrefix]: RESULTS_PREFIX,
  };
}

function machineOf(name: FunctionName, context: FunctionContext): MachineArns {
  if (!context.machine) throw new Error(`${name} is created before the state machine it needs`);
  return context.machine;
}

function databaseSecretOf(name: FunctionName, context: FunctionContext): string {
  if (!context.databaseSecretArn)
    throw new Error(`${name} is created without the database URL secret it reads`);
  return context.databaseSecretArn;
}

/** The two tasks of the archive's sync state machine (created with the archive); rows of FUNCTION_ACCESS. */
const SYNC_FUNCTION_ACCESS = {
  'sync-prepare': {
    // runs/: writes the run's exchange facts and the sync's context; archive/: reads the manifest only (nothing
    // before the commit writes under archive/).
    purpose: 'prepares an archive sync: identity, open orders and the extraction request on Bitget',
    statements: (c) => [
      ...runBucketAccess(c, [
        { prefixes: [RUNS_PREFIX], access: ['read', 'write'] },
        { prefixes: [ARCHIVE_PREFIX], access: ['read'] },
      ]),
      readBitgetCredentials(c.bitgetSecretArn),
    ],
    environment: (c) => ({ [ENV.bucket]: c.bucket.name, [ENV.secretArn]: c.bitgetSecretArn }),
  },
  'sync-commit': {
    // archive/: writes partitions and the manifest, deletes what no manifest names; runs/: the sync's context;
    // results/: the run's result files. Bitget: the follow-up of plan orders whose symbol is no longer listed.
    purpose: "merges an archive sync's run into the archive, the manifest last",
    statements: (c) => [
      ...runBucketAccess(c, [
        { prefixes: [ARCHIVE_PREFIX], access: ['read', 'write', 'delete'] },
        { prefixes: [RUNS_PREFIX, RESULTS_PREFIX], access: ['read'] },
      ]),
      readBitgetCredentials(c.bitgetSecretArn),
    ],
    environment: (c) => ({ [ENV.bucket]: c.bucket.name, [ENV.secretArn]: c.bitgetSecretArn }),
  },
} satisfies Record<'sync-prepare' | 'sync-commit', FunctionAccess>;

export const FUNCTION_ACCESS: Record<FunctionName, FunctionAccess> = {
  coordinator: {
    purpose: 'validates a request and starts the extraction state machine',
    statements: (c) => [startExtraction(machineOf('coordinator', c).arn)],
    environment: (c) => ({ [ENV.stateMachineArn]: machineOf('coordinator', c).arn }),
  },
  'time-range-mapper': {
    purpose: 'detects the account mode on Bitget and writes the run plan',
    statements: (c) => [
      ...runBucketAccess(c, [{ prefixes: [RUNS_PREFIX], access: ['read', 'write'] }]),
      readBitgetCredentials(c.bitgetSecretArn),
    ],
    environment: (c) => ({ ...runBucketEnvironment(c), [ENV.secretArn]: c.bitgetSecretArn }),
  },
  'symbol-searcher': {
    purpose: 'discovers the symbols traded in one window on Bitget',
    statements: (c) => [
      ...runBucketAccess(c, [{ prefixes: [RUNS_PREFIX], access: ['read', 'write'] }]),
      readBitgetCredentials(c.bitgetSecretArn),
    ],
    environment: (c) => ({ ...runBucketEnvironment(c), [ENV.secretArn]: c.bitgetSecretArn }),
  },
  'symbol-unifier': {
    // Merges what the searchers wrote: S3 only, never Bitget, so no secret.
    purpose: 'merges, dedupes and orders the discovered symbols',
    statements: (c) => runBucketAccess(c, [{ prefixes: [RUNS_PREFIX], access: ['read', 'write'] }]),
    environment: runBucketEnvironment,
  },
  'symbol-processor': {
    purpose: 'paginates order history on Bitget for one lane and writes sorted parts and cursors',
    statements: (c) => [
      ...runBucketAccess(c, [{ prefixes: [RUNS_PREFIX], access: ['read', 'write'] }]),
      readBitgetCredentials(c.bitgetSecretArn),
    ],
    environment: (c) => ({ ...runBucketEnvironment(c), [ENV.secretArn]: c.bitgetSecretArn }),
  },
  'result-collector': {
    // Multipart uploads of the merged result: AbortMultipartUpload lets lib-storage clean up after a failure.
    // No DeleteObject: nothing in the run deletes an object (runs/ expires by lifecycle rule), so no role may.
    purpose: 'merges the parts of a run into the result files',
    statements: (c) =>
      runBucketAccess(c, [
        { prefixes: [RUNS_PREFIX, RESULTS_PREFIX], access: ['read', 'write', 'abortMultipart'] },
      ]),
    environment: runBucketEnvironment,
  },
  api: {
    purpose: 'HTTP API: starts, describes and stops extractions and serves their results',
    statements: (c) => {
      const machine = machineOf('api', c);
      return [
        // runs/: a running execution's progress (plan and lane states); results/: the result files, and the CSV
        // and Parquet it derives from orders.jsonl once; archive/: the archive's status, orders and report.
        ...runBucketAccess(c, [
          { prefixes: [RUNS_PREFIX, ARCHIVE_PREFIX], access: ['read'] },
          { prefixes: [RESULTS_PREFIX], access: ['read', 'write'] },
        ]),
        allow('ReadDatabaseUrl', ['secretsmanager:GetSecretValue'], [databaseSecretOf('api', c)]),
        startExtraction(machine.arn),
        allow('ListExtractions', ['states:ListExecutions'], [machine.arn]),
        describeExtractions(machine.executionsArn),
        // DELETE /orders/{arn} stops an execution, on this machine's executions only.
        allow('StopExtractions', ['states:StopExecution'], [machine.executionsArn]),
      ];
    },
    environment: (c) => ({
      ...runBucketEnvironment(c),
      [ENV.databaseSecretArn]: databaseSecretOf('api', c),
      // The api reads the results bucket under this name (src/runtime/apiFunction.ts).
      [ENV.resultsBucket]: c.bucket.name,
      [ENV.stateMachineArn]: machineOf('api', c).arn,
    }),
  },
  'run-importer': {
    // Reads a finished run's result files (results/ only: orders.jsonl and summary.json), the database URL, and
    // the execution the event names; it starts, stops and writes nothing.
    purpose: "imports a run's result into the database when its execution ends",
    statements: (c) => [
      ...runBucketAccess(c, [{ prefixes: [RESULTS_PREFIX], access: ['read'] }]),
      allow('ReadDatabaseUrl', ['secretsmanager:GetSecretValue'], [databaseSecretOf('run-importer', c)]),
      describeExtractions(machineOf('run-importer', c).executionsArn),
    ],
    environment: (c) => ({
      [ENV.bucket]: c.bucket.name,
      [ENV.databaseSecretArn]: databaseSecretOf('run-importer', c),
      [ENV.stateMachineArn]: machineOf('run-importer', c).arn,
    }),
  },
  ...SYNC_FUNCTION_ACCESS,
};

/** A function's whole environment: what every function is given, then its row's own variables. */
export function functionEnvironment(name: FunctionName, context: FunctionContext): Record<string, string> {
  return {
    [ENV.nodeOptions]: '--enable-source-maps',
    [ENV.baseUrl]: context.bitgetBaseUrl,
    // Powertools (src/observability/lambda.ts): the `service` of every log line and metric, and the metrics'
    // namespace, which the alarms watch.
    [ENV.serviceName]: context.serviceName,
    [ENV.metricsNamespace]: DEFAULT_METRICS_NAMESPACE,
    ...FUNCTION_ACCESS[name].environment(context),
  };
}
