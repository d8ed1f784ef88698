import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';

export interface AlarmsOptions {
  namePrefix: string;
  stateMachineArn: string;
  /** Function names by their short name (`symbol-processor` → `bitget-orders-symbol-processor`). */
  functionNames: Record<string, string>;
  /** Create an SNS topic for the alarms (and subscribe `email` to it when given). */
  topic: boolean;
  email?: string;
}

/**
 * Failed or timed-out executions, and errors of each function, over five minutes. Missing data is "not breaching":
 * no runs, no alarm. With a topic the alarms notify it (an e-mail subscription must be confirmed once).
 */
export class Alarms extends Construct {
  readonly topic: SnsTopic | undefined;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, options: AlarmsOptions) {
    super(scope, id);
    if (options.topic) {
      this.topic = new SnsTopic(this, 'topic', { name: `${options.namePrefix}-alarms` });
      if (options.email) {
        new SnsTopicSubscription(this, 'email', {
          topicArn: this.topic.arn,
          protocol: 'email',
          endpoint: options.email,
        });
      }
    }
    const actions = this.topic ? { alarmActions: [this.topic.arn], okActions: [this.topic.arn] } : {};
    const common = {
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      ...actions,
    };

    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `states-${metric}`, {
          alarmName: `${options.namePrefix}-extraction-${metric}`,
          alarmDescription: `An extraction execution ended ${metric === 'ExecutionsFailed' ? 'failed' : 'timed out'}`,
          namespace: 'AWS/States',
          metricName: metric,
          dimensions: { StateMachineArn: options.stateMachineArn },
          ...common,
        }),
      );
    }
    for (const [shortName, functionName] of Object.entries(options.functionNames)) {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `errors-${shortName}`, {
          alarmName: `${functionName}-errors`,
          alarmDescription: `The ${shortName} function returned errors`,
          namespace: 'AWS/Lambda',
          metricName: 'Errors',
          dimensions: { FunctionName: functionName },
          ...common,
        }),
      );
    }
  }
}
