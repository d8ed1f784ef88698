import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthStack } from './synth.testkit';

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

describe('Secrets: nothing secret reaches the synthesized output', () => {
  const saved: Record<string, string | undefined> = {};

  beforeAll(() => {
    for (const [k, v] of Object.entries(FAKE)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });

  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('contains no credential value in the Terraform JSON nor in any bundle', () => {
    const { json, stack } = synthStack({ api: { enabled: true }, schedule: { everyHours: 1, request: {} } });
    const bundleFiles = Object.values(stack.functions).flatMap((fn) =>
      ['index.js', 'index.js.map'].map((f) => path.join(fn.bundleDir, f)),
    );
    expect(bundleFiles).toHaveLength(14);
    const texts = [json, ...bundleFiles.map((f) => fs.readFileSync(f, 'utf8'))];
    for (const text of texts) {
      for (const value of Object.values(FAKE)) expect(text.includes(value)).toBe(false);
    }
    expect(json).toContain('var.bitget_api_key');
    expect(json).toContain('var.database_url');
  });
});
