import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidRepositoryVariableError, tfvarsFromRepositoryVariables, writeCiTfvars } from './tfvars';

const DECLARED = {
  schedule_expression: { type: 'string' },
  lane_concurrency: { type: 'number' },
  force_destroy: { type: 'bool' },
  function_memory_mb: { type: 'map(number)' },
  api_subnet_ids: { type: 'list(string)' },
};

describe('CI tfvars from repository variables', () => {
  it('maps TF_VAR_<NAME> (upper case, as GitHub keeps it) onto the declared variables, typed', () => {
    expect(
      tfvarsFromRepositoryVariables(
        {
          TF_VAR_SCHEDULE_EXPRESSION: 'rate(6 hours)',
          TF_VAR_LANE_CONCURRENCY: '4',
          TF_VAR_FORCE_DESTROY: 'false',
          TF_VAR_FUNCTION_MEMORY_MB: '{"symbol_processor":3008}',
          TF_VAR_API_SUBNET_IDS: '["subnet-0a1b"]',
          TF_CLOUD_ORGANIZATION: 'acme',
        },
        DECLARED,
      ),
    ).toEqual({
      schedule_expression: 'rate(6 hours)',
      lane_concurrency: 4,
      force_destroy: false,
      function_memory_mb: { symbol_processor: 3008 },
      api_subnet_ids: ['subnet-0a1b'],
    });
  });

  it('refuses an undeclared name and a value of the wrong type, naming each', () => {
    expect(() =>
      tfvarsFromRepositoryVariables(
        { TF_VAR_SCHEDULE_HOURS: '6', TF_VAR_LANE_CONCURRENCY: 'four', TF_VAR_API_SUBNET_IDS: '"subnet-1"' },
        DECLARED,
      ),
    ).toThrow(
      new InvalidRepositoryVariableError(
        'TF_VAR_SCHEDULE_HOURS: the stack declares no variable schedule_hours; ' +
          'TF_VAR_LANE_CONCURRENCY: "four" is not JSON, as a number must be written; ' +
          'TF_VAR_API_SUBNET_IDS: "subnet-1" is not a list(string)',
      ),
    );
  });

  it('writes ci.auto.tfvars.json beside the synthesized stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfvars-'));
    try {
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ variable: DECLARED }));
      expect(writeCiTfvars(dir, '{"TF_VAR_LANE_CONCURRENCY":"8"}')).toEqual(['lane_concurrency']);
      expect(JSON.parse(readFileSync(join(dir, 'ci.auto.tfvars.json'), 'utf8'))).toEqual({
        lane_concurrency: 8,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
