import 'cdktf/lib/testing/adapters/jest';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
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
import { ENV, functionOutputName } from './ExtractionStack';
import { blankVolatile, logicalId, resourceNamed, resourcesOf, synthStack } from './synth.testkit';
import type { Synthesized } from './synth.testkit';

Testing.setupJest();

/** Everything on: API, schedule, alarm e-mail. */
let full: Synthesized;
/** The defaults: no API, no schedule, no alarm topic. */
let minimal: Synthesized;

beforeAll(() => {
  full = synthStack({
    api: { enabled: true },
    schedule: { everyHours: 6, request: { markets: ['spot'] } },
    alarms: { topic: true, email: 'ops@example.com' },
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

  it('keeps the state in a local backend outside cdktf.out by default', () => {
    expect(full.tf.terraform.backend).toEqual({ local: { path: '../../../infra/state/test.tfstate' } });
  });

  describe('the run bucket', () => {
    it('is named after the account and the region, so it cannot collide across accounts', () => {
      expect(full.json).toHaveDataSource(DataAwsCallerIdentity);
      const bucket = resourceNamed(full.tf, 'aws_s3_bucket', 'runs_bucket');
      expect(bucket.bucket).toMatch(
        /^bitget-orders-\$\{data\.aws_caller_identity\.account\.account_id\}-\$\{data\.aws_region\.region\.region\}$/,
      );
      expect(bucket.force_destroy).toBe(false);
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

    it('expires runs/, keeps results/ for the configured days, expires old versions and aborts stale uploads', () => {
      expect(full.json).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
        rule: [
          { id: 'expire-runs', status: 'Enabled', filter: [{ prefix: 'runs/' }], expiration: [{ days: 7 }] },
          {
            id: 'expire-results',
            status: 'Enabled',
            filter: [{ prefix: 'results/' }],
            expiration: [{ days: 3653 }],
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

    it('keeps results forever when no retention is set', () => {
      const kept = synthStack({ storage: { resultsRetentionDays: undefined } });
      const rules = resourceNamed(kept.tf, 'aws_s3_bucket_lifecycle_configuration', 'runs_lifecycle')
        .rule as {
        id: string;
      }[];
      expect(rules.map((r) => r.id)).toEqual(['expire-runs', 'noncurrent-and-incomplete']);
    });
  });

  describe('the functions', () => {
    it.each(FUNCTION_NAMES)('%s runs on nodejs22.x arm64 with its memory and timeout', (name) => {
      const settings = DEFAULT_FUNCTION_SETTINGS[name];
      expect(full.json).toHaveResourceWithProperties(LambdaFunction, {
        function_name: `bitget-orders-${name}`,
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        handler: 'index.handler',
        memory_size: settings.memoryMb,
        timeout: settings.timeoutSeconds,
      });
    });

    it('gives the roles their documented sizes', () => {
      expect(DEFAULT_FUNCTION_SETTINGS).toMatchObject({
        'time-range-mapper': { memoryMb: 256, timeoutSeconds: 60 },
        'symbol-searcher': { memoryMb: 1024, timeoutSeconds: 900 },
        'symbol-unifier': { memoryMb: 512, timeoutSeconds: 300 },
        'symbol-processor': { memoryMb: 2048, timeoutSeconds: 900 },
        'result-collector': { memoryMb: 2048, timeoutSeconds: 900 },
      });
    });

    it('takes sizes, reserved concurrency and architecture from the options', () => {
      const tuned = synthStack({
        architecture: 'x86_64',
        functions: { 'symbol-processor': { memoryMb: 3008, reservedConcurrency: 20 } },
      });
      expect(tuned.json).toHaveResourceWithProperties(LambdaFunction, {
        function_name: 'bitget-orders-symbol-processor',
        architectures: ['x86_64'],
        memory_size: 3008,
        timeout: 900,
        reserved_concurrent_executions: 20,
      });
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

    it('creates one log group per function with retention, and logs there', () => {
      for (const name of FUNCTION_NAMES) {
        expect(full.json).toHaveResourceWithProperties(CloudwatchLogGroup, {
          name: `/aws/lambda/bitget-orders-${name}`,
          retention_in_days: 30,
        });
        const fn = resourceNamed(full.tf, 'aws_lambda_function', `${name}_function`);
        const logGroupId = logicalId(full.tf, 'aws_cloudwatch_log_group', `${name}_logs`);
        expect(fn.logging_config).toEqual({
          log_format: 'Text',
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
        expect(env[ENV.baseUrl]).toBe('https://api.bitget.com');
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
  });

  describe('the state machine', () => {
    it('is STANDARD, traced, and logs errors to CloudWatch without execution data', () => {
      const logGroupId = logicalId(full.tf, 'aws_cloudwatch_log_group', 'extraction_logs');
      expect(full.json).toHaveResourceWithProperties(SfnStateMachine, {
        name: 'bitget-orders-extraction',
        type: 'STANDARD',
        tracing_configuration: { enabled: true },
        logging_configuration: {
          level: 'ERROR',
          include_execution_data: false,
          log_destination: `\${aws_cloudwatch_log_group.${logGroupId}.arn}:*`,
        },
      });
      expect(full.json).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: '/aws/vendedlogs/states/bitget-orders-extraction',
        retention_in_days: 30,
      });
    });
  });

  describe('the Bitget credentials', () => {
    it('come from sensitive variables without defaults (and so does the API database URL)', () => {
      expect(minimal.tf.variable.database_url).toBeUndefined();
      for (const name of ['bitget_api_key', 'bitget_secret_key', 'bitget_passphrase', 'database_url']) {
        expect(full.tf.variable[name]).toMatchObject({ type: 'string', sensitive: true, nullable: false });
        expect(full.tf.variable[name]).not.toHaveProperty('default');
      }
    });

    it('are stored as one JSON secret built from those variables', () => {
      expect(full.json).toHaveResource(SecretsmanagerSecret);
      expect(full.json).toHaveResourceWithProperties(SecretsmanagerSecretVersion, {
        secret_string:
          '${jsonencode({"apiKey" = var.bitget_api_key, "secretKey" = var.bitget_secret_key, "passphrase" = var.bitget_passphrase})}',
      });
    });
  });

  describe('the schedule', () => {
    it('starts the state machine every N hours with a fresh run id and a normalised request', () => {
      const machineId = logicalId(full.tf, 'aws_sfn_state_machine', 'extraction');
      expect(full.json).toHaveResourceWithProperties(SchedulerSchedule, {
        schedule_expression: 'rate(6 hours)',
        flexible_time_window: { mode: 'OFF' },
      });
      const schedule = resourceNamed(full.tf, 'aws_scheduler_schedule', 'schedule');
      expect(schedule.target).toMatchObject({
        arn: `\${aws_sfn_state_machine.${machineId}.arn}`,
        role_arn: `\${aws_iam_role.${logicalId(full.tf, 'aws_iam_role', 'schedule_role')}.arn}`,
      });
      const input = JSON.parse((schedule.target as { input: string }).input);
      expect(input).toEqual({
        runId: '<aws.scheduler.execution-id>',
        request: { markets: ['spot'], kinds: ['normal', 'tpsl', 'plan'], order: 'asc' },
      });
    });

    it('is absent unless asked for', () => {
      expect(minimal.json).not.toHaveResource(SchedulerSchedule);
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
        protocol: 'email',
        endpoint: 'ops@example.com',
      });
    });

    it('exist without a topic by default', () => {
      expect(minimal.json).toHaveResource(CloudwatchMetricAlarm);
      expect(minimal.json).not.toHaveResource(SnsTopic);
    });
  });

  it('outputs every ARN, the bucket name and the function URL', () => {
    const outputs = Object.keys(full.tf.output);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'bucket_name',
        'bucket_arn',
        'bitget_secret_arn',
        'state_machine_arn',
        'state_machine_role_arn',
        'api_url',
        'schedule_arn',
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
