import * as path from 'node:path';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { Construct } from 'constructs';
import type { BundlingOptions } from '../bundle';
import { PARQUET_FIELDS } from '../../src/archive/exportFormats';
import { describeExtractions, ENV, readBitgetCredentials, startExtraction } from '../functionAccess';
import type { FunctionSettings } from '../functions';
import { ARCHIVE_PREFIX, RESULTS_PREFIX } from '../functions';
import { allow, assumeRolePolicy, policyDocument, s3PrefixAccess, toJson } from '../iam';
import { NodejsFunction } from './NodejsFunction';

export const ARCHIVE_SYNC_SETTINGS: FunctionSettings = { memoryMb: 1024, timeoutSeconds: 900 };

export interface ArchiveSyncOptions {
  namePrefix: string;
  region: string;
  accountId: string;
  projectRoot: string;
  bucket: S3Bucket;
  bitgetSecretArn: string;
  bitgetBaseUrl: string;
  stateMachineArn: string;
  /** ARN pattern of the machine's executions (DescribeExecution). */
  executionsArn: string;
  everyHours: number;
  /** The stack's variables as Terraform expressions (infra/StackVariables.ts). */
  architecture: string;
  logRetentionDays: number;
  reservedConcurrency: number;
  bundling: BundlingOptions;
  settings?: FunctionSettings;
}

/**
 * The archive on AWS: the `archive-sync` Lambda (one sync through the deployed state machine, src/runtime/
 * archiveSyncFunction.ts), an EventBridge Scheduler schedule invoking it every N hours, and a Glue table over the
 * archive's order partitions, written as Parquet, so that an archive too large for one machine is queried with
 * Athena (`WHERE uid = '…'`, partitions projected from the key layout `archive/<uid>/parquet/orders/<yyyy>/`).
 */
export class ArchiveSync extends Construct {
  readonly fn: NodejsFunction;
  readonly schedule: SchedulerSchedule;
  readonly database: GlueCatalogDatabase;
  readonly table: GlueCatalogTable;

  constructor(scope: Construct, id: string, options: ArchiveSyncOptions) {
    super(scope, id);
    const { bucket } = options;
    this.fn = new NodejsFunction(this, 'archive-sync', {
      functionName: `${options.namePrefix}-archive-sync`,
      region: options.region,
      description: 'bitget-orders archive-sync: merges what Bitget serves into the account archive',
      entry: path.join(options.projectRoot, 'functions', 'archive-sync', 'index.ts'),
      projectRoot: options.projectRoot,
      memoryMb: (options.settings ?? ARCHIVE_SYNC_SETTINGS).memoryMb,
      timeoutSeconds: (options.settings ?? ARCHIVE_SYNC_SETTINGS).timeoutSeconds,
      reservedConcurrency: options.reservedConcurrency,
      architecture: options.architecture,
      environment: {
        [ENV.nodeOptions]: '--enable-source-maps',
        [ENV.baseUrl]: options.bitgetBaseUrl,
        [ENV.bucket]: bucket.bucket,
        [ENV.secretArn]: options.bitgetSecretArn,
        [ENV.stateMachineArn]: options.stateMachineArn,
      },
      logRetentionDays: options.logRetentionDays,
      bundling: options.bundling,
      statements: [
        ...s3PrefixAccess('Archive', bucket.arn, [ARCHIVE_PREFIX], ['read', 'write', 'delete']),
        ...s3PrefixAccess('RunResults', bucket.arn, [RESULTS_PREFIX], ['read']),
        readBitgetCredentials(options.bitgetSecretArn),
        startExtraction(options.stateMachineArn),
        describeExtractions(options.executionsArn),
      ],
    });

    const role = new IamRole(this, 'schedule-role', {
      name: `${options.namePrefix}-archive-sync-schedule-${options.region}`,
      description: 'EventBridge Scheduler: invokes the archive-sync function',
      assumeRolePolicy: assumeRolePolicy('scheduler.amazonaws.com', options.accountId),
    });
    new IamRolePolicy(this, 'schedule-policy', {
      name: 'least-privilege',
      role: role.id,
      policy: toJson(
        policyDocument([allow('InvokeSync', ['lambda:InvokeFunction'], [this.fn.function.arn])]),
      ),
    });
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name: `${options.namePrefix}-archive-sync`,
      description: `Syncs the archive every ${options.everyHours} hour(s)`,
      scheduleExpression: `rate(${options.everyHours} ${options.everyHours === 1 ? 'hour' : 'hours'})`,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.fn.function.arn,
        roleArn: role.arn,
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
    this.table = new GlueCatalogTable(this, 'glue-orders', {
      databaseName: this.database.name,
      name: 'orders',
      description:
        'Archived orders (Parquet): one canonical record per market and orderId, latest version; raw is the exchange row as JSON',
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        classification: 'parquet',
        'projection.enabled': 'true',
        'projection.uid.type': 'injected',
        'projection.year.type': 'integer',
        'projection.year.range': '2017,2100',
        // The sync writes every partition as Parquet under parquet/ (the NDJSON beside it stays the source of
        // truth for the CLI): the location holds Parquet objects only.
        'storage.location.template': `${location}\${uid}/parquet/orders/\${year}/`,
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
        columns: Object.entries(PARQUET_FIELDS).map(([name, field]) => ({
          name,
          type: GLUE_TYPES[field.type],
        })),
      },
    });
  }
}

/** Parquet physical/logical types of PARQUET_FIELDS as Athena column types. */
const GLUE_TYPES: Record<(typeof PARQUET_FIELDS)[keyof typeof PARQUET_FIELDS]['type'], string> = {
  UTF8: 'string',
  BOOLEAN: 'boolean',
  INT64: 'bigint',
};
