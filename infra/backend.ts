import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend } from 'cdktf';
import type { TerraformStack } from 'cdktf';

/** Where Terraform keeps the state of a stack. */
export type BackendChoice =
  | { kind: 'local'; path: string }
  | { kind: 'cloud'; organization: string; workspace: string; hostname?: string }
  | { kind: 's3'; bucket: string; key: string; region: string };

export const BACKEND_KINDS = ['local', 'cloud', 's3'] as const;

export class InvalidBackendError extends Error {
  override readonly name = 'InvalidBackendError';
}

/**
 * State file of the local backend, relative to the stack's working directory (`cdktf.out/stacks/<stack>`), when the
 * app writes to `<root>/cdktf.out` (main.ts computes it for other output directories).
 * It lives in `infra/state/` (git-ignored), not in `cdktf.out/`: `make clean` removes `cdktf.out/`, and losing the
 * state would orphan every resource.
 */
export function defaultLocalStatePath(stackName: string): string {
  return `../../../infra/state/${stackName}.tfstate`;
}

/** Key of the state object in an S3 backend bucket when INFRA_STATE_KEY is unset. */
export function defaultS3StateKey(stackName: string): string {
  return `bitget-orders/${stackName}.tfstate`;
}

/**
 * The backend from the environment (docs/DEPLOY.md, "State"). INFRA_BACKEND names it; unset, it is Terraform Cloud
 * when TF_CLOUD_ORGANIZATION and TF_WORKSPACE are both set (the variables the Terraform CLI itself reads), S3 when
 * INFRA_STATE_BUCKET is set, local otherwise. Pure: the tests cover the selection without a terraform binary.
 */
export function selectBackend(
  env: NodeJS.ProcessEnv,
  localStatePath: string,
  defaults: { stackName?: string; region?: string } = {},
): BackendChoice {
  const get = (name: string): string | undefined => env[name]?.trim() || undefined;
  const organization = get('TF_CLOUD_ORGANIZATION');
  const workspace = get('TF_WORKSPACE');
  const bucket = get('INFRA_STATE_BUCKET');
  const requested = get('INFRA_BACKEND');
  if (requested !== undefined && !(BACKEND_KINDS as readonly string[]).includes(requested)) {
    throw new InvalidBackendError(`INFRA_BACKEND "${requested}" is not one of ${BACKEND_KINDS.join(', ')}`);
  }
  const kind = requested ?? (organization && workspace ? 'cloud' : bucket ? 's3' : 'local');
  if (kind === 'cloud') {
    if (!organization || !workspace)
      throw new InvalidBackendError('the cloud backend needs TF_CLOUD_ORGANIZATION and TF_WORKSPACE');
    const hostname = get('TF_CLOUD_HOSTNAME');
    return { kind, organization, workspace, hostname };
  }
  if (kind === 's3') {
    if (!bucket)
      throw new InvalidBackendError('the s3 backend needs INFRA_STATE_BUCKET (an existing bucket)');
    const region = get('INFRA_STATE_REGION') ?? defaults.region;
    if (!region) throw new InvalidBackendError('the s3 backend needs INFRA_STATE_REGION or AWS_REGION');
    return {
      kind,
      bucket,
      key: get('INFRA_STATE_KEY') ?? defaultS3StateKey(defaults.stackName ?? 'bitget-orders'),
      region,
    };
  }
  return { kind: 'local', path: localStatePath };
}

/** Adds the chosen backend to the stack. CloudBackend validation shells out to `terraform version` at synth. */
export function applyBackend(stack: TerraformStack, choice: BackendChoice): void {
  switch (choice.kind) {
    case 'cloud':
      new CloudBackend(stack, {
        organization: choice.organization,
        workspaces: new NamedCloudWorkspace(choice.workspace),
        hostname: choice.hostname,
      });
      return;
    case 's3':
      new S3Backend(stack, { bucket: choice.bucket, key: choice.key, region: choice.region, encrypt: true });
      // S3-native locking (a `<key>.tflock` object, Terraform >= 1.10): no DynamoDB table. cdktf 0.21 predates it.
      stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
    case 'local':
      new LocalBackend(stack, { path: choice.path });
  }
}
