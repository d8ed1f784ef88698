import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Construct } from 'constructs';
import {
  ENDED_STATUSES,
  EXECUTION_STATUS_CHANGE,
  STEP_FUNCTIONS_SOURCE,
} from '../../src/runtime/executionStatusEvent';
import type { NodejsFunction } from './NodejsFunction';

export interface RunImportRuleOptions {
  name: string;
  stateMachineArn: string;
  importer: NodejsFunction;
}

/**
 * An EventBridge rule on the default bus: every execution of the extraction machine that ends (SUCCEEDED,
 * FAILED, TIMED_OUT, ABORTED) invokes the run-importer, so a finished run is in the database when it finishes,
 * not at the API's next poll. Step Functions sends these events on its own: no state, no role, no change to the
 * definition. Lambda runs the invocation asynchronously and retries a failed import twice; the import resumes.
 */
export class RunImportRule extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  readonly permission: LambdaPermission;

  constructor(scope: Construct, id: string, options: RunImportRuleOptions) {
    super(scope, id);
    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: options.name,
      description: 'Imports a run into the database when its extraction execution ends',
      eventPattern: JSON.stringify({
        source: [STEP_FUNCTIONS_SOURCE],
        'detail-type': [EXECUTION_STATUS_CHANGE],
        detail: { stateMachineArn: [options.stateMachineArn], status: [...ENDED_STATUSES] },
      }),
    });
    this.target = new CloudwatchEventTarget(this, 'target', {
      rule: this.rule.name,
      targetId: 'run-importer',
      arn: options.importer.function.arn,
    });
    this.permission = new LambdaPermission(this, 'permission', {
      statementId: 'AllowRunImportRule',
      action: 'lambda:InvokeFunction',
      functionName: options.importer.function.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: this.rule.arn,
    });
  }
}
