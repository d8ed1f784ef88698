import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { Construct } from 'constructs';
import type { ExtractionRequest } from '../../src/core/request';
import { allow, assumeRolePolicy, policyDocument, toJson } from '../iam';

export interface ExtractionScheduleOptions {
  name: string;
  region: string;
  accountId: string;
  stateMachineArn: string;
  /** A Scheduler expression (`rate(6 hours)`, `cron(…)`), from the schedule_expression variable. */
  expression: string;
  /** ENABLED or DISABLED. */
  state: string;
  /** Already normalised (parseExtractionRequest): the definition reads `$.request.order` and friends. */
  request: ExtractionRequest;
}

/**
 * EventBridge Scheduler starting the state machine directly on the `schedule_expression` variable: no Lambda in between, and Scheduler's
 * retry policy covers a failed StartExecution. The run id is Scheduler's execution id (`<aws.scheduler.execution-id>`,
 * unique per invocation), so scheduled runs never share `runs/<runId>/` in the bucket.
 */
export class ExtractionSchedule extends Construct {
  readonly schedule: SchedulerSchedule;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, options: ExtractionScheduleOptions) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: `${options.name}-${options.region}`,
      description: 'EventBridge Scheduler: starts the extraction state machine',
      assumeRolePolicy: assumeRolePolicy('scheduler.amazonaws.com', options.accountId),
    });
    new IamRolePolicy(this, 'policy', {
      name: 'least-privilege',
      role: this.role.id,
      policy: toJson(
        policyDocument([allow('StartExtraction', ['states:StartExecution'], [options.stateMachineArn])]),
      ),
    });
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name: options.name,
      description: 'Starts an extraction (schedule_expression; disabled while it is empty)',
      scheduleExpression: options.expression,
      state: options.state,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: options.stateMachineArn,
        roleArn: this.role.arn,
        input: JSON.stringify({ runId: '<aws.scheduler.execution-id>', request: options.request }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });
  }
}
