/**
 * IAM policy documents as typed values. Policies are serialised with JSON.stringify: cdktf resolves the tokens
 * (`${aws_s3_bucket.runs.arn}`) inside the string, so the synthesized JSON holds an ordinary `jsonencode`-free
 * policy that tests can parse and inspect statement by statement.
 */
export type PolicyCondition = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string | string[];
  Principal?: '*' | { Service: string } | { AWS: string };
  Condition?: PolicyCondition;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** The only statements allowed to name `Resource: "*"`: the actions themselves do not support resource scoping. */
export const UNSCOPABLE_SIDS = ['StepFunctionsLogDelivery', 'XRayTraceDelivery'] as const;

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

export function toJson(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

/**
 * Trust policy for a role assumed by one AWS service. `sourceAccount` adds the confused-deputy guard that
 * Step Functions and EventBridge Scheduler document for their execution roles.
 */
export function assumeRolePolicy(service: string, sourceAccount?: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        Condition: sourceAccount ? { StringEquals: { 'aws:SourceAccount': sourceAccount } } : undefined,
      },
    ],
  });
}

export function allow(
  sid: string,
  actions: string[],
  resources: string[],
  condition?: PolicyCondition,
): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: actions,
    Resource: resources,
    Condition: condition,
  };
}

/** CreateLogStream/PutLogEvents on one log group's streams only. */
export function writeLogs(logGroupArn: string): PolicyStatement {
  return allow('WriteOwnLogGroup', ['logs:CreateLogStream', 'logs:PutLogEvents'], [`${logGroupArn}:*`]);
}

export type S3Access = 'read' | 'write' | 'delete' | 'abortMultipart';

const S3_ACTIONS: Record<S3Access, string> = {
  read: 's3:GetObject',
  write: 's3:PutObject',
  delete: 's3:DeleteObject',
  abortMultipart: 's3:AbortMultipartUpload',
};

/**
 * Object actions on `<bucket>/<prefix>*` plus ListBucket restricted to the same prefixes (without ListBucket a
 * missing key answers 403 instead of 404, which the handlers need to tell "not written yet" from "forbidden").
 */
export function s3PrefixAccess(
  sid: string,
  bucketArn: string,
  prefixes: string[],
  access: S3Access[],
): PolicyStatement[] {
  return [
    allow(
      `${sid}Objects`,
      access.map((a) => S3_ACTIONS[a]),
      prefixes.map((p) => `${bucketArn}/${p}*`),
    ),
    allow(`${sid}List`, ['s3:ListBucket'], [bucketArn], {
      StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) },
    }),
  ];
}

/**
 * What Step Functions needs to deliver execution logs to CloudWatch Logs. These are account-level log-delivery
 * APIs that do not support resource-level permissions, so AWS documents them with `Resource: "*"`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
 */
export function stepFunctionsLogDelivery(): PolicyStatement {
  return {
    Sid: UNSCOPABLE_SIDS[0],
    Effect: 'Allow',
    Action: [
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ],
    Resource: '*',
  };
}

/**
 * X-Ray trace delivery: these actions have no resource types, so `Resource: "*"` is the only valid value
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html).
 */
export function xrayTraceDelivery(): PolicyStatement {
  return {
    Sid: UNSCOPABLE_SIDS[1],
    Effect: 'Allow',
    Action: [
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
    ],
    Resource: '*',
  };
}
