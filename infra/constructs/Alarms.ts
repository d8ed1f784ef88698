import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { ENDPOINT_DIMENSION, LANE_ENDPOINTS, LANE_METRICS } from '../../src/observability/metricNames';

export interface AlarmsOptions {
  namePrefix: string;
  stateMachineArn: string;
  /** The archive's sync state machine, when the stack has the archive: its failures alarm too. */
  syncStateMachineArn?: string;
  /** Function names by their short name (`symbol-processor` → `bitget-orders-symbol-processor`). */
  functionNames: Record<string, string>;
  /** The address subscribed to the topic (the alarm_email variable)… */
  email: string;
  /** …when this HCL condition holds. */
  subscribeEmail: string;
  /** Where the functions publish their own metrics (POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME). */
  metrics: { namespace: string; service: string };
}

/** 429s over five minutes that call for a look: the limiters keep below Bitget's budget, so a few are noise. */
export const HTTP_429_ALARM_THRESHOLD = 20;

/**
 * Failed or timed-out executions, errors of each function, and the functions' own metrics (src/observability):
 * Bitget's 429s, lanes that failed and circuits that opened, each summed over every endpoint, over five minutes.
 * Missing data is "not breaching": no runs, no alarm. The alarms notify an SNS topic; an e-mail subscription must
 * be confirmed once.
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

    const machines = [
      { id: 'states', name: 'extraction', what: 'An extraction', arn: options.stateMachineArn },
      ...(options.syncStateMachineArn
        ? [
            {
              id: 'sync-states',
              name: 'archive-sync',
              what: 'An archive sync',
              arn: options.syncStateMachineArn,
            },
          ]
        : []),
    ];
    for (const machine of machines)
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        this.alarms.push(
          new CloudwatchMetricAlarm(this, `${machine.id}-${metric}`, {
            alarmName: `${options.namePrefix}-${machine.name}-${metric}`,
            alarmDescription: `${machine.what} execution ended ${metric === 'ExecutionsFailed' ? 'failed' : 'timed out'}`,
            namespace: 'AWS/States',
            metricName: metric,
            dimensions: { StateMachineArn: machine.arn },
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
    // The lane metrics carry an `endpoint` dimension; an alarm on all of them sums one query per endpoint.
    const acrossEndpoints = (
      id: string,
      metric: string,
      threshold: number,
      description: string,
    ): CloudwatchMetricAlarm =>
      new CloudwatchMetricAlarm(this, id, {
        alarmName: `${options.namePrefix}-${id}`,
        alarmDescription: description,
        evaluationPeriods: 1,
        threshold,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        ...actions,
        metricQuery: [
          ...LANE_ENDPOINTS.map((endpoint, i) => ({
            id: `m${i}`,
            returnData: false,
            metric: {
              namespace: options.metrics.namespace,
              metricName: metric,
              dimensions: { service: options.metrics.service, [ENDPOINT_DIMENSION]: endpoint },
              period: 300,
              stat: 'Sum',
            },
          })),
          { id: 'total', expression: 'SUM(METRICS())', label: `${metric}, every endpoint`, returnData: true },
        ],
      });
    this.alarms.push(
      acrossEndpoints(
        'bitget-429s',
        LANE_METRICS.http429,
        HTTP_429_ALARM_THRESHOLD,
        `Bitget answered 429 at least ${HTTP_429_ALARM_THRESHOLD} times in five minutes: another client shares the account's budget, or a limit is set too high`,
      ),
      acrossEndpoints(
        'lane-failures',
        LANE_METRICS.laneFailures,
        1,
        'A lane stopped on an error (fatal: auth, permission, parameters; or a checkpoint that could not be written)',
      ),
      acrossEndpoints(
        'circuits-opened',
        LANE_METRICS.circuitsOpened,
        1,
        'A cursor kept failing and its circuit opened: the run will be incomplete until it is resumed',
      ),
    );
  }
}
