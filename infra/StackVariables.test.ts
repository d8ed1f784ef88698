import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allStates, validateAsl } from '../statemachine/asl';
import type { MapState, StateMachineDefinition } from '../statemachine/asl';
import { DEFAULT_MAP_CONCURRENCY } from '../statemachine/extraction';
import { applyVariablesOnly, terraformAvailable } from './terraform.testkit';
import { PROJECT_ROOT, resourceNamed, synthStack } from './synth.testkit';
import type { Synthesized } from './synth.testkit';
import { VARIABLE_NAMES } from './StackVariables';

/** A Map's MaxConcurrency, wherever it sits in the machine (Maps are nested in the data sets' branches). */
const mapConcurrency = (definition: StateMachineDefinition, name: string): number | undefined =>
  (allStates(definition).find(([n]) => n === name)?.[1] as MapState | undefined)?.MaxConcurrency;

let synthesized: Synthesized;

beforeAll(() => {
  synthesized = synthStack({ api: { enabled: true } });
});

/** What the resources read from the variables, as `output` blocks Terraform evaluates without any provider. */
function probes(tf: Synthesized['tf']): Record<string, { value: unknown }> {
  const fn = (name: string) => resourceNamed(tf, 'aws_lambda_function', `${name}_function`);
  const definition = (resourceNamed(tf, 'aws_sfn_state_machine', 'extraction').definition as string).replace(
    /\$\{aws_lambda_function\.([A-Za-z0-9_-]+)\.arn\}/g,
    'arn:aws:lambda:ap-northeast-1:123456789012:function:$1',
  );
  const schedule = resourceNamed(tf, 'aws_scheduler_schedule', 'schedule');
  const lifecycle = resourceNamed(tf, 'aws_s3_bucket_lifecycle_configuration', 'runs_lifecycle').rule as {
    id: string;
    status: string;
  }[];
  return {
    definition: { value: definition },
    processor_memory: { value: fn('symbol-processor').memory_size },
    api_memory: { value: fn('api').memory_size },
    processor_reserved: { value: fn('symbol-processor').reserved_concurrent_executions },
    architectures: { value: fn('api').architectures },
    schedule_state: { value: schedule.state },
    schedule_expression: { value: schedule.schedule_expression },
    results_rule: { value: lifecycle.find((r) => r.id === 'expire-results')!.status },
  };
}

describe('Terraform variables of the stack', () => {
  it('declare every tunable setting with a type, a description and a default', () => {
    const declared = synthesized.tf.variable;
    expect(Object.keys(declared).sort()).toEqual(Object.values(VARIABLE_NAMES).sort());
    for (const [name, v] of Object.entries(declared)) {
      expect({
        name,
        type: typeof v.type,
        description: typeof v.description,
        hasDefault: 'default' in v,
      }).toEqual({
        name,
        type: 'string',
        description: 'string',
        hasDefault: true,
      });
    }
    expect(declared.schedule_expression).toMatchObject({ type: 'string', default: '' });
    expect(declared.function_memory_mb).toMatchObject({
      type: 'map(number)',
      default: { symbol_processor: 2048, result_collector: 2048, api: 512 },
    });
    expect(declared.reserved_concurrency).toMatchObject({ type: 'map(number)', default: {} });
    expect(declared.lane_concurrency).toMatchObject({ type: 'number', default: DEFAULT_MAP_CONCURRENCY });
  });

  it('validate every setting but the boolean one', () => {
    const unvalidated = Object.entries(synthesized.tf.variable)
      .filter(([, v]) => !Array.isArray(v.validation) || (v.validation as unknown[]).length === 0)
      .map(([name]) => name);
    expect(unvalidated).toEqual(['force_destroy']);
  });

  it('take their defaults from the stack options', () => {
    const tuned = synthStack({
      functions: { 'symbol-processor': { memoryMb: 3008, reservedConcurrency: 20 } },
      schedule: { expression: 'rate(6 hours)' },
      alarms: { email: 'ops@example.com' },
      logRetentionDays: 90,
    }).tf.variable;
    expect(tuned.function_memory_mb!.default).toMatchObject({ symbol_processor: 3008 });
    expect(tuned.reserved_concurrency!.default).toEqual({ symbol_processor: 20 });
    expect(tuned.schedule_expression!.default).toBe('rate(6 hours)');
    expect(tuned.alarm_email!.default).toBe('ops@example.com');
    expect(tuned.log_retention_days!.default).toBe(90);
  });
});

const EXAMPLE_TFVARS = join(PROJECT_ROOT, 'infra', 'example.tfvars');

describe('infra/example.tfvars', () => {
  it('sets every variable the stack declares, and nothing else', () => {
    const names = [...readFileSync(EXAMPLE_TFVARS, 'utf8').matchAll(/^([a-z_]+)\s*=/gm)].map((m) => m[1]);
    expect(names.sort()).toEqual(Object.keys(synthesized.tf.variable).sort());
  });
});

(terraformAvailable ? describe : describe.skip)('Terraform variables, checked by terraform itself', () => {
  it('accept infra/example.tfvars as it stands', () => {
    const run = applyVariablesOnly(
      { variable: synthesized.tf.variable, output: probes(synthesized.tf) },
      {},
      EXAMPLE_TFVARS,
    );
    expect(run.output).not.toMatch(/^Error:/m);
    expect(run.outputs).toMatchObject({ schedule_state: 'ENABLED', schedule_expression: 'rate(12 hours)' });
  });

  it('accept the defaults: no schedule, bounded Maps, default sizes, no reservation', () => {
    const run = applyVariablesOnly({ variable: synthesized.tf.variable, output: probes(synthesized.tf) });
    expect(run.output).not.toMatch(/^Error:/m);
    expect(run.status).toBe(0);
    expect(run.outputs).toMatchObject({
      processor_memory: 2048,
      api_memory: 512,
      processor_reserved: -1,
      architectures: ['arm64'],
      schedule_state: 'DISABLED',
      results_rule: 'Enabled',
    });
    const definition = JSON.parse(run.outputs.definition as string) as StateMachineDefinition;
    expect(validateAsl(definition)).toEqual([]);
    expect(mapConcurrency(definition, 'ProcessOrderLanes')).toBe(DEFAULT_MAP_CONCURRENCY);
  });

  it('carry -var values into the resources: schedule, memory, reserved concurrency, Map concurrency', () => {
    const run = applyVariablesOnly(
      { variable: synthesized.tf.variable, output: probes(synthesized.tf) },
      {
        schedule_expression: 'rate(6 hours)',
        function_memory_mb: '{ symbol_processor = 3008 }',
        reserved_concurrency: '{ symbol_processor = 12, api = 5 }',
        lane_concurrency: '4',
        window_concurrency: '2',
        architecture: 'x86_64',
        results_retention_days: '0',
      },
    );
    expect(run.output).not.toMatch(/^Error:/m);
    expect(run.outputs).toMatchObject({
      processor_memory: 3008,
      // Left out of the map: the function keeps its default size.
      api_memory: 512,
      processor_reserved: 12,
      architectures: ['x86_64'],
      schedule_state: 'ENABLED',
      schedule_expression: 'rate(6 hours)',
      results_rule: 'Disabled',
    });
    const definition = JSON.parse(run.outputs.definition as string) as StateMachineDefinition;
    expect([
      mapConcurrency(definition, 'ProcessOrderLanes'),
      mapConcurrency(definition, 'ProcessSymbolLanes'),
    ]).toEqual([4, 4]);
    expect(mapConcurrency(definition, 'SearchSymbols')).toBe(2);
  });

  it('refuse bad values, each with a message naming the variable', () => {
    const run = applyVariablesOnly(
      { variable: synthesized.tf.variable },
      {
        lane_concurrency: '41',
        window_concurrency: '0',
        schedule_expression: 'every day',
        log_retention_days: '42',
        runs_expiration_days: '0',
        function_memory_mb: '{ symbol_processor = 64 }',
        reserved_concurrency: '{ symbol-finder = 1 }',
        alarm_email: 'not-an-address',
        secret_recovery_window_days: '3',
        architecture: 'sparc',
        state_machine_log_level: 'DEBUG',
        bitget_base_url: 'api.bitget.com',
        api_subnet_ids: '["vpc-123"]',
      },
    );
    expect(run.status).not.toBe(0);
    for (const message of [
      'lane_concurrency must be a whole number in 1..40',
      'window_concurrency must be a whole number in 1..40',
      'schedule_expression must be "", rate(N minutes|hours|days) or cron(…)',
      'log_retention_days must be one of',
      'runs_expiration_days must be a whole number of days in 1..3650',
      'function_memory_mb takes the functions',
      'reserved_concurrency takes the functions',
      'alarm_email must be an e-mail address or "".',
      'secret_recovery_window_days must be 0 or a whole number in 7..30.',
      'architecture must be arm64 or x86_64.',
      'state_machine_log_level must be ALL, ERROR or FATAL.',
      'bitget_base_url must be an http(s) URL',
      'api_subnet_ids must be subnet ids (subnet-…).',
    ]) {
      expect(run.output).toContain(message);
    }
  });
});
