import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENV = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };

/** True when a terraform binary answers `terraform version` (the tests that run it are skipped otherwise). */
export const terraformAvailable: boolean = (() => {
  const r = spawnSync('terraform', ['version'], { env: ENV, encoding: 'utf8' });
  return !r.error && r.status === 0;
})();

export interface TerraformRun {
  status: number | null;
  /** stderr and stdout, ANSI-free (-no-color) and with box-drawing margins removed. */
  output: string;
  /** Outputs after a successful apply, `{ name: value }`. */
  outputs: Record<string, unknown>;
}

/**
 * Applies a configuration that holds only `variable` and `output` blocks (no provider, no resource, so nothing
 * is downloaded and nothing is created) with `-var` arguments, in a throwaway directory: Terraform itself checks
 * the variables' types and validations and evaluates the outputs' expressions.
 */
export function applyVariablesOnly(
  config: { variable: Record<string, unknown>; output?: Record<string, { value: unknown }> },
  vars: Record<string, string> = {},
  varFile?: string,
): TerraformRun {
  const dir = mkdtempSync(join(tmpdir(), 'tfvars-'));
  try {
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config));
    const run = (args: string[]) => spawnSync('terraform', args, { cwd: dir, env: ENV, encoding: 'utf8' });
    const init = run(['init', '-input=false', '-no-color', '-backend=false']);
    if (init.status !== 0)
      return { status: init.status, output: clean(`${init.stderr}${init.stdout}`), outputs: {} };
    const apply = run([
      'apply',
      '-input=false',
      '-no-color',
      '-auto-approve',
      ...(varFile ? [`-var-file=${varFile}`] : []),
      ...Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`]),
    ]);
    const output = clean(`${apply.stderr}${apply.stdout}`);
    if (apply.status !== 0) return { status: apply.status, output, outputs: {} };
    const shown = run(['output', '-json', '-no-color']);
    const outputs = Object.fromEntries(
      Object.entries(JSON.parse(shown.stdout) as Record<string, { value: unknown }>).map(([k, o]) => [
        k,
        o.value,
      ]),
    );
    return { status: apply.status, output, outputs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function clean(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/^[│╷╵\s]+/, '').trimEnd())
    .join('\n');
}
