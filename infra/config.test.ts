import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { applyBackend, defaultLocalStatePath, selectBackend } from './backend';
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

  it('writes a cloud block with the named workspace (validation, which runs terraform, is not invoked)', () => {
    const stack = new TerraformStack(Testing.app(), 'cloud');
    applyBackend(stack, { kind: 'cloud', organization: 'acme', workspace: 'bitget-orders-prod' });
    const tf = JSON.parse(Testing.synth(stack));
    expect(tf.terraform.cloud).toEqual({ organization: 'acme', workspaces: { name: 'bitget-orders-prod' } });
  });
});

describe('Stack options', () => {
  it('default to the documented sizes, arm64, no API, no schedule', () => {
    const options = resolveStackOptions({ projectRoot: PROJECT_ROOT });
    expect(options).toMatchObject({
      architecture: 'arm64',
      api: { enabled: false },
      logRetentionDays: 30,
      functions: { 'symbol-processor': { memoryMb: 2048, timeoutSeconds: 900 } },
    });
    expect(options.schedule).toBeUndefined();
  });

  it('are read from the environment', () => {
    const { stackName, options } = stackOptionsFromEnv(
      {
        INFRA_STACK: 'orders-dev',
        AWS_REGION: 'eu-central-1',
        INFRA_ENABLE_API: 'true',
        INFRA_SCHEDULE_HOURS: '12',
        INFRA_SCHEDULE_REQUEST: '{"markets":["spot"]}',
        INFRA_ALARM_EMAIL: 'ops@example.com',
        INFRA_RESULTS_RETENTION_DAYS: '0',
        INFRA_FUNCTIONS: '{"symbol-processor":{"memoryMb":3008}}',
        INFRA_ARCHITECTURE: 'x86_64',
        BITGET_BASE_URL: 'http://127.0.0.1:8080',
        TF_CLOUD_ORGANIZATION: 'acme',
        TF_WORKSPACE: 'orders-dev',
      },
      PROJECT_ROOT,
    );
    expect(stackName).toBe('orders-dev');
    expect(options).toMatchObject({
      region: 'eu-central-1',
      api: { enabled: true },
      schedule: { everyHours: 12, request: { markets: ['spot'] } },
      alarms: { topic: true, email: 'ops@example.com' },
      architecture: 'x86_64',
      bitgetBaseUrl: 'http://127.0.0.1:8080',
      functions: { 'symbol-processor': { memoryMb: 3008, timeoutSeconds: 900 } },
      backend: { kind: 'cloud', organization: 'acme', workspace: 'orders-dev' },
    });
    expect(options.storage.resultsRetentionDays).toBeUndefined();
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
    expect(() => stackOptionsFromEnv({ INFRA_ARCHITECTURE: 'sparc' }, PROJECT_ROOT)).toThrow(
      /INFRA_ARCHITECTURE/,
    );
    expect(() => stackOptionsFromEnv({ INFRA_FUNCTIONS: '{' }, PROJECT_ROOT)).toThrow(
      'INFRA_FUNCTIONS is not valid JSON',
    );
  });

  it('find the project root from infra/ and from dist/infra/', () => {
    expect(findProjectRoot(__dirname)).toBe(PROJECT_ROOT);
    expect(findProjectRoot(path.join(PROJECT_ROOT, 'dist', 'infra'))).toBe(PROJECT_ROOT);
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'cdktf.json'))).toBe(true);
  });
});
