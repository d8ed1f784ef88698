import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main';
import { resourcesOf, synthStack } from './synth.testkit';
import type { Synthesized } from './synth.testkit';

/** Distinctive values the stack could leak if it read credentials from the environment at synth time. */
const FAKE = {
  BITGET_API_KEY: 'bg_fake_api_key_4f1d2c9e7a',
  BITGET_SECRET_KEY: 'fake-secret-key-8b3e5a0c1d',
  BITGET_API_SECRET: 'fake-api-secret-2a7c9e4b6f',
  BITGET_PASSPHRASE: 'fake-passphrase-6d0f3b8a2e',
  BITGET_API_PASSPHRASE: 'fake-api-passphrase-1c5e7a9b',
  TF_VAR_bitget_api_key: 'tfvar-fake-key-9e8d7c6b5a',
  TF_VAR_bitget_secret_key: 'tfvar-fake-secret-5a4b3c2d1e',
  TF_VAR_bitget_passphrase: 'tfvar-fake-pass-0f1e2d3c4b',
  DATABASE_URL: 'mysql://orders:fake-db-password-7e6d@db.internal:3306/orders',
  TF_VAR_database_url: 'mysql://orders:tfvar-db-password-3c2b@db.internal:3306/orders',
};

/** Every regular file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((rel) => join(dir, rel))
    .filter((p) => statSync(p).isFile());
}

describe('Secrets: no secret value reaches Terraform', () => {
  const saved: Record<string, string | undefined> = {};
  let full: Synthesized;

  beforeAll(() => {
    for (const [k, v] of Object.entries(FAKE)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    full = synthStack({ api: { enabled: true }, schedule: { expression: 'rate(1 hour)', request: {} } });
  });

  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('declares no secret variable and no secret version: Terraform never sees the values', () => {
    expect(resourcesOf(full.tf, 'aws_secretsmanager_secret_version')).toEqual({});
    expect(Object.keys(resourcesOf(full.tf, 'aws_secretsmanager_secret'))).toHaveLength(2);
    const sensitive = Object.entries(full.tf.variable).filter(([, v]) => v.sensitive === true);
    expect(sensitive).toEqual([]);
    for (const name of ['bitget_api_key', 'bitget_secret_key', 'bitget_passphrase', 'database_url']) {
      expect(full.tf.variable[name]).toBeUndefined();
    }
    expect(full.json).not.toMatch(/secret_string/);
  });

  it('outputs the secrets’ ARNs and commands that read the keys from the environment, not the keys', () => {
    const { bitget_secret_arn, put_bitget_secret_command, database_secret_arn, put_database_url_command } =
      full.tf.output;
    expect(bitget_secret_arn!.value).toMatch(
      /^\$\{aws_secretsmanager_secret\.bitget-credentials_secret_[0-9A-F]+\.arn\}$/,
    );
    expect(database_secret_arn!.value).toMatch(
      /^\$\{aws_secretsmanager_secret\.database-url_secret_[0-9A-F]+\.arn\}$/,
    );
    expect(put_bitget_secret_command!.value).toBe(
      `node -e 'process.stdout.write(JSON.stringify({apiKey:process.env.BITGET_API_KEY,secretKey:process.env.BITGET_SECRET_KEY,passphrase:process.env.BITGET_PASSPHRASE}))'` +
        ` | aws secretsmanager put-secret-value --region ap-northeast-1 --secret-id ${bitget_secret_arn!.value} --secret-string file:///dev/stdin`,
    );
    expect(put_database_url_command!.value).toBe(
      `printf %s "$DATABASE_URL" | aws secretsmanager put-secret-value --region ap-northeast-1 --secret-id ${database_secret_arn!.value} --secret-string file:///dev/stdin`,
    );
  });

  it('leaves no credential value in any file `make synth` writes (Terraform JSON, outputs, bundles, source maps)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-secrets-'));
    try {
      main({ ...process.env, CDKTF_OUTDIR: outdir, INFRA_ENABLE_API: 'true', INFRA_STACK: 'secrets' });
      const files = filesUnder(outdir);
      expect(files.some((f) => f.endsWith(join('stacks', 'secrets', 'cdk.tf.json')))).toBe(true);
      // Eight functions (the api's stack has the run-importer), each an index.js and its source map.
      expect(files.filter((f) => /index\.js(\.map)?$/.test(f) && !f.includes('assets'))).toHaveLength(16);
      const leaks = files.flatMap((f) => {
        const text = readFileSync(f, 'latin1');
        return Object.entries(FAKE).flatMap(([name, value]) =>
          text.includes(value) ? [`${name} in ${f}`] : [],
        );
      });
      expect(leaks).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
