import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { InvalidBackendError, applyBackend, defaultLocalStatePath, selectBackend } from './backend';
import { InvalidStackOptionsError, resolveStackOptions, stackOptionsFromEnv } from './config';
import { findProjectRoot } from './main';
import { PROJECT_ROOT } from './synth.testkit';

describe('Backend selection', () => {
  it('is the local backend, state outside cdktf.out, without Terraform Cloud variables', () => {
    expect(selectBackend({}, defaultLocalStatePath('bitget-orders'))).toEqual({
      kind: 'local',
      path: '../../../infra/state/bitget-orders.tfstate',
    });
  });

  it('needs both TF_CLOUD_ORGANIZATION and TF_WORKSPACE for Terraform Cloud', () => {
    expect(selectBackend({ TF_CLOUD_ORGANIZATION: 'acme' }, 'x.tfstate').kind).toBe('local');
    expect(selectBackend({ TF_WORKSPACE: 'prod' }, 'x.tfstate').kind).toBe('local');
    expect(selectBackend({ TF_CLOUD_ORGANIZATION: 'acme', TF_WORKSPACE: 'prod' }, 'x.tfstate')).toEqual({
      kind: 'cloud',
      organization: 'acme',
      workspace: 'prod',
    });
    expect(
      selectBackend(
        { TF_CLOUD_ORGANIZATION: 'acme', TF_WORKSPACE: 'prod', TF_CLOUD_HOSTNAME: 'tfe.acme.io' },
        'x',
      ),
    ).toMatchObject({ hostname: 'tfe.acme.io' });
  });

  it('is S3 when INFRA_STATE_BUCKET is set, keyed by stack, in the stack’s region unless told otherwise', () => {
    expect(
      selectBackend({ INFRA_STATE_BUCKET: 'acme-tfstate' }, 'x', {
        stackName: 'orders',
        region: 'eu-west-1',
      }),
    ).toEqual({
      kind: 's3',
      bucket: 'acme-tfstate',
      key: 'bitget-orders/orders.tfstate',
      region: 'eu-west-1',
    });
    expect(
      selectBackend(
        { INFRA_STATE_BUCKET: 'b', INFRA_STATE_KEY: 'k/state', INFRA_STATE_REGION: 'us-east-2' },
        'x',
        { region: 'eu-west-1' },
      ),
    ).toEqual({ kind: 's3', bucket: 'b', key: 'k/state', region: 'us-east-2' });
  });

  it('follows INFRA_BACKEND over the variables it would otherwise infer from, and names what is missing', () => {
    const cloudVars = { TF_CLOUD_ORGANIZATION: 'acme', TF_WORKSPACE: 'prod' };
    expect(selectBackend({ ...cloudVars, INFRA_BACKEND: 'local' }, 'x.tfstate')).toEqual({
      kind: 'local',
      path: 'x.tfstate',
    });
    expect(() => selectBackend({ INFRA_BACKEND: 's3' }, 'x')).toThrow(
      new InvalidBackendError('the s3 backend needs INFRA_STATE_BUCKET (an existing bucket)'),
    );
    expect(() => selectBackend({ INFRA_BACKEND: 'cloud', TF_WORKSPACE: 'prod' }, 'x')).toThrow(
      'the cloud backend needs TF_CLOUD_ORGANIZATION and TF_WORKSPACE',
    );
    expect(() => selectBackend({ INFRA_BACKEND: 'consul' }, 'x')).toThrow(
      'INFRA_BACKEND "consul" is not one of local, cloud, s3',
    );
  });

  it('writes an s3 backend block with encryption and S3-native locking (use_lockfile)', () => {
    const stack = new TerraformStack(Testing.app(), 's3');
    applyBackend(stack, {
      kind: 's3',
      bucket: 'acme-tfstate',
      key: 'bitget-orders/s3.tfstate',
      region: 'eu-west-1',
    });
    const tf = JSON.parse(Testing.synth(stack));
    expect(tf.terraform.backend).toEqual({
      s3: {
        bucket: 'acme-tfstate',
        key: 'bitget-orders/s3.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it('writes a cloud block with the named workspace (validation, which runs terraform, is not invoked)', () => {
    const stack = new TerraformStack(Testing.app(), 'cloud');
    applyBackend(stack, { kind: 'cloud', organization: 'acme', workspace: 'bitget-orders-prod' });
    const tf = JSON.parse(Testing.synth(stack));
    expect(tf.terraform.cloud).toEqual({ organization: 'acme', workspaces: { name: 'bitget-orders-prod' } });
  });
});

describe('Stack options', () => {
  it('default to the documented sizes, arm64, no API, no schedule, Maps bounded to 10', () => {
    const options = resolveStackOptions({ projectRoot: PROJECT_ROOT });
    expect(options).toMatchObject({
      architecture: 'arm64',
      api: { enabled: false },
      logRetentionDays: 30,
      functions: { 'symbol-processor': { memoryMb: 2048, timeoutSeconds: 900 } },
    });
    expect(options.schedule).toEqual({ expression: '', request: {} });
    expect(options.stateMachine).toEqual({ logLevel: 'ERROR', laneConcurrency: 10, windowConcurrency: 10 });
  });

  it('read what shapes the stack from the environment', () => {
    const { stackName, options } = stackOptionsFromEnv(
      {
        INFRA_STACK: 'orders-dev',
        AWS_REGION: 'eu-central-1',
        INFRA_ENABLE_API: 'true',
        INFRA_SCHEDULE_REQUEST: '{"markets":["spot"]}',
        // The CLI's own variable: the stack's exchange address is the bitget_base_url variable instead.
        BITGET_BASE_URL: 'http://127.0.0.1:8080',
        TF_CLOUD_ORGANIZATION: 'acme',
        TF_WORKSPACE: 'orders-dev',
      },
      PROJECT_ROOT,
    );
    expect(stackName).toBe('orders-dev');
    expect(options).toMatchObject({
      region: 'eu-central-1',
      api: { enabled: true, vpc: { subnetIds: [], securityGroupIds: [] } },
      schedule: { expression: '', request: { markets: ['spot'] } },
      bitgetBaseUrl: 'https://api.bitget.com',
      backend: { kind: 'cloud', organization: 'acme', workspace: 'orders-dev' },
    });
  });

  it('refuse the build-time variables that became Terraform variables, naming each successor', () => {
    expect(() =>
      stackOptionsFromEnv({ INFRA_SCHEDULE_HOURS: '12', INFRA_LANE_CONCURRENCY: '4' }, PROJECT_ROOT),
    ).toThrow(
      new InvalidStackOptionsError(
        'these settings are Terraform variables now: INFRA_SCHEDULE_HOURS → schedule_expression; ' +
          'INFRA_LANE_CONCURRENCY → lane_concurrency (set them with -var, TF_VAR_<name> or a .tfvars file; docs/DEPLOY.md)',
      ),
    );
  });

  it('reject bad values with every problem named', () => {
    expect(() =>
      resolveStackOptions({
        projectRoot: PROJECT_ROOT,
        functions: { api: { memoryMb: 64 }, coordinator: { timeoutSeconds: 901 } },
        logRetentionDays: 42,
        secretRecoveryWindowDays: 3,
      }),
    ).toThrow(
      new InvalidStackOptionsError(
        'invalid stack options: functions.coordinator.timeoutSeconds must be an integer in 1..900; ' +
          'functions.api.memoryMb must be an integer in 128..10240; ' +
          `logRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; ` +
          'secretRecoveryWindowDays must be 0 or 7..30',
      ),
    );
    expect(() => stackOptionsFromEnv({ INFRA_ENABLE_API: 'maybe' }, PROJECT_ROOT)).toThrow(
      /INFRA_ENABLE_API/,
    );
    expect(() => stackOptionsFromEnv({ INFRA_SCHEDULE_REQUEST: '{' }, PROJECT_ROOT)).toThrow(
      'INFRA_SCHEDULE_REQUEST is not valid JSON',
    );
    expect(() =>
      resolveStackOptions({
        projectRoot: PROJECT_ROOT,
        stateMachine: { laneConcurrency: 0 },
        schedule: { expression: 'hourly' },
        api: { vpc: { subnetIds: ['subnet-1'] } },
      }),
    ).toThrow(
      'invalid stack options: stateMachine.laneConcurrency must be an integer in 1..40; ' +
        'schedule.expression "hourly" is not rate(…) or cron(…); ' +
        'api.vpc needs both subnetIds and securityGroupIds, or neither',
    );
  });

  it('are synthesized from freshly compiled code: cdktf.json builds before it runs dist/', () => {
    const cdktf = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdktf.json'), 'utf8')) as {
      app: string;
    };
    const steps = cdktf.app.split('&&').map((step) => step.trim());
    expect(steps).toEqual(['npm run --silent build', 'node dist/infra/main.js']);
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json');
    const build = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
    };
    expect(build.include).toEqual(expect.arrayContaining(['infra', 'src', 'functions', 'statemachine']));
  });

  it('find the project root from infra/ and from dist/infra/', () => {
    expect(findProjectRoot(__dirname)).toBe(PROJECT_ROOT);
    expect(findProjectRoot(path.join(PROJECT_ROOT, 'dist', 'infra'))).toBe(PROJECT_ROOT);
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'cdktf.json'))).toBe(true);
  });
});
