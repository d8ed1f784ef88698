/**
 * The CI pipeline's stack variables: repository variables named `TF_VAR_<NAME>` (GitHub keeps variable names upper
 * case) become `<stack dir>/ci.auto.tfvars.json`, which Terraform loads on its own, locally and in a Terraform Cloud
 * remote run alike (the file is uploaded with the configuration). Every declared variable can be set this way; a
 * name the stack does not declare, or a value that is not of the variable's type, stops the pipeline at once.
 *
 * Usage (after `make synth`): REPOSITORY_VARIABLES='{"TF_VAR_SCHEDULE_EXPRESSION":"rate(6 hours)"}' \
 *   node dist/infra/tfvars.js cdktf.out/stacks/bitget-orders
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class InvalidRepositoryVariableError extends Error {
  override readonly name = 'InvalidRepositoryVariableError';
}

const PREFIX = 'TF_VAR_';

/** `{ name: value }` for the tfvars file from `{ TF_VAR_NAME: text }`, typed by the stack's `variable` blocks. */
export function tfvarsFromRepositoryVariables(
  repository: Record<string, string>,
  declared: Record<string, { type?: unknown }>,
): Record<string, unknown> {
  const byUpper = new Map(Object.keys(declared).map((n) => [n.toUpperCase(), n]));
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(repository)) {
    if (!key.toUpperCase().startsWith(PREFIX)) continue;
    const name = byUpper.get(key.slice(PREFIX.length).toUpperCase());
    if (!name) {
      problems.push(`${key}: the stack declares no variable ${key.slice(PREFIX.length).toLowerCase()}`);
      continue;
    }
    const type = String(declared[name]!.type ?? 'string');
    if (type === 'string') {
      out[name] = text;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      problems.push(`${key}: ${JSON.stringify(text)} is not JSON, as a ${type} must be written`);
      continue;
    }
    const fits =
      type === 'number'
        ? typeof value === 'number'
        : type === 'bool'
          ? typeof value === 'boolean'
          : type.startsWith('list(')
            ? Array.isArray(value)
            : type.startsWith('map(')
              ? value !== null && typeof value === 'object' && !Array.isArray(value)
              : true;
    if (!fits) problems.push(`${key}: ${text} is not a ${type}`);
    else out[name] = value;
  }
  if (problems.length > 0) throw new InvalidRepositoryVariableError(problems.join('; '));
  return out;
}

/** Writes `<stackDir>/ci.auto.tfvars.json` from REPOSITORY_VARIABLES (JSON) and prints the names it set. */
export function writeCiTfvars(stackDir: string, repositoryJson: string): string[] {
  const synthesized = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    variable?: Record<string, { type?: unknown }>;
  };
  const repository = JSON.parse(repositoryJson || '{}') as Record<string, string>;
  const tfvars = tfvarsFromRepositoryVariables(repository, synthesized.variable ?? {});
  writeFileSync(join(stackDir, 'ci.auto.tfvars.json'), `${JSON.stringify(tfvars, null, 2)}\n`);
  return Object.keys(tfvars);
}

if (require.main === module) {
  try {
    const stackDir = process.argv[2];
    if (!stackDir) throw new Error('usage: node dist/infra/tfvars.js <cdktf.out/stacks/STACK>');
    const names = writeCiTfvars(stackDir, process.env.REPOSITORY_VARIABLES ?? '{}');
    console.log(
      `ci.auto.tfvars.json: ${names.length > 0 ? names.join(', ') : '(every variable at its default)'}`,
    );
  } catch (err) {
    console.error(`tfvars: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
