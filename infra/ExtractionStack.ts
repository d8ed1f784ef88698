import * as path from 'node:path';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { parseExtractionRequest } from '../src/core/request';
import { applyBackend } from './backend';
import type { ExtractionStackOptions } from './config';
import { Alarms } from './constructs/Alarms';
import { BitgetCredentials, putBitgetSecretCommand } from './constructs/BitgetCredentials';
import { DatabaseUrlSecret, putDatabaseUrlCommand } from './constructs/DatabaseUrlSecret';
import { ArchiveSync } from './constructs/ArchiveSync';
import { ExtractionSchedule } from './constructs/ExtractionSchedule';
import { ExtractionStateMachine } from './constructs/ExtractionStateMachine';
import { FunctionUrl } from './constructs/FunctionUrl';
import { NodejsFunction } from './constructs/NodejsFunction';
import { RunBucket } from './constructs/RunBucket';
import {
  BUNDLE_ASSETS,
  FUNCTION_ACCESS,
  FUNCTION_NAMES,
  RESULTS_PREFIX,
  RUNS_PREFIX,
  TASK_FUNCTION_NAMES,
} from './functions';
import type { FunctionName, TaskFunctionName } from './functions';
import { allow, s3PrefixAccess } from './iam';
import type { PolicyStatement } from './iam';
import { StackVariables } from './StackVariables';
import { DEFAULT_METRICS_NAMESPACE as METRICS_NAMESPACE } from '../src/observability/metricNames';

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

/** Terraform output names for a function (`symbol-processor` → `symbol_processor_function_arn`). */
export function functionOutputName(name: FunctionName, what: 'function_arn' | 'role_arn'): string {
  return `${name.replace(/-/g, '_')}_${what}`;
}

/** Terraform's minimum: S3-native state locking (1.10) and cross-object preconditions read by the api function. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.10.0';

/**
 * The whole product on AWS: the run bucket, the Bitget secret, seven Lambdas with one role each, the extraction
 * state machine, optionally the IAM-authenticated API URL, a schedule, alarms, and outputs for every ARN. The
 * settings a user tunes are Terraform variables (StackVariables.ts).
 */
export class ExtractionStack extends TerraformStack {
  readonly functions: Record<FunctionName, NodejsFunction>;
  readonly stateMachine: ExtractionStateMachine;
  readonly bucket: RunBucket;
  readonly credentials: BitgetCredentials;
  readonly variables: StackVariables;

  constructor(scope: Construct, id: string, options: ExtractionStackOptions) {
    super(scope, id);
    applyBackend(this, options.backend);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    new AwsProvider(this, 'aws', { region: options.region, defaultTags: [{ tags: options.tags }] });
    const vars = new StackVariables(this, options);
    this.variables = vars;

    const account = new DataAwsCallerIdentity(this, 'account');
    const region = new DataAwsRegion(this, 'region');
    const partition = new DataAwsPartition(this, 'partition');
    const prefix = options.namePrefix;

    this.bucket = new RunBucket(this, 'runs', {
      namePrefix: prefix,
      account,
      region,
      ...options.storage,
      forceDestroy: vars.forceDestroy,
      runsExpirationDays: vars.runsExpirationDays,
      results: {
        keptForever: vars.hcl.resultsKeptForever,
        days: '${max(var.results_retention_days, 1)}',
      },
    });
    const bucket = this.bucket.bucket;
    this.credentials = new BitgetCredentials(this, 'bitget-credentials', {
      namePrefix: prefix,
      recoveryWindowDays: vars.secretRecoveryWindowDays,
    });
    const secretArn = this.credentials.secret.arn;
    const databaseSecretArn = options.api.enabled
      ? new DatabaseUrlSecret(this, 'database-url', {
          namePrefix: prefix,
          recoveryWindowDays: vars.secretRecoveryWindowDays,
        }).secret.arn
      : undefined;

    const stateMachineName = `${prefix}-extraction`;
    /** The machine's ARN and the ARN pattern of its executions, for the functions that start or watch it. */
    type MachineArns = { machine: string; executions: string };
    const machineArnsFor = (name: FunctionName, arns: MachineArns | undefined): MachineArns => {
      if (!arns) throw new Error(`${name} is created before the state machine it needs`);
      return arns;
    };

    const statementsFor = (name: FunctionName, arns?: MachineArns): PolicyStatement[] => {
      const access = FUNCTION_ACCESS[name];
      const statements: PolicyStatement[] = access.bucket.flatMap((grant, i) =>
        s3PrefixAccess(`RunBucket${i}`, bucket.arn, grant.prefixes, grant.access),
      );
      if (access.bitgetSecret) {
        statements.push(allow('ReadBitgetCredentials', ['secretsmanager:GetSecretValue'], [secretArn]));
      }
      if (access.databaseSecret && databaseSecretArn) {
        statements.push(allow('ReadDatabaseUrl', ['secretsmanager:GetSecretValue'], [databaseSecretArn]));
      }
      if (access.stateMachine.includes('start')) {
        statements.push(
          allow('StartExtraction', ['states:StartExecution'], [machineArnsFor(name, arns).machine]),
        );
      }
      if (access.stateMachine.includes('list')) {
        statements.push(
          allow('ListExtractions', ['states:ListExecutions'], [machineArnsFor(name, arns).machine]),
        );
      }
      if (access.stateMachine.includes('describe')) {
        statements.push(
          allow('DescribeExtractions', ['states:DescribeExecution'], [machineArnsFor(name, arns).executions]),
        );
      }
      if (access.stateMachine.includes('stop')) {
        statements.push(
          allow('StopExtractions', ['states:StopExecution'], [machineArnsFor(name, arns).executions]),
        );
      }
      return statements;
    };
    const environmentFor = (name: FunctionName, arns?: MachineArns): Record<string, string> => {
      const access = FUNCTION_ACCESS[name];
      return {
        [ENV.nodeOptions]: '--enable-source-maps',
        [ENV.baseUrl]: vars.bitgetBaseUrl,
        // Powertools (src/observability/lambda.ts): the `service` of every log line and metric, and the metrics'
        // namespace, which the alarms watch.
        [ENV.serviceName]: prefix,
        [ENV.metricsNamespace]: METRICS_NAMESPACE,
        ...(access.bucket.length > 0
          ? {
              [ENV.bucket]: bucket.bucket,
              [ENV.runsPrefix]: RUNS_PREFIX,
              [ENV.resultsPrefix]: RESULTS_PREFIX,
            }
          : {}),
        ...(access.bitgetSecret ? { [ENV.secretArn]: secretArn } : {}),
        ...(access.databaseSecret && databaseSecretArn ? { [ENV.databaseSecretArn]: databaseSecretArn } : {}),
        // The api reads the results bucket under this name (src/handlers/api.ts).
        ...(name === 'api' ? { [ENV.resultsBucket]: bucket.bucket } : {}),
        ...(access.stateMachine.length > 0
          ? { [ENV.stateMachineArn]: machineArnsFor(name, arns).machine }
          : {}),
      };
    };
    const makeFunction = (name: FunctionName, arns?: MachineArns): NodejsFunction =>
      new NodejsFunction(this, name, {
        functionName: `${prefix}-${name}`,
        region: options.region,
        description: `bitget-orders ${name}: ${FUNCTION_ACCESS[name].purpose}`,
        entry: path.join(options.projectRoot, 'functions', name, 'index.ts'),
        projectRoot: options.projectRoot,
        memoryMb: vars.memoryMb(name, options.functions[name].memoryMb),
        timeoutSeconds: options.functions[name].timeoutSeconds,
        reservedConcurrency: vars.reservedConcurrency(name),
        architecture: vars.architecture,
        environment: environmentFor(name, arns),
        logRetentionDays: vars.logRetentionDays,
        bundling: options.bundling,
        ...(BUNDLE_ASSETS[name] ? { assets: BUNDLE_ASSETS[name] } : {}),
        statements: statementsFor(name, arns),
      });

    const taskFunctions = Object.fromEntries(TASK_FUNCTION_NAMES.map((n) => [n, makeFunction(n)])) as Record<
      TaskFunctionName,
      NodejsFunction
    >;
    this.stateMachine = new ExtractionStateMachine(this, 'extraction', {
      name: stateMachineName,
      region: options.region,
      accountId: account.accountId,
      functionArns: Object.fromEntries(
        TASK_FUNCTION_NAMES.map((n) => [n, taskFunctions[n].function.arn]),
      ) as Record<TaskFunctionName, string>,
      logLevel: vars.stateMachineLogLevel,
      logRetentionDays: vars.logRetentionDays,
      laneConcurrency: vars.laneConcurrencyText,
      windowConcurrency: vars.windowConcurrencyText,
    });
    const machine = this.stateMachine.stateMachine;
    const machineArns: MachineArns = {
      machine: machine.arn,
      executions: `arn:${partition.partition}:states:${region.region}:${account.accountId}:execution:${machine.name}:*`,
    };

    // The coordinator and the api start the machine, so they come after it (their policies name its ARN).
    const coordinator = makeFunction('coordinator', machineArns);
    const enabled: FunctionName[] = [...TASK_FUNCTION_NAMES, 'coordinator'];
    const functions: Partial<Record<FunctionName, NodejsFunction>> = { ...taskFunctions, coordinator };
    if (options.api.enabled) {
      const api = makeFunction('api', machineArns);
      api.placeInVpc(vars, partition.partition);
      functions.api = api;
      enabled.push('api');
      const url = new FunctionUrl(this, 'api-url', api);
      new TerraformOutput(this, 'api_url', {
        value: url.url.functionUrl,
        description: 'API (AWS_IAM: sign with SigV4)',
      });
      new TerraformOutput(this, 'database_secret_arn', {
        value: databaseSecretArn,
        description: 'Secret holding the API database URL (its value is put outside Terraform)',
      });
      new TerraformOutput(this, 'put_database_url_command', {
        value: putDatabaseUrlCommand(databaseSecretArn!, options.region),
        description:
          'Run once with DATABASE_URL set: puts it into the secret without passing through Terraform',
      });
    }
    this.functions = functions as Record<FunctionName, NodejsFunction>;

    const schedule = new ExtractionSchedule(this, 'schedule', {
      name: `${prefix}-extraction-schedule`,
      region: options.region,
      accountId: account.accountId,
      stateMachineArn: machine.arn,
      expression: StackVariables.conditional(
        vars.hcl.scheduleEnabled,
        'var.schedule_expression',
        '"rate(1 day)"',
      ),
      state: StackVariables.conditional(vars.hcl.scheduleEnabled, '"ENABLED"', '"DISABLED"'),
      request: parseExtractionRequest(options.schedule.request),
    });
    new TerraformOutput(this, 'schedule_arn', { value: schedule.schedule.arn });
    new TerraformOutput(this, 'schedule_role_arn', { value: schedule.role.arn });
    new TerraformOutput(this, 'schedule_state', {
      value: schedule.schedule.state,
      description: 'ENABLED once schedule_expression is set',
    });

    if (options.archive) {
      const archive = new ArchiveSync(this, 'archive', {
        namePrefix: prefix,
        region: options.region,
        projectRoot: options.projectRoot,
        bundling: options.bundling,
        architecture: vars.architecture,
        logRetentionDays: vars.logRetentionDays,
        bitgetBaseUrl: vars.bitgetBaseUrl,
        reservedConcurrency: -1,
        ...options.archive,
        accountId: account.accountId,
        bucket,
        bitgetSecretArn: secretArn,
        stateMachineArn: machine.arn,
        executionsArn: machineArns.executions,
      });
      new TerraformOutput(this, 'archive_glue_table', {
        value: `${archive.database.name}.${archive.table.name}`,
      });
    }

    const alarms = new Alarms(this, 'alarms', {
      namePrefix: prefix,
      stateMachineArn: machine.arn,
      functionNames: Object.fromEntries(enabled.map((n) => [n, `${prefix}-${n}`])),
      email: vars.alarmEmail,
      subscribeEmail: vars.hcl.alarmEmailSet,
      metrics: { namespace: METRICS_NAMESPACE, service: prefix },
    });

    new TerraformOutput(this, 'bucket_name', { value: bucket.bucket });
    new TerraformOutput(this, 'bucket_arn', { value: bucket.arn });
    new TerraformOutput(this, 'bitget_secret_arn', {
      value: secretArn,
      description: 'Secret holding the Bitget API key (its value is put outside Terraform)',
    });
    new TerraformOutput(this, 'put_bitget_secret_command', {
      value: putBitgetSecretCommand(secretArn, options.region),
      description:
        'Run once with BITGET_API_KEY, BITGET_SECRET_KEY, BITGET_PASSPHRASE set: puts the keys into the secret',
    });
    new TerraformOutput(this, 'state_machine_arn', { value: machine.arn });
    new TerraformOutput(this, 'aws_region', { value: options.region });
    new TerraformOutput(this, 'state_machine_role_arn', { value: this.stateMachine.role.arn });
    new TerraformOutput(this, 'state_machine_log_group_arn', { value: this.stateMachine.logGroup.arn });
    for (const name of FUNCTION_NAMES) {
      const fn = functions[name];
      if (!fn) continue;
      new TerraformOutput(this, functionOutputName(name, 'function_arn'), { value: fn.function.arn });
      new TerraformOutput(this, functionOutputName(name, 'role_arn'), { value: fn.role.arn });
    }
    new TerraformOutput(this, 'alarm_topic_arn', { value: alarms.topic.arn });
  }

  /** Bundle size of each function's `index.js`, for the synth report. */
  bundleSizes(): Partial<Record<FunctionName, number>> {
    return Object.fromEntries(Object.entries(this.functions).map(([name, fn]) => [name, fn.bundleBytes]));
  }
}
