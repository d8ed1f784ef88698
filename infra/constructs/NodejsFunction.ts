import * as path from 'node:path';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { App, AssetType, TerraformAsset, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { bundleFunction } from '../bundle';
import type { BundleAsset, BundlingOptions } from '../bundle';
import { assumeRolePolicy, policyDocument, toJson, writeLogs } from '../iam';
import type { PolicyStatement } from '../iam';
import type { StackVariables } from '../StackVariables';

export interface NodejsFunctionOptions {
  /** Full function name, also the role name stem and the log group name. */
  functionName: string;
  /** Regional suffix of the role name: IAM is global, two regions of one account must not collide. */
  region: string;
  description: string;
  /** Absolute path of the TypeScript entry point exporting `handler`. */
  entry: string;
  projectRoot: string;
  /** 128..10240 MB (a Terraform expression when it comes from a variable). */
  memoryMb: number;
  timeoutSeconds: number;
  /** -1: no reservation. */
  reservedConcurrency: number;
  /** `arm64` or `x86_64` (or the architecture variable). */
  architecture: string;
  environment: Record<string, string>;
  logRetentionDays: number;
  bundling: BundlingOptions;
  /** Files copied next to the bundle (read from disk at run time). */
  assets?: readonly BundleAsset[];
  /** What the function may do besides writing its own logs. */
  statements: PolicyStatement[];
}

/**
 * One Lambda with everything that belongs to it alone: the esbuild bundle as a zip asset, a log group with
 * retention, and a role whose inline policy grants exactly `statements` plus writing to that log group.
 */
export class NodejsFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  /** Size of the bundled `index.js`, reported by `make synth`. */
  readonly bundleBytes: number;
  /** The directory zipped into the function's asset. */
  readonly bundleDir: string;

  constructor(scope: Construct, id: string, options: NodejsFunctionOptions) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    // Bundles go to the app's output directory (cdktf.out/, a temp dir under Testing), never into the source tree.
    const bundle = bundleFunction(
      options.entry,
      path.join(App.of(this).outdir, 'bundles', stack.node.id, id),
      options.bundling,
      options.projectRoot,
      options.assets,
    );
    this.bundleBytes = bundle.bytes;
    this.bundleDir = bundle.dir;
    const asset = new TerraformAsset(this, 'code', { path: bundle.dir, type: AssetType.ARCHIVE });

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${options.functionName}`,
      retentionInDays: options.logRetentionDays,
    });

    this.role = new IamRole(this, 'role', {
      name: `${options.functionName}-${options.region}`,
      description: options.description,
      assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com'),
    });
    const policy = new IamRolePolicy(this, 'policy', {
      name: 'least-privilege',
      role: this.role.id,
      policy: toJson(policyDocument([writeLogs(this.logGroup.arn), ...options.statements])),
    });

    this.function = new LambdaFunction(this, 'function', {
      functionName: options.functionName,
      description: options.description,
      role: this.role.arn,
      runtime: 'nodejs22.x',
      architectures: [options.architecture],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      memorySize: options.memoryMb,
      timeout: options.timeoutSeconds,
      reservedConcurrentExecutions: options.reservedConcurrency,
      environment: { variables: options.environment },
      // JSON: the Powertools lines (and their embedded metrics) pass as they are, and Lambda's own lines are JSON too.
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      // The policy must exist before the first invocation can write logs or read its inputs.
      dependsOn: [policy],
    });
  }

  /**
   * Runs the function in the VPC of the api_subnet_ids / api_security_group_ids variables when they are set (a
   * database without a public address), with AWS's managed AWSLambdaVPCAccessExecutionRole for its network
   * interfaces; outside any VPC when they are empty. Both or neither: a precondition says so at plan time.
   */
  placeInVpc(vars: StackVariables, partition: string): void {
    const attachment = new IamRolePolicyAttachment(this, 'vpc-access', {
      role: this.role.name,
      policyArn: `arn:${partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
    });
    attachment.addOverride('count', `\${${vars.hcl.apiInVpc} ? 1 : 0}`);
    this.function.addOverride('dynamic.vpc_config', {
      for_each: `\${${vars.hcl.apiInVpc} ? [1] : []}`,
      content: {
        subnet_ids: vars.ref('apiSubnetIds'),
        security_group_ids: vars.ref('apiSecurityGroupIds'),
      },
    });
    this.function.addOverride('lifecycle.precondition', [
      {
        condition: `\${${vars.hcl.apiVpcComplete}}`,
        error_message: 'api_subnet_ids and api_security_group_ids go together: set both, or neither.',
      },
    ]);
    // Lambda checks the EC2 permissions when it attaches the function to the subnets.
    this.function.dependsOn = [
      ...(this.function.dependsOn ?? []),
      `${attachment.terraformResourceType}.${attachment.friendlyUniqueId}`,
    ];
  }
}
