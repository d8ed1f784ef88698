import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Construct } from 'constructs';
import { buildExtractionStateMachine } from '../../statemachine/extraction';
import type { TaskLambdaName } from '../../statemachine/extraction';
import {
  allow,
  assumeRolePolicy,
  policyDocument,
  stepFunctionsLogDelivery,
  toJson,
  xrayTraceDelivery,
} from '../iam';

export interface ExtractionStateMachineOptions {
  name: string;
  region: string;
  accountId: string;
  /** Unqualified ARNs (tokens) of the five functions the definition invokes. */
  functionArns: Record<TaskLambdaName, string>;
  /** ALL, ERROR or FATAL (the state_machine_log_level variable). */
  logLevel: string;
  logRetentionDays: number;
  /** MaxConcurrency of the lane Maps and of the window Map, as text spliced into the definition (variables). */
  laneConcurrency: string;
  windowConcurrency: string;
}

/**
 * Stand-ins for the Map concurrencies while the definition is built: the builder takes numbers, the stack has
 * Terraform variables. They are replaced in the JSON text by `${var.…}`, which Terraform renders as a bare number.
 */
const LANE_PLACEHOLDER = 987_654_301;
const WINDOW_PLACEHOLDER = 987_654_302;

/** The definition JSON with each placeholder MaxConcurrency replaced by `text` (every occurrence, checked). */
export function spliceConcurrency(json: string, placeholder: number, text: string): string {
  const needle = `"MaxConcurrency":${placeholder}`;
  if (!json.includes(needle))
    throw new Error(`the definition has no MaxConcurrency placeholder ${placeholder}`);
  return json.split(needle).join(`"MaxConcurrency":${text}`);
}

/**
 * The STANDARD state machine built from statemachine/extraction.ts, with its role (invoke the five task functions,
 * deliver logs, send traces), execution logs in CloudWatch without payloads, and X-Ray tracing.
 */
export class ExtractionStateMachine extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, options: ExtractionStateMachineOptions) {
    super(scope, id);
    // `/aws/vendedlogs/` keeps the account's CloudWatch Logs resource policy from growing per log group.
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/vendedlogs/states/${options.name}`,
      retentionInDays: options.logRetentionDays,
    });

    this.role = new IamRole(this, 'role', {
      name: `${options.name}-sfn-${options.region}`,
      description: 'Step Functions: invokes the five extraction functions, delivers logs and traces',
      assumeRolePolicy: assumeRolePolicy('states.amazonaws.com', options.accountId),
    });
    const arns = Object.values(options.functionArns);
    const policy = new IamRolePolicy(this, 'policy', {
      name: 'least-privilege',
      role: this.role.id,
      policy: toJson(
        policyDocument([
          allow(
            'InvokeExtractionFunctions',
            ['lambda:InvokeFunction'],
            arns.flatMap((arn) => [arn, `${arn}:*`]),
          ),
          stepFunctionsLogDelivery(),
          xrayTraceDelivery(),
        ]),
      ),
    });

    const definition = buildExtractionStateMachine({
      functionArns: options.functionArns,
      laneConcurrency: LANE_PLACEHOLDER,
      windowConcurrency: WINDOW_PLACEHOLDER,
    });
    const json = spliceConcurrency(
      spliceConcurrency(JSON.stringify(definition), LANE_PLACEHOLDER, options.laneConcurrency),
      WINDOW_PLACEHOLDER,
      options.windowConcurrency,
    );
    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name: options.name,
      type: 'STANDARD',
      roleArn: this.role.arn,
      // cdktf resolves the function ARN and variable tokens inside the string into Terraform references.
      definition: json,
      loggingConfiguration: {
        level: options.logLevel,
        // Payloads hold order data: execution history keeps them, the logs do not.
        includeExecutionData: false,
        logDestination: `${this.logGroup.arn}:*`,
      },
      tracingConfiguration: { enabled: true },
      // Step Functions checks the role's permissions when the machine is created.
      dependsOn: [policy],
    });
  }
}
