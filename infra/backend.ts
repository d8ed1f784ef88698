import { CloudBackend, LocalBackend, NamedCloudWorkspace } from 'cdktf';
import type { TerraformStack } from 'cdktf';

/** Where Terraform keeps the state of a stack. */
export type BackendChoice =
  | { kind: 'local'; path: string }
  | { kind: 'cloud'; organization: string; workspace: string; hostname?: string };

/**
 * State file of the local backend, relative to the stack's working directory (`cdktf.out/stacks/<stack>`), when the
 * app writes to `<root>/cdktf.out` (main.ts computes it for other output directories).
 * It lives in `infra/state/` (git-ignored), not in `cdktf.out/`: `make clean` removes `cdktf.out/`, and losing the
 * state would orphan every resource (and the state holds the secret values in clear).
 */
export function defaultLocalStatePath(stackName: string): string {
  return `../../../infra/state/${stackName}.tfstate`;
}

/**
 * Terraform Cloud when both TF_CLOUD_ORGANIZATION and TF_WORKSPACE are set (the variables the Terraform CLI itself
 * reads), the local backend otherwise. Pure: the tests cover the selection without a terraform binary.
 */
export function selectBackend(env: NodeJS.ProcessEnv, localStatePath: string): BackendChoice {
  const organization = env.TF_CLOUD_ORGANIZATION?.trim();
  const workspace = env.TF_WORKSPACE?.trim();
  if (organization && workspace) {
    const hostname = env.TF_CLOUD_HOSTNAME?.trim();
    return { kind: 'cloud', organization, workspace, ...(hostname ? { hostname } : {}) };
  }
  return { kind: 'local', path: localStatePath };
}

/** Adds the chosen backend to the stack. CloudBackend validation shells out to `terraform version` at synth. */
export function applyBackend(stack: TerraformStack, choice: BackendChoice): void {
  if (choice.kind === 'cloud') {
    new CloudBackend(stack, {
      organization: choice.organization,
      workspaces: new NamedCloudWorkspace(choice.workspace),
      ...(choice.hostname ? { hostname: choice.hostname } : {}),
    });
    return;
  }
  new LocalBackend(stack, { path: choice.path });
}
