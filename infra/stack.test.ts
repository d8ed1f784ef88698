import 'cdktf/lib/testing/adapters/jest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Testing } from 'cdktf';
import { DEFAULT_FUNCTION_SETTINGS, FUNCTION_NAMES, TASK_FUNCTION_NAMES } from './functions';
import { functionOutputName } from './ExtractionStack';
import { ENV } from './functionAccess';
import { HTTP_429_ALARM_THRESHOLD } from './constructs/Alarms';
import { DEFAULT_METRICS_NAMESPACE, LANE_ENDPOINTS, LANE_METRICS } from '../src/observability/metricNames';
import {
  blankVolatile,
  logicalId,
  PROJECT_ROOT,
  resourceNamed,
  resourcesOf,
  statementsOf,
  synthStack,
} from './synth.testkit';
import type { Synthesized } from './synth.testkit';

Testing.setupJest();

/** Everything on: API, schedule, archive, alarm e-mail. */
let full: Synthesized;
/** The defaults: no API, no schedule, no alarm topic. */
let minimal: Synthesized;

beforeAll(() => {
  full = synthStack({
    api: { enabled: true },
    schedule: { expression: 'rate(6 hours)', request: { markets: ['spot'] } },
    archive: { everyHours: 24 },
    alarms: { email: 'ops@example.com' },
  });
  minimal = synthStack();
});

describe('Stack: ExtractionStack', () => {
  it('configures the AWS provider for the chosen region with default tags', () => {
    expect(full.json).toHaveProviderWithProperties(AwsProvider, {
      region: 'ap-northeast-1',
      default_tags: [{ tags: { Project: 'bitget-orders', ManagedBy: 'cdktf', Stack: 'test' } }],
    });
  });

  it('keeps the state in a local backend outside cdktf.out by default, and asks for Terraform >= 1.10', () => {
    expect(full.tf.terraform.backend).toEqual({ local: { path: '../../../infra/state/test.tfstate' } });
    expect(full.tf.terraform.required_version).toBe('>= 1.10.0');
  });

  it('keeps the state in S3 with S3-native locking when the backend says so', () => {
    const s3 = synthStack(
      {
        backend: {
          kind: 's3',
          bucket: 'acme-tfstate',
          key: 'bitget-orders/prod.tfstate',
          region: 'eu-west-1',
        },
      },
      'prod',
    );
    expect(s3.tf.terraform.backend).toEqual({
      s3: {
        bucket: 'acme-tfstate',
        key: 'bitget-orders/prod.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  describe('the run bucket', () => {
    it('is named after the account and the region, so it cannot collide across accounts', () => {
      expect(full.json).toHaveDataSource(DataAwsCallerIdentity);
      const bucket = resourceNamed(full.tf, 'aws_s3_bucket', 'runs_bucket');
      expect(bucket.bucket).toMatch(
        /^bitget-orders-\$\{data\.aws_caller_identity\.account\.account_id\}-\$\{data\.aws_region\.region\.region\}$/,
      );
    });

    it('is private: every public access block is on and ACLs are disabled', () => {
      expect(full.json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(full.json).toHaveResourceWithProperties(S3BucketOwnershipControls, {
        rule: { object_ownership: 'BucketOwnerEnforced' },
      });
    });

    it('is encrypted at rest and versioned', () => {
      expect(full.json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
      });
      expect(full.json).toHaveResourceWithProperties(S3BucketVersioningA, {
        versioning_configuration: { status: 'Enabled' },
      });
    });

    it('refuses every request that does not use TLS', () => {
      const policy = JSON.parse(
        resourceNamed(full.tf, 'aws_s3_bucket_policy', 'runs_tls-only').policy as string,
      );
      const bucketId = logicalId(full.tf, 'aws_s3_bucket', 'runs_bucket');
      expect(policy.Statement).toEqual([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: ['s3:*'],
          Resource: [`\${aws_s3_bucket.${bucketId}.arn}`, `\${aws_s3_bucket.${bucketId}.arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
    });

    it('expires runs/, keeps results/ for results_retention_days, expires old versions and aborts stale uploads', () => {
      expect(full.tf.variable.runs_expiration_days).toMatchObject({ type: 'number', default: 7 });
      expect(full.tf.variable.results_retention_days).toMatchObject({ type: 'number', default: 3653 });
      expect(full.json).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
        rule: [
          {
            id: 'expire-runs',
            status: 'Enabled',
            filter: [{ prefix: 'runs/' }],
            expiration: [{ days: '${var.runs_expiration_days}' }],
          },
          {
            id: 'expire-results',
            status: '${var.results_retention_days == 0 ? "Disabled" : "Enabled"}',
            filter: [{ prefix: 'results/' }],
            expiration: [{ days: '${max(var.results_retention_days, 1)}' }],
          },
          {
            id: 'noncurrent-and-incomplete',
            status: 'Enabled',
            filter: [{}],
            noncurrent_version_expiration: [{ noncurrent_days: 30 }],
            abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
            expiration: [{ expired_object_delete_marker: true }],
          },
        ],
      });
    });

    it('keeps results forever by default when no retention is set (results_retention_days = 0)', () => {
      const kept = synthStack({ storage: { resultsRetentionDays: undefined } });
      expect(kept.tf.variable.results_retention_days!.default).toBe(0);
    });

    it('lets destroy delete a non-empty bucket only when force_destroy is set', () => {
      expect(resourceNamed(full.tf, 'aws_s3_bucket', 'runs_bucket').force_destroy).toBe(
        '${var.force_destroy}',
      );
      expect(full.tf.variable.force_destroy).toMatchObject({ type: 'bool', default: false });
    });
  });

  describe('the functions', () => {
    it.each(FUNCTION_NAMES)(
      '%s runs on nodejs22.x with the architecture, memory and reserved concurrency of the variables',
      (name) => {
        const settings = DEFAULT_FUNCTION_SETTINGS[name];
        const key = name.replace(/-/g, '_');
        expect(full.json).toHaveResourceWithProperties(LambdaFunction, {
          function_name: `bitget-orders-${name}`,
          runtime: 'nodejs22.x',
          architectures: ['${var.architecture}'],
          handler: 'index.handler',
          memory_size: `\${lookup(var.function_memory_mb, "${key}", ${settings.memoryMb})}`,
          timeout: settings.timeoutSeconds,
          reserved_concurrent_executions: `\${lookup(var.reserved_concurrency, "${key}", -1)}`,
        });
      },
    );

    it('gives the roles their documented sizes', () => {
      expect(DEFAULT_FUNCTION_SETTINGS).toMatchObject({
        'time-range-mapper': { memoryMb: 256, timeoutSeconds: 60 },
        'symbol-searcher': { memoryMb: 1024, timeoutSeconds: 900 },
        'symbol-unifier': { memoryMb: 512, timeoutSeconds: 300 },
        'symbol-processor': { memoryMb: 2048, timeoutSeconds: 900 },
        'result-collector': { memoryMb: 2048, timeoutSeconds: 900 },
      });
    });

    it('defaults the variables to the documented sizes, arm64 and no reservation', () => {
      expect(full.tf.variable.architecture).toMatchObject({ type: 'string', default: 'arm64' });
      expect(full.tf.variable.function_memory_mb!.default).toEqual(
        Object.fromEntries(
          FUNCTION_NAMES.map((n) => [n.replace(/-/g, '_'), DEFAULT_FUNCTION_SETTINGS[n].memoryMb]),
        ),
      );
      expect(full.tf.variable.reserved_concurrency!.default).toEqual({});
    });

    it('ships each function as its own zip asset with a content hash', () => {
      for (const fn of Object.values(resourcesOf(full.tf, 'aws_lambda_function'))) {
        expect(fn.filename).toMatch(/^assets\/[a-z-]+_code_[0-9A-F]+\/[0-9A-F]{32}\/archive\.zip$/);
        expect(fn.source_code_hash).toMatch(/^[0-9A-F]{32}$/);
      }
      const bundles = full.stack.bundleSizes();
      expect(Object.keys(bundles).sort()).toEqual([...FUNCTION_NAMES].sort());
      for (const bytes of Object.values(bundles)) expect(bytes).toBeGreaterThan(0);
    });

    it("bundles the web page's files with the api, in the web/ folder its page route reads beside the bundle", () => {
      const dir = full.stack.functions.api.bundleDir;
      for (const file of readdirSync(join(PROJECT_ROOT, 'src', 'api', 'web')))
        expect(readFileSync(join(dir, 'web', file), 'utf8')).toBe(
          readFileSync(join(PROJECT_ROOT, 'src', 'api', 'web', file), 'utf8'),
        );
      // The bundled route looks for `<__dirname>/web` (the bundle's own folder at run time).
      expect(readFileSync(join(dir, 'index.js'), 'utf8')).toMatch(/join\)?\(__dirname, "web"\)/);
      expect(existsSync(join(full.stack.functions.coordinator.bundleDir, 'web'))).toBe(false);
    });

    it('creates one log group per function with retention, and logs there', () => {
      for (const name of FUNCTION_NAMES) {
        expect(full.json).toHaveResourceWithProperties(CloudwatchLogGroup, {
          name: `/aws/lambda/bitget-orders-${name}`,
          retention_in_days: '${var.log_retention_days}',
        });
        const fn = resourceNamed(full.tf, 'aws_lambda_function', `${name}_function`);
        const logGroupId = logicalId(full.tf, 'aws_cloudwatch_log_group', `${name}_logs`);
        expect(fn.logging_config).toEqual({
          log_format: 'JSON',
          log_group: `\${aws_cloudwatch_log_group.${logGroupId}.name}`,
        });
      }
    });

    it('passes configuration, never secrets, in the environment', () => {
      const envOf = (name: string): Record<string, string> =>
        (
          resourceNamed(full.tf, 'aws_lambda_function', `${name}_function`).environment as {
            variables: Record<string, string>;
          }
        ).variables;
      const machine = `\${aws_sfn_state_machine.${logicalId(full.tf, 'aws_sfn_state_machine', 'extraction')}.arn}`;
      const secret = `\${aws_secretsmanager_secret.${logicalId(full.tf, 'aws_secretsmanager_secret', 'bitget-credentials')}.arn}`;
      for (const name of FUNCTION_NAMES) {
        const env = envOf(name);
        expect(env[ENV.nodeOptions]).toBe('--enable-source-maps');
        expect(env[ENV.baseUrl]).toBe('${var.bitget_base_url}');
        expect(env[ENV.serviceName]).toBe('bitget-orders');
        expect(env[ENV.metricsNamespace]).toBe(DEFAULT_METRICS_NAMESPACE);
        expect(Object.keys(env).some((k) => /KEY|PASSPHRASE|SECRET(?!_ARN)/.test(k))).toBe(false);
      }
      expect(envOf('coordinator')[ENV.stateMachineArn]).toBe(machine);
      expect(envOf('api')[ENV.stateMachineArn]).toBe(machine);
      expect(envOf('symbol-processor')[ENV.secretArn]).toBe(secret);
      expect(envOf('symbol-unifier')[ENV.secretArn]).toBeUndefined();
      expect(envOf('result-collector')[ENV.bucket]).toMatch(
        /^\$\{aws_s3_bucket\.runs_bucket_[0-9A-F]+\.bucket\}$/,
      );
    });

    it('creates the api function only when the API is enabled', () => {
      const names = Object.values(resourcesOf(minimal.tf, 'aws_lambda_function')).map((f) => f.function_name);
      expect(names).not.toContain('bitget-orders-api');
      expect(names).toHaveLength(6);
      expect(minimal.json).not.toHaveResource(LambdaFunctionUrl);
    });
  });

  describe('the API', () => {
    it('is a function URL that requires IAM (SigV4) authentication', () => {
      expect(full.json).toHaveResourceWithProperties(LambdaFunctionUrl, {
        authorization_type: 'AWS_IAM',
        function_name: `\${aws_lambda_function.${logicalId(full.tf, 'aws_lambda_function', 'api_function')}.function_name}`,
      });
      for (const url of Object.values(resourcesOf(full.tf, 'aws_lambda_function_url'))) {
        expect(url.authorization_type).not.toBe('NONE');
      }
      expect(full.tf.output.api_url).toBeDefined();
    });

    it('joins the VPC of api_subnet_ids and api_security_group_ids when they are set: the api and the run-importer, which reach the database', () => {
      const api = resourceNamed(full.tf, 'aws_lambda_function', 'api_function');
      expect(api.dynamic).toEqual({
        vpc_config: {
          for_each: '${length(var.api_subnet_ids) > 0 ? [1] : []}',
          content: {
            subnet_ids: '${var.api_subnet_ids}',
            security_group_ids: '${var.api_security_group_ids}',
          },
        },
      });
      expect(api.lifecycle).toEqual({
        precondition: [
          {
            condition: '${(length(var.api_subnet_ids) > 0) == (length(var.api_security_group_ids) > 0)}',
            error_message: 'api_subnet_ids and api_security_group_ids go together: set both, or neither.',
          },
        ],
      });
      const attachment = resourceNamed(full.tf, 'aws_iam_role_policy_attachment', 'api_vpc-access');
      expect(attachment).toMatchObject({
        count: '${length(var.api_subnet_ids) > 0 ? 1 : 0}',
        policy_arn:
          'arn:${data.aws_partition.partition.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
        role: `\${aws_iam_role.${logicalId(full.tf, 'aws_iam_role', 'api_role')}.name}`,
      });
      expect(api.depends_on).toContain(
        `aws_iam_role_policy_attachment.${logicalId(full.tf, 'aws_iam_role_policy_attachment', 'api_vpc-access')}`,
      );
      expect(full.tf.variable.api_subnet_ids).toMatchObject({ type: 'list(string)', default: [] });
      for (const name of TASK_FUNCTION_NAMES) {
        expect(resourceNamed(full.tf, 'aws_lambda_function', `${name}_function`).dynamic).toBeUndefined();
      }
      const importer = resourceNamed(full.tf, 'aws_lambda_function', 'run-importer_function');
      expect(importer.dynamic).toEqual(api.dynamic);
      expect(importer.lifecycle).toEqual(api.lifecycle);
      expect(importer.depends_on).toContain(
        `aws_iam_role_policy_attachment.${logicalId(full.tf, 'aws_iam_role_policy_attachment', 'run-importer_vpc-access')}`,
      );
      expect(Object.keys(resourcesOf(full.tf, 'aws_iam_role_policy_attachment'))).toHaveLength(2);
    });
  });

  describe('the run-importer', () => {
    const ref = (type: string, prefix: string, attribute: string): string =>
      `\${${type}.${logicalId(full.tf, type, prefix)}.${attribute}}`;

    it('is created with the api only (it needs the database), and its rule with it', () => {
      const names = Object.values(resourcesOf(minimal.tf, 'aws_lambda_function')).map((f) => f.function_name);
      expect(names).not.toContain('bitget-orders-run-importer');
      expect(minimal.json).not.toHaveResource(CloudwatchEventRule);
      expect(minimal.json).not.toHaveResource(CloudwatchEventTarget);
      expect(minimal.json).not.toHaveResource(LambdaPermission);
      expect(Object.keys(resourcesOf(full.tf, 'aws_cloudwatch_event_rule'))).toHaveLength(1);
    });

    it("is invoked by a rule on the machine's status changes to SUCCEEDED, FAILED, TIMED_OUT and ABORTED", () => {
      const rule = resourceNamed(full.tf, 'aws_cloudwatch_event_rule', 'run-import_rule');
      expect(rule.name).toBe('bitget-orders-run-import');
      expect(JSON.parse(rule.event_pattern as string)).toEqual({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [ref('aws_sfn_state_machine', 'extraction', 'arn')],
          status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
        },
      });
      expect(resourceNamed(full.tf, 'aws_cloudwatch_event_target', 'run-import_target')).toEqual({
        rule: ref('aws_cloudwatch_event_rule', 'run-import_rule', 'name'),
        target_id: 'run-importer',
        arn: ref('aws_lambda_function', 'run-importer_function', 'arn'),
      });
    });

    it('lets EventBridge invoke it from that rule only', () => {
      expect(resourceNamed(full.tf, 'aws_lambda_permission', 'run-import_permission')).toEqual({
        statement_id: 'AllowRunImportRule',
        action: 'lambda:InvokeFunction',
        function_name: ref('aws_lambda_function', 'run-importer_function', 'function_name'),
        principal: 'events.amazonaws.com',
        source_arn: ref('aws_cloudwatch_event_rule', 'run-import_rule', 'arn'),
      });
      expect(Object.keys(resourcesOf(full.tf, 'aws_lambda_permission'))).toHaveLength(1);
    });

    it('may read the results, the database URL and the executions of the machine, nothing else', () => {
      const bucket = ref('aws_s3_bucket', 'runs_bucket', 'arn');
      expect(statementsOf(full.tf, 'run-importer_policy')).toEqual([
        {
          Sid: 'WriteOwnLogGroup',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [`${ref('aws_cloudwatch_log_group', 'run-importer_logs', 'arn')}:*`],
        },
        {
          Sid: 'RunBucket0Objects',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: [`${bucket}/results/*`],
        },
        {
          Sid: 'RunBucket0List',
          Effect: 'Allow',
          Action: ['s3:ListBucket'],
          Resource: [bucket],
          Condition: { StringLike: { 's3:prefix': ['results/*'] } },
        },
        {
          Sid: 'ReadDatabaseUrl',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue'],
          Resource: [ref('aws_secretsmanager_secret', 'database-url', 'arn')],
        },
        {
          Sid: 'DescribeExtractions',
          Effect: 'Allow',
          Action: ['states:DescribeExecution'],
          Resource: [
            `arn:\${data.aws_partition.partition.partition}:states:\${data.aws_region.region.region}:\${data.aws_caller_identity.account.account_id}:execution:${ref('aws_sfn_state_machine', 'extraction', 'name')}:*`,
          ],
        },
      ]);
    });

    it('is told the bucket, the database secret and the machine, never a secret value', () => {
      const fn = resourceNamed(full.tf, 'aws_lambda_function', 'run-importer_function');
      expect((fn.environment as { variables: Record<string, string> }).variables).toEqual({
        NODE_OPTIONS: '--enable-source-maps',
        BITGET_BASE_URL: '${var.bitget_base_url}',
        POWERTOOLS_SERVICE_NAME: 'bitget-orders',
        POWERTOOLS_METRICS_NAMESPACE: DEFAULT_METRICS_NAMESPACE,
        [ENV.bucket]: ref('aws_s3_bucket', 'runs_bucket', 'bucket'),
        [ENV.databaseSecretArn]: ref('aws_secretsmanager_secret', 'database-url', 'arn'),
        [ENV.stateMachineArn]: ref('aws_sfn_state_machine', 'extraction', 'arn'),
      });
    });
  });

  describe('the state machine', () => {
    it('is STANDARD, traced, and logs errors to CloudWatch without execution data', () => {
      const logGroupId = logicalId(full.tf, 'aws_cloudwatch_log_group', 'extraction_logs');
      expect(full.json).toHaveResourceWithProperties(SfnStateMachine, {
        name: 'bitget-orders-extraction',
        type: 'STANDARD',
        tracing_configuration: { enabled: true },
        logging_configuration: {
          level: '${var.state_machine_log_level}',
          include_execution_data: false,
          log_destination: `\${aws_cloudwatch_log_group.${logGroupId}.arn}:*`,
        },
      });
      expect(full.json).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: '/aws/vendedlogs/states/bitget-orders-extraction',
        retention_in_days: '${var.log_retention_days}',
      });
    });
  });

  describe('the Bitget credentials', () => {
    it('are a secret Terraform creates empty, its value put outside Terraform (secrets.test.ts)', () => {
      expect(full.json).toHaveResourceWithProperties(SecretsmanagerSecret, {
        name_prefix: 'bitget-orders/bitget-api-',
        recovery_window_in_days: '${var.secret_recovery_window_days}',
      });
      expect(full.json).not.toHaveResource(SecretsmanagerSecretVersion);
    });
  });

  describe('the schedule', () => {
    it('starts the state machine on schedule_expression with a fresh run id and a normalised request', () => {
      const machineId = logicalId(full.tf, 'aws_sfn_state_machine', 'extraction');
      expect(full.json).toHaveResourceWithProperties(SchedulerSchedule, {
        schedule_expression: '${var.schedule_expression != "" ? var.schedule_expression : "rate(1 day)"}',
        // With the archive in the stack, only while scheduled_run says "extraction" (infra/archive.test.ts).
        state:
          '${var.schedule_expression != "" && !(var.scheduled_run == "archive-sync") ? "ENABLED" : "DISABLED"}',
        flexible_time_window: { mode: 'OFF' },
      });
      expect(full.tf.variable.schedule_expression!.default).toBe('rate(6 hours)');
      const schedule = resourceNamed(full.tf, 'aws_scheduler_schedule', 'schedule');
      expect(schedule.target).toMatchObject({
        arn: `\${aws_sfn_state_machine.${machineId}.arn}`,
        role_arn: `\${aws_iam_role.${logicalId(full.tf, 'aws_iam_role', 'schedule_role')}.arn}`,
      });
      const input = JSON.parse((schedule.target as { input: string }).input);
      expect(input).toEqual({
        runId: '<aws.scheduler.execution-id>',
        request: {
          markets: ['spot'],
          kinds: ['normal', 'tpsl', 'plan'],
          datasets: ['orders', 'fills', 'ledger'],
          order: 'asc',
        },
      });
    });

    it('is disabled until schedule_expression is set', () => {
      expect(minimal.tf.variable.schedule_expression!.default).toBe('');
      expect(minimal.json).toHaveResource(SchedulerSchedule);
    });
  });

  describe('the alarms', () => {
    it('watch failed executions and every function, notifying the topic', () => {
      const topic = `\${aws_sns_topic.${logicalId(full.tf, 'aws_sns_topic', 'alarms')}.arn}`;
      expect(full.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        namespace: 'AWS/States',
        metric_name: 'ExecutionsFailed',
        dimensions: {
          StateMachineArn: `\${aws_sfn_state_machine.${logicalId(full.tf, 'aws_sfn_state_machine', 'extraction')}.arn}`,
        },
        alarm_actions: [topic],
      });
      for (const name of FUNCTION_NAMES) {
        expect(full.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
          namespace: 'AWS/Lambda',
          metric_name: 'Errors',
          dimensions: { FunctionName: `bitget-orders-${name}` },
          alarm_actions: [topic],
        });
      }
      expect(full.json).toHaveResourceWithProperties(SnsTopicSubscription, {
        count: '${var.alarm_email != "" ? 1 : 0}',
        protocol: 'email',
        endpoint: '${var.alarm_email}',
      });
      expect(full.tf.variable.alarm_email!.default).toBe('ops@example.com');
    });

    it('watch the functions’ own metrics (429s, lane failures, open circuits) summed over every endpoint', () => {
      const topic = `\${aws_sns_topic.${logicalId(full.tf, 'aws_sns_topic', 'alarms')}.arn}`;
      const alarms = Object.values(resourcesOf(full.tf, 'aws_cloudwatch_metric_alarm'));
      const expected = {
        'bitget-orders-bitget-429s': [LANE_METRICS.http429, HTTP_429_ALARM_THRESHOLD],
        'bitget-orders-lane-failures': [LANE_METRICS.laneFailures, 1],
        'bitget-orders-circuits-opened': [LANE_METRICS.circuitsOpened, 1],
      } as const;
      for (const [alarmName, [metric, threshold]] of Object.entries(expected)) {
        const alarm = alarms.find((a) => a.alarm_name === alarmName) as
          | {
              threshold: number;
              alarm_actions: string[];
              metric_query: {
                id: string;
                expression?: string;
                return_data?: boolean;
                metric?: {
                  namespace: string;
                  metric_name: string;
                  dimensions: Record<string, string>;
                  stat: string;
                };
              }[];
            }
          | undefined;
        expect(alarm).toBeDefined();
        expect(alarm!.threshold).toBe(threshold);
        expect(alarm!.alarm_actions).toEqual([topic]);
        const queries = alarm!.metric_query.filter((q) => q.metric);
        expect(queries.map((q) => q.metric!.dimensions.endpoint).sort()).toEqual([...LANE_ENDPOINTS].sort());
        for (const q of queries) {
          expect(q.metric).toMatchObject({
            namespace: DEFAULT_METRICS_NAMESPACE,
            metric_name: metric,
            stat: 'Sum',
          });
          expect(q.metric!.dimensions.service).toBe('bitget-orders');
        }
        expect(alarm!.metric_query.find((q) => q.expression)).toMatchObject({
          expression: 'SUM(METRICS())',
          return_data: true,
        });
      }
    });

    it('notify a topic that nobody is subscribed to until alarm_email is set', () => {
      expect(minimal.json).toHaveResource(CloudwatchMetricAlarm);
      expect(minimal.json).toHaveResource(SnsTopic);
      expect(minimal.tf.variable.alarm_email!.default).toBe('');
    });
  });

  it('outputs every ARN, the bucket name, the function URL and the commands that fill the secrets', () => {
    const outputs = Object.keys(full.tf.output);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'bucket_name',
        'bucket_arn',
        'bitget_secret_arn',
        'put_bitget_secret_command',
        'database_secret_arn',
        'put_database_url_command',
        'aws_region',
        'state_machine_arn',
        'state_machine_role_arn',
        'api_url',
        'schedule_arn',
        'schedule_state',
        'alarm_topic_arn',
        ...FUNCTION_NAMES.flatMap((n) => [
          functionOutputName(n, 'function_arn'),
          functionOutputName(n, 'role_arn'),
        ]),
      ]),
    );
    expect(TASK_FUNCTION_NAMES).toHaveLength(5);
  });

  it('synthesizes valid Terraform JSON (snapshot, asset hashes blanked)', () => {
    expect(blankVolatile(full.json)).toMatchSnapshot();
  });
});
