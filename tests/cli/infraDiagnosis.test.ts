import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, ensureBuilt } from './support';

jest.setTimeout(120_000);

/**
 * A stand-in `terraform` on PATH that behaves as Terraform does without registry access: `init` leaves a
 * half-filled .terraform/ behind and fails; `plan` over those leftovers fails with the lock-file error.
 */
const FAKE_TERRAFORM = `#!/bin/sh
case "$1" in
  version) echo "Terraform v1.9.0"; exit 0 ;;
  init) mkdir -p .terraform/providers/registry.terraform.io/hashicorp
        echo 'Error: Failed to query available provider packages' >&2; exit 1 ;;
  plan|apply) echo 'Error: Inconsistent dependency lock file' >&2; exit 1 ;;
esac
exit 1
`;

describe('make plan / make apply without registry access', () => {
  it('gives the same one-line diagnosis on every run and leaves no .terraform/ behind', () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'infra-'));
    try {
      const bin = join(dir, 'bin');
      spawnSync('mkdir', ['-p', bin]);
      writeFileSync(join(bin, 'terraform'), FAKE_TERRAFORM);
      chmodSync(join(bin, 'terraform'), 0o755);
      const env = {
        ...process.env,
        PATH: `${bin}:${process.env['PATH'] ?? ''}`,
        CDKTF_OUTDIR: join(dir, 'cdktf.out'),
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example',
        BITGET_API_KEY: 'k',
        BITGET_SECRET_KEY: 's',
        BITGET_PASSPHRASE: 'p',
      };
      const runs = ['plan', 'plan', 'apply'].map((command) =>
        spawnSync(process.execPath, [join(ROOT, 'scripts', 'infra.js'), command], {
          cwd: ROOT,
          env,
          encoding: 'utf8',
        }),
      );
      const lastLines = runs.map((r) => r.stderr.trim().split('\n').pop());
      for (const r of runs) expect(r.status).toBe(2);
      expect(lastLines[0]).toMatch(
        /^infra: the AWS provider is not installed: `terraform init` failed in .* \(Error: Failed to query available provider packages; it needs access to registry\.terraform\.io\)$/,
      );
      expect(new Set(lastLines).size).toBe(1);
      expect(runs.map((r) => r.stderr).join('')).not.toContain('Inconsistent dependency lock file');
      expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'bitget-orders', '.terraform'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
