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
import { RunImportRule } from './constructs/RunImportRule';
import { FUNCTION_ACCESS, functionEnvironment } from './functionAccess';
import type { FunctionContext, MachineArns } from './functionAccess';
import { BUNDLE_ASSETS, FUNCTION_NAMES, TASK_FUNCTION_NAMES } from './functions';
import type { FunctionName, TaskFunctionName } from './functions';
import { StackVariables } from './StackVariables';
import { DEFAULT_METRICS_NAMESPACE as METRICS_NAMESPACE } from '../src/observability/metricNames';

/** Terraform output names for a function (`symbol-processor` → `symbol_processor_function_arn`). */
export function functionOutputName(name: FunctionName, what: 'function_arn' | 'role_arn'): string {
  return `${name.replace(/-/g, '_')}_${what}`;
}

/** Terraform's minimum: S3-native state locking (1.10) and cross-object preconditions read by the api function. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.10.0';

/**
 * The whole product on AWS: the run bucket, the Bitget secret, seven Lambdas with one role each, the extraction
 * state machine, optionally the IAM-authenticated API URL with its database and the run-importer the machine's
 * status changes invoke (an eighth Lambda), optionally the archive (its sync state machine over two more Lambdas,
 * the extraction machine nested, and the Glue table), a schedule, alarms, and outputs for every ARN. The
 * settings a user tunes are Terraform variables (StackVariables.ts).
 */
export class ExtractionStack extends TerraformStack {
  readonly functions: Record<FunctionName, NodejsFunction>;
  readonly stateMachine: ExtractionStateMachine;
  readonly bucket: RunBucket;
  readonly credentials: BitgetCredentials;
  readonly variables: StackVariables;
  /** The archive's sync state machine, schedule and Glue table (with INFRA_ARCHIVE_SYNC_HOURS only). */
  readonly archive?: ArchiveSync;

  constructor(scope: Construct, id: string, options: ExtractionStackOptions) {
    super(scope, id);
    applyBackend(this, options.backend);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    new AwsProvider(this, 'aws', { region: options.region, defaultTags: [{ tags: options.tags }] });
    this.variables = new StackVariables(this, options);
    const account = new DataAwsCallerIdentity(this, 'account');
    const region = new DataAwsRegion(this, 'region');
    const partition = new DataAwsPartition(this, 'partition');

    this.bucket = this.addRunBucket(options, account, region);
    this.credentials = new BitgetCredentials(this, 'bitget-credentials', {
      namePrefix: options.namePrefix,
      recoveryWindowDays: this.variables.secretRecoveryWindowDays,
    });
    const databaseSecret = options.api.enabled
      ? new DatabaseUrlSecret(this, 'database-url', {
          namePrefix: options.namePrefix,
          recoveryWindowDays: this.variables.secretRecoveryWindowDays,
        })
      : undefined;
    const context: FunctionContext = {
      bitgetBaseUrl: this.variables.bitgetBaseUrl,
      serviceName: options.namePrefix,
      bucket: { arn: this.bucket.bucket.arn, name: this.bucket.bucket.bucket },
      bitgetSecretArn: this.credentials.secret.arn,
      databaseSecretArn: databaseSecret?.secret.arn,
    };

    const taskFunctions = Object.fromEntries(
      TASK_FUNCTION_NAMES.map((n) => [n, this.addFunction(n, options, context)]),
    ) as Record<TaskFunctionName, NodejsFunction>;
    this.stateMachine = this.addStateMachine(options, account, taskFunctions);
    const machine = this.stateMachine.stateMachine;
    const machineArns: MachineArns = {
      arn: machine.arn,
      executionsArn: `arn:${partition.partition}:states:${region.region}:${account.accountId}:execution:${machine.name}:*`,
    };
    const withMachine: FunctionContext = { ...context, machine: machineArns };

    // The coordinator and the api start the machine, so they come after it (their policies name its ARN).
    const functions: Partial<Record<FunctionName, NodejsFunction>> = {
      ...taskFunctions,
      coordinator: this.addFunction('coordinator', options, withMachine),
    };
    if (databaseSecret) {
      functions.api = this.addApi(options, withMachine, partition, databaseSecret);
      functions['run-importer'] = this.addRunImporter(options, withMachine, partition);
    }
    this.functions = functions as Record<FunctionName, NodejsFunction>;

    if (options.archive) {
      functions['sync-prepare'] = this.addFunction('sync-prepare', options, context);
      functions['sync-commit'] = this.addFunction('sync-commit', options, context);
      this.archive = this.addArchive(options, options.archive, account, partition, machineArns, functions);
    }
    this.addSchedule(options, account, machine.arn);
    const alarms = new Alarms(this, 'alarms', {
      namePrefix: options.namePrefix,
      stateMachineArn: machine.arn,
      ...(this.archive ? { syncStateMachineArn: this.archive.stateMachine.arn } : {}),
      functionNames: Object.fromEntries(Object.keys(functions).map((n) => [n, `${options.namePrefix}-${n}`])),
      email: this.variables.alarmEmail,
      subscribeEmail: this.variables.hcl.alarmEmailSet,
      metrics: { namespace: METRICS_NAMESPACE, service: options.namePrefix },
    });
    this.addOutputs(options, alarms);
  }

  private addRunBucket(
    options: ExtractionStackOptions,
    account: DataAwsCallerIdentity,
    region: DataAwsRegion,
  ): RunBucket {
    return new RunBucket(this, 'runs', {
      namePrefix: options.namePrefix,
      account,
      region,
      ...options.storage,
      forceDestroy: this.variables.forceDestroy,
      runsExpirationDays: this.variables.runsExpirationDays,
      results: {
        keptForever: this.variables.hcl.resultsKeptForever,
        days: '${max(var.results_retention_days, 1)}',
      },
    });
  }

  /** One of the ten functions, its policy and environment from its row in FUNCTION_ACCESS. */
  private addFunction(
    name: FunctionName,
    options: ExtractionStackOptions,
    context: FunctionContext,
  ): NodejsFunction {
    const vars = this.variables;
    return new NodejsFunction(this, name, {
      functionName: `${options.namePrefix}-${name}`,
      region: options.region,
      description: `bitget-orders ${name}: ${FUNCTION_ACCESS[name].purpose}`,
      entry: path.join(options.projectRoot, 'functions', name, 'index.ts'),
      projectRoot: options.projectRoot,
      memoryMb: vars.memoryMb(name, options.functions[name].memoryMb),
      timeoutSeconds: options.functions[name].timeoutSeconds,
      reservedConcurrency: vars.reservedConcurrency(name),
      architecture: vars.architecture,
      environment: functionEnvironment(name, context),
      logRetentionDays: vars.logRetentionDays,
      bundling: options.bundling,
      assets: BUNDLE_ASSETS[name],
      statements: FUNCTION_ACCESS[name].statements(context),
    });
  }

  private addStateMachine(
    options: ExtractionStackOptions,
    account: DataAwsCallerIdentity,
    taskFunctions: Record<TaskFunctionName, NodejsFunction>,
  ): ExtractionStateMachine {
    return new ExtractionStateMachine(this, 'extraction', {
      name: `${options.namePrefix}-extraction`,
      region: options.region,
      accountId: account.accountId,
      functionArns: Object.fromEntries(
        TASK_FUNCTION_NAMES.map((n) => [n, taskFunctions[n].function.arn]),
      ) as Record<TaskFunctionName, string>,
      logLevel: this.variables.stateMachineLogLevel,
      logRetentionDays: this.variables.logRetentionDays,
      laneConcurrency: this.variables.laneConcurrencyText,
      windowConcurrency: this.variables.windowConcurrencyText,
    });
  }

  /** The api function behind its IAM-authenticated URL, and the outputs that reach it and fill its secret. */
  private addApi(
    options: ExtractionStackOptions,
    context: FunctionContext,
    partition: DataAwsPartition,
    databaseSecret: DatabaseUrlSecret,
  ): NodejsFunction {
    const api = this.addFunction('api', options, context);
    api.placeInVpc(this.variables, partition.partition);
    const url = new FunctionUrl(this, 'api-url', api);
    new TerraformOutput(this, 'api_url', {
      value: url.url.functionUrl,
      description: 'API (AWS_IAM: sign with SigV4)',
    });
    new TerraformOutput(this, 'database_secret_arn', {
      value: databaseSecret.secret.arn,
      description: 'Secret holding the API database URL (its value is put outside Terraform)',
    });
    new TerraformOutput(this, 'put_database_url_command', {
      value: putDatabaseUrlCommand(databaseSecret.secret.arn, options.region),
      description:
        'Run once with DATABASE_URL set: puts it into the secret without passing through Terraform',
    });
    return api;
  }

  /**
   * The run-importer and the rule that invokes it when an execution ends. Beside the api, in its VPC (the
   * database may have no public address), with its own timeout: an import of a large run outlasts an HTTP
   * answer, and a poll no longer has to be the one that starts it.
   */
  private addRunImporter(
    options: ExtractionStackOptions,
    context: FunctionContext,
    partition: DataAwsPartition,
  ): NodejsFunction {
    const importer = this.addFunction('run-importer', options, context);
    importer.placeInVpc(this.variables, partition.partition);
    new RunImportRule(this, 'run-import', {
      name: `${options.namePrefix}-run-import`,
      stateMachineArn: this.stateMachine.stateMachine.arn,
      importer,
    });
    return importer;
  }

  private addSchedule(
    options: ExtractionStackOptions,
    account: DataAwsCallerIdentity,
    machineArn: string,
  ): void {
    const hcl = this.variables.hcl;
    // With the archive, scheduled_run says which of the two schedules runs (archive-sync by default).
    const enabled = options.archive
      ? `${hcl.scheduleEnabled} && !(${hcl.archiveSyncScheduled})`
      : hcl.scheduleEnabled;
    const schedule = new ExtractionSchedule(this, 'schedule', {
      name: `${options.namePrefix}-extraction-schedule`,
      region: options.region,
      accountId: account.accountId,
      stateMachineArn: machineArn,
      expression: StackVariables.conditional(hcl.scheduleEnabled, 'var.schedule_expression', '"rate(1 day)"'),
      state: StackVariables.conditional(enabled, '"ENABLED"', '"DISABLED"'),
      request: parseExtractionRequest(options.schedule.request),
    });
    new TerraformOutput(this, 'schedule_arn', { value: schedule.schedule.arn });
    new TerraformOutput(this, 'schedule_role_arn', { value: schedule.role.arn });
    new TerraformOutput(this, 'schedule_state', {
      value: schedule.schedule.state,
      description: 'ENABLED once schedule_expression is set',
    });
  }

  /** The sync state machine over the two sync functions and the extraction machine, its schedule, the Glue table. */
  private addArchive(
    options: ExtractionStackOptions,
    archive: NonNullable<ExtractionStackOptions['archive']>,
    account: DataAwsCallerIdentity,
    partition: DataAwsPartition,
    machine: MachineArns,
    functions: Partial<Record<FunctionName, NodejsFunction>>,
  ): ArchiveSync {
    const arnOf = (name: 'sync-prepare' | 'sync-commit'): string => functions[name]!.function.arn;
    const sync = new ArchiveSync(this, 'archive', {
      namePrefix: options.namePrefix,
      region: options.region,
      accountId: account.accountId,
      partition: partition.partition,
      bucket: this.bucket.bucket,
      functionArns: { 'sync-prepare': arnOf('sync-prepare'), 'sync-commit': arnOf('sync-commit') },
      extractionArn: machine.arn,
      extractionExecutionsArn: machine.executionsArn,
      everyHours: archive.everyHours,
      scheduleState: StackVariables.conditional(
        this.variables.hcl.archiveSyncScheduled,
        '"ENABLED"',
        '"DISABLED"',
      ),
      logLevel: this.variables.stateMachineLogLevel,
      logRetentionDays: this.variables.logRetentionDays,
    });
    new TerraformOutput(this, 'archive_glue_table', {
      value: `${sync.database.name}.${sync.table.name}`,
    });
    new TerraformOutput(this, 'sync_state_machine_arn', { value: sync.stateMachine.arn });
    new TerraformOutput(this, 'archive_sync_schedule_state', {
      value: sync.schedule.state,
      description: 'ENABLED while scheduled_run is "archive-sync"',
    });
    return sync;
  }

  /** Every ARN a user or a pipeline reads after apply (the api's and the schedule's are added with them). */
  private addOutputs(options: ExtractionStackOptions, alarms: Alarms): void {
    const bucket = this.bucket.bucket;
    const secretArn = this.credentials.secret.arn;
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
    new TerraformOutput(this, 'state_machine_arn', { value: this.stateMachine.stateMachine.arn });
    new TerraformOutput(this, 'aws_region', { value: options.region });
    new TerraformOutput(this, 'state_machine_role_arn', { value: this.stateMachine.role.arn });
    new TerraformOutput(this, 'state_machine_log_group_arn', { value: this.stateMachine.logGroup.arn });
    for (const name of FUNCTION_NAMES) {
      const fn = this.functions[name] as NodejsFunction | undefined;
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
