import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';

export interface AlarmsOptions {
  namePrefix: string;
  stateMachineArn: string;
  /** Function names by their short name (`symbol-processor` → `bitget-orders-symbol-processor`). */
  functionNames: Record<string, string>;
  /** The address subscribed to the topic (the alarm_email variable)… */
  email: string;
  /** …when this HCL condition holds. */
  subscribeEmail: string;
}

/**
 * Failed or timed-out executions, and errors of each function, over five minutes. Missing data is "not breaching":
 * no runs, no alarm. The alarms notify an SNS topic; an e-mail subscription must be confirmed once.
 */
export class Alarms extends Construct {
  readonly topic: SnsTopic;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, options: AlarmsOptions) {
    super(scope, id);
    // A topic without subscribers costs nothing: it is always there, so setting alarm_email later only subscribes.
    this.topic = new SnsTopic(this, 'topic', { name: `${options.namePrefix}-alarms` });
    const subscription = new SnsTopicSubscription(this, 'email', {
      topicArn: this.topic.arn,
      protocol: 'email',
      endpoint: options.email,
    });
    subscription.addOverride('count', `\${${options.subscribeEmail} ? 1 : 0}`);
    const actions = { alarmActions: [this.topic.arn], okActions: [this.topic.arn] };
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
