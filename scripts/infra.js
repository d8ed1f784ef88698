#!/usr/bin/env node
// `make synth|plan|apply|destroy`: synthesizes the CDKTF app compiled to dist/ and runs Terraform on the result.
// plan/apply/destroy first check what they need and stop with one line naming what is missing (exit 2).
// Arguments after the command go to terraform: `node scripts/infra.js plan -var schedule_expression='rate(6 hours)'`.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const APP = path.join(ROOT, 'dist', 'infra', 'main.js');
const OUTDIR = path.resolve(ROOT, process.env.CDKTF_OUTDIR || 'cdktf.out');
const STACK = process.env.INFRA_STACK || 'bitget-orders';
const STACK_DIR = path.join(OUTDIR, 'stacks', STACK);
// No calls home from terraform (the checkpoint service) when the network is restricted.
const ENV = { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: OUTDIR };

function stop(message) {
  console.error(`infra: ${message}`);
  process.exit(2);
}

function usingTerraformCloud(env) {
  return Boolean(env.TF_CLOUD_ORGANIZATION && env.TF_WORKSPACE);
}

function terraformAvailable() {
  const r = spawnSync('terraform', ['version'], { env: ENV, encoding: 'utf8' });
  return !r.error && r.status === 0;
}

function awsCredentialsAvailable(env) {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return true;
  if (env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE) return true;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return true;
  const home = os.homedir();
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE,
    env.AWS_CONFIG_FILE,
    path.join(home, '.aws', 'credentials'),
    path.join(home, '.aws', 'config'),
  ];
  return files.some((f) => f && fs.existsSync(f));
}

function terraformCloudTokenAvailable(env) {
  if (env.TF_API_TOKEN || Object.keys(env).some((k) => k.startsWith('TF_TOKEN_'))) return true;
  return fs.existsSync(path.join(os.homedir(), '.terraform.d', 'credentials.tfrc.json'));
}

function synth() {
  if (!fs.existsSync(APP))
    stop(`${path.relative(ROOT, APP)} is missing: run \`make build\` (tsc -p tsconfig.build.json) first`);
  const r = spawnSync(process.execPath, [APP], { cwd: ROOT, env: ENV, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  if (!fs.existsSync(path.join(STACK_DIR, 'cdk.tf.json')))
    stop(`synth wrote no stack ${STACK} in ${STACK_DIR}`);
}

function checkPrerequisites() {
  const missing = [];
  if (!terraformAvailable())
    missing.push('the terraform binary (`terraform version` failed: install Terraform >= 1.10)');
  const cloud = usingTerraformCloud(ENV);
  if (cloud) {
    // Remote runs use the workspace's AWS credentials and variables; the CLI needs only its token.
    if (!terraformCloudTokenAvailable(ENV))
      missing.push('a Terraform Cloud token (TF_API_TOKEN or `terraform login`)');
  } else {
    // The Bitget keys are not Terraform's business: they go into the secret after apply (docs/DEPLOY.md).
    if (!awsCredentialsAvailable(ENV)) {
      missing.push('AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or ~/.aws)');
    }
  }
  if (missing.length > 0) stop(`cannot run terraform, missing: ${missing.join('; ')}`);
}

/**
 * What `terraform init` depends on in the synthesized stack: its providers and its backend. A successful init
 * records it in INIT_MARKER; init runs again whenever the marker is absent or differs.
 */
function initFingerprint() {
  const stack = JSON.parse(fs.readFileSync(path.join(STACK_DIR, 'cdk.tf.json'), 'utf8'));
  const terraformBlock = stack.terraform || {};
  return JSON.stringify({
    providers: terraformBlock.required_providers || {},
    backend: terraformBlock.backend || {},
    cloud: terraformBlock.cloud || {},
  });
}

const INIT_MARKER = '.bitget-orders-init';

/**
 * Installs the providers unless a previous init completed for the same providers and backend. A failed init is
 * undone (its half-filled .terraform/ and lock file removed), so every run until the cause is fixed gives the
 * same one-line diagnosis, never Terraform's "Inconsistent dependency lock file" from the leftovers.
 */
function ensureProviders() {
  const dotTerraform = path.join(STACK_DIR, '.terraform');
  const marker = path.join(dotTerraform, INIT_MARKER);
  const fingerprint = initFingerprint();
  const current = fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === fingerprint;
  if (current && !process.env.INFRA_REINIT) return;
  const reconfigure = process.env.INFRA_REINIT || fs.existsSync(dotTerraform);
  const r = spawnSync(
    'terraform',
    ['init', '-input=false', '-no-color', ...(reconfigure ? ['-reconfigure'] : [])],
    {
      cwd: STACK_DIR,
      env: ENV,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) {
    fs.rmSync(dotTerraform, { recursive: true, force: true });
    fs.rmSync(path.join(STACK_DIR, '.terraform.lock.hcl'), { force: true });
    const error = `${r.stderr || ''}\n${r.stdout || ''}`
      .split('\n')
      .map((l) => l.replace(/^[│╷╵\s]+/, '').trim())
      .find((l) => l.startsWith('Error:'));
    stop(
      `the AWS provider is not installed: \`terraform init\` failed in ${path.relative(ROOT, STACK_DIR)}` +
        ` (${error || (r.error ? r.error.message : 'see terraform init')}; it needs access to registry.terraform.io)`,
    );
  }
  fs.writeFileSync(marker, fingerprint);
}

function terraform(command, extra) {
  const autoApprove = process.env.INFRA_AUTO_APPROVE === '1' || process.env.CI === 'true';
  const args = {
    plan: ['plan', '-input=false'],
    apply: ['apply', ...(autoApprove ? ['-auto-approve', '-input=false'] : [])],
    destroy: ['destroy', ...(autoApprove ? ['-auto-approve', '-input=false'] : [])],
  }[command].concat(extra);
  const r = spawnSync('terraform', args, { cwd: STACK_DIR, env: ENV, stdio: 'inherit' });
  if (r.error) stop(`terraform ${command} did not start: ${r.error.message}`);
  process.exit(r.status ?? 1);
}

function main(command) {
  switch (command) {
    case 'synth':
      synth();
      return;
    case 'plan':
    case 'apply':
    case 'destroy':
      checkPrerequisites();
      synth();
      ensureProviders();
      terraform(command, process.argv.slice(3));
      return;
    default:
      stop('usage: node scripts/infra.js synth|plan|apply|destroy');
  }
}

main(process.argv[2]);
