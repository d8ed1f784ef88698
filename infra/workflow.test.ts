import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYNTH_ENVIRONMENT } from './config';
import { PROJECT_ROOT } from './synth.testkit';

const WORKFLOW = readFileSync(join(PROJECT_ROOT, '.github', 'workflows', 'terraform-cloud.yml'), 'utf8');

/** The text of one job, from its key to the next job (jobs are the two-space-indented keys under `jobs:`). */
function job(name: string): string {
  const jobs = WORKFLOW.slice(WORKFLOW.indexOf('\njobs:\n'));
  const start = jobs.indexOf(`\n  ${name}:\n`);
  expect(start).toBeGreaterThan(-1);
  const rest = jobs.slice(start + 1);
  const next = rest.slice(1).search(/\n {2}[a-z-]+:\n/);
  return next === -1 ? rest : rest.slice(0, next + 1);
}

describe('.github/workflows/terraform-cloud.yml', () => {
  it('passes every synth-time setting through from repository variables', () => {
    for (const name of SYNTH_ENVIRONMENT) {
      expect({
        name,
        passed: new RegExp(`\\n  ${name}: \\$\\{\\{ vars\\.${name}\\b`).test(WORKFLOW),
      }).toEqual({
        name,
        passed: true,
      });
    }
  });

  it('passes every TF_VAR_* repository variable to Terraform, in both jobs', () => {
    for (const name of ['plan', 'apply']) {
      expect(job(name)).toContain('REPOSITORY_VARIABLES: ${{ toJSON(vars) }}');
      expect(job(name)).toContain('node dist/infra/tfvars.js "cdktf.out/stacks/$INFRA_STACK"');
    }
  });

  it('checks formatting and validates before it plans or applies', () => {
    for (const name of ['plan', 'apply']) {
      const text = job(name);
      const order = ['terraform fmt -check', 'terraform validate', `node scripts/infra.js ${name}`].map((s) =>
        text.indexOf(s),
      );
      expect(order.every((i) => i > -1)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    }
  });

  it('plans on pull requests and posts the plan there; applies on pushes to main only', () => {
    const plan = job('plan');
    expect(plan).toContain("if: github.event_name == 'pull_request'");
    expect(plan).toContain('pull-requests: write');
    expect(plan).toContain('github.rest.issues.createComment');
    const apply = job('apply');
    expect(apply).toContain("if: github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(apply).toContain('environment: production');
    expect(WORKFLOW).toMatch(/push:\n {4}branches: \[main\]/);
  });
});
