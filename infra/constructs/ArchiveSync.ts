import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Construct } from 'constructs';
import type { PARQUET_FIELDS } from '../../src/archive/exportFormats';
import { TABLES } from '../../src/archive/exportFormats';
import { DATASET_NAMES, type DatasetName } from '../../src/core/dataset';
import { buildSyncStateMachine } from '../../statemachine/sync';
import type { SyncLambdaName } from '../../statemachine/sync';
import { ARCHIVE_PREFIX } from '../functions';
import {
  allow,
  assumeRolePolicy,
  policyDocument,
  stepFunctionsLogDelivery,
  toJson,
  xrayTraceDelivery,
} from '../iam';

export interface ArchiveSyncOptions {
  namePrefix: string;
  region: string;
  accountId: string;
  /** The AWS partition (`aws`, `aws-cn`…), for the ARN of the events rule `.sync` manages. */
  partition: string;
  bucket: S3Bucket;
  /** Unqualified ARNs of the sync-prepare and sync-commit functions. */
  functionArns: Record<SyncLambdaName, string>;
  /** The extraction state machine the sync runs nested, and the ARN pattern of its executions. */
  extractionArn: string;
  extractionExecutionsArn: string;
  everyHours: number;
  /** ENABLED or DISABLED (the scheduled_run variable, infra/StackVariables.ts). */
  scheduleState: string;
  /** ALL, ERROR or FATAL (the state_machine_log_level variable). */
  logLevel: string;
  logRetentionDays: number;
}

/** The rule Step Functions manages in the account to learn when a nested execution (`.sync`) ends. */
export const SYNC_EVENTS_RULE = 'StepFunctionsGetEventsForStepFunctionsExecutionRule';

/**
 * The archive on AWS: the sync state machine (statemachine/sync.ts: sync-prepare → the extraction machine as a
 * nested execution → sync-commit) with its role, an EventBridge Scheduler schedule starting it every N hours, and a
 * Glue table over the archive's order partitions, written as Parquet, so that an archive too large for one machine
 * is queried with Athena (`WHERE uid = '…'`, partitions projected from the key layout
 * `archive/<uid>/parquet/orders/<yyyy>/`).
 */
export class ArchiveSync extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly schedule: SchedulerSchedule;
  readonly database: GlueCatalogDatabase;
  /** The orders' table (the stack's output names it). */
  readonly table: GlueCatalogTable;
  /** One table per data set. */
  readonly tables: Record<DatasetName, GlueCatalogTable>;

  constructor(scope: Construct, id: string, options: ArchiveSyncOptions) {
    super(scope, id);
    const { bucket } = options;
    const name = `${options.namePrefix}-archive-sync`;
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/vendedlogs/states/${name}`,
      retentionInDays: options.logRetentionDays,
    });
    // What the docs give a machine that runs one nested workflow with .sync (stepfunctions-iam.html): start the
    // machine, describe and stop its executions, and manage the events rule through which Step Functions learns
    // that a nested execution ended.
    this.role = new IamRole(this, 'role', {
      name: `${name}-sfn-${options.region}`,
      description: 'Step Functions: runs an archive sync (its two functions, the extraction machine nested)',
      assumeRolePolicy: assumeRolePolicy('states.amazonaws.com', options.accountId),
    });
    const arns = Object.values(options.functionArns);
    const policy = new IamRolePolicy(this, 'policy', {
      name: 'least-privilege',
      role: this.role.id,
      policy: toJson(
        policyDocument([
          allow(
            'InvokeSyncFunctions',
            ['lambda:InvokeFunction'],
            arns.flatMap((arn) => [arn, `${arn}:*`]),
          ),
          allow('StartExtraction', ['states:StartExecution'], [options.extractionArn]),
          allow(
            'WatchExtraction',
            ['states:DescribeExecution', 'states:StopExecution'],
            [options.extractionExecutionsArn],
          ),
          allow(
            'NestedExecutionEvents',
            ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
            [
              `arn:${options.partition}:events:${options.region}:${options.accountId}:rule/${SYNC_EVENTS_RULE}`,
            ],
          ),
          stepFunctionsLogDelivery(),
          xrayTraceDelivery(),
        ]),
      ),
    });
    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name,
      type: 'STANDARD',
      roleArn: this.role.arn,
      definition: JSON.stringify(
        buildSyncStateMachine({ functionArns: options.functionArns, extractionArn: options.extractionArn }),
      ),
      loggingConfiguration: {
        level: options.logLevel,
        // Payloads hold the sync's report: execution history keeps them, the logs do not.
        includeExecutionData: false,
        logDestination: `${this.logGroup.arn}:*`,
      },
      tracingConfiguration: { enabled: true },
      dependsOn: [policy],
    });

    const scheduleRole = new IamRole(this, 'schedule-role', {
      name: `${options.namePrefix}-archive-sync-schedule-${options.region}`,
      description: 'EventBridge Scheduler: starts the archive sync state machine',
      assumeRolePolicy: assumeRolePolicy('scheduler.amazonaws.com', options.accountId),
    });
    new IamRolePolicy(this, 'schedule-policy', {
      name: 'least-privilege',
      role: scheduleRole.id,
      policy: toJson(
        policyDocument([allow('StartSync', ['states:StartExecution'], [this.stateMachine.arn])]),
      ),
    });
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name,
      description: `Syncs the archive every ${options.everyHours} hour(s) (scheduled_run = "archive-sync")`,
      scheduleExpression: `rate(${options.everyHours} ${options.everyHours === 1 ? 'hour' : 'hours'})`,
      state: options.scheduleState,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.stateMachine.arn,
        roleArn: scheduleRole.arn,
        // The sync's options: every market, kind and data set.
        input: '{}',
        // A sync that failed leaves the archive as it was: the next one completes it, so no retry storm.
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 3600 },
      },
    });

    this.database = new GlueCatalogDatabase(this, 'glue-database', {
      name: `${options.namePrefix.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_archive`,
      description: 'bitget-orders archive (one table per data set)',
    });
    const location = `s3://${bucket.bucket}/${ARCHIVE_PREFIX}`;
    // One table per data set, over the Parquet copy of its partitions (the orders' keeps its logical id).
    const tables = {} as Record<DatasetName, GlueCatalogTable>;
    for (const dataset of DATASET_NAMES)
      tables[dataset] = new GlueCatalogTable(this, `glue-${dataset}`, {
        databaseName: this.database.name,
        name: dataset,
        description: TABLE_DESCRIPTIONS[dataset],
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'parquet',
          'projection.enabled': 'true',
          'projection.uid.type': 'injected',
          'projection.year.type': 'integer',
          'projection.year.range': '2017,2100',
          // The sync writes every partition as Parquet under parquet/ (the NDJSON beside it stays the source of
          // truth for the CLI): the location holds Parquet objects only.
          'storage.location.template': `${location}\${uid}/parquet/${dataset}/\${year}/`,
        },
        partitionKeys: [
          { name: 'uid', type: 'string' },
          { name: 'year', type: 'int' },
        ],
        storageDescriptor: {
          location,
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serDeInfo: {
            serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
            parameters: { 'serialization.format': '1' },
          },
          // The columns of the archive's Parquet files, from the one schema that writes them.
          columns: Object.entries(TABLES[dataset].parquetFields).map(([name, field]) => ({
            name,
            type: GLUE_TYPES[(field as { type: ParquetType }).type],
          })),
        },
      });
    this.tables = tables;
    this.table = tables.orders;
  }
}

const TABLE_DESCRIPTIONS: Record<DatasetName, string> = {
  orders:
    'Archived orders (Parquet): one canonical record per market and orderId, latest version; raw is the exchange row as JSON',
  fills:
    'Archived fills (Parquet): one canonical record per market and tradeId; fees and raw as JSON, decimals as exact strings',
  ledger:
    'Archived ledger entries (Parquet): bills and tax records (source), one per source, account and billId; raw as JSON',
};

type ParquetType = (typeof PARQUET_FIELDS)[keyof typeof PARQUET_FIELDS]['type'];

/** Parquet physical/logical types of PARQUET_FIELDS as Athena column types. */
const GLUE_TYPES: Record<ParquetType, string> = {
  UTF8: 'string',
  BOOLEAN: 'boolean',
  INT64: 'bigint',
};
