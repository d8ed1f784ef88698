import { UNSCOPABLE_SIDS } from './iam';
import type { PolicyStatement } from './iam';
import {
  asList,
  logicalId,
  policiesOf,
  referencesIn,
  resourcesOf,
  statementsOf,
  synthStack,
} from './synth.testkit';
import type { Synthesized, TerraformJson } from './synth.testkit';

let full: Synthesized;

beforeAll(() => {
  full = synthStack({
    api: { enabled: true },
    schedule: { expression: 'rate(6 hours)', request: {} },
    alarms: { email: 'ops@example.com' },
  });
});

const ref = (tf: TerraformJson, type: string, prefix: string, attribute = 'arn'): string =>
  `\${${type}.${logicalId(tf, type, prefix)}.${attribute}}`;

/** Action → resources, for comparing a role's grants regardless of statement layout. */
function grants(statements: PolicyStatement[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of statements) {
    for (const action of s.Action) out[action] = [...(out[action] ?? []), ...asList(s.Resource)].sort();
  }
  return out;
}

/**
 * The literal shapes a resource may take once its Terraform references are replaced by `R` (one of this stack's
 * resources) or `D` (the account/region/partition data sources): the resource itself, its log streams, its keys
 * (all of them only in the TLS-only Deny), its keys under runs/ or results/, its function versions, or the executions of its state machine.
 */
const RESOURCE_SHAPES = [
  /^R$/,
  /^R:\*$/,
  /^R\/\*$/,
  /^R\/(runs|results|archive)\/\*$/,
  /^arn:D:states:D:D:execution:R:\*$/,
];

describe('IAM: least privilege', () => {
  it('lets no role delete an object or an object version (no code deletes; lifecycle rules expire runs/)', () => {
    const deleting = policiesOf(full.tf).flatMap(({ address, document }) =>
      document.Statement.filter((s) => s.Effect === 'Allow')
        .flatMap((s) => s.Action)
        .filter((a) => /^s3:Delete/.test(a))
        .map((action) => ({ address, action })),
    );
    expect(deleting).toEqual([]);
  });

  it('never grants a wildcard action (Deny statements aside)', () => {
    for (const { address, document } of policiesOf(full.tf)) {
      for (const statement of document.Statement) {
        if (statement.Effect === 'Deny') continue;
        for (const action of statement.Action) {
          expect({ address, action, wildcard: action.includes('*') }).toEqual({
            address,
            action,
            wildcard: false,
          });
        }
      }
    }
  });

  it('uses an action wildcard only in the bucket policy that denies plain HTTP', () => {
    const denies = policiesOf(full.tf).flatMap(({ address, document }) =>
      document.Statement.filter((s) => s.Effect === 'Deny').map((s) => ({ address, sid: s.Sid })),
    );
    expect(denies).toEqual([
      { address: expect.stringMatching(/^aws_s3_bucket_policy\./), sid: 'DenyInsecureTransport' },
    ]);
  });

  it('names only this stack’s resources, except the documented log-delivery and X-Ray statements', () => {
    const stackResources = new Set(
      Object.entries(full.tf.resource).flatMap(([type, byId]) =>
        Object.keys(byId).map((id) => `${type}.${id}`),
      ),
    );
    const dataSources = new Set(
      Object.entries(full.tf.data).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`)),
    );
    const unscoped: string[] = [];
    for (const { address, document } of policiesOf(full.tf)) {
      for (const statement of document.Statement) {
        for (const resource of asList(statement.Resource)) {
          if (resource === '*') {
            unscoped.push(statement.Sid ?? '(no sid)');
            continue;
          }
          const refs = referencesIn(resource);
          for (const r of refs) {
            const known = r.kind === 'data' ? dataSources : stackResources;
            expect({ address, resource, known: known.has(`${r.type}.${r.id}`) }).toEqual({
              address,
              resource,
              known: true,
            });
          }
          const shape = resource.replace(/\$\{data\.[^}]+\}/g, 'D').replace(/\$\{[^}]+\}/g, 'R');
          expect({ address, resource, matches: RESOURCE_SHAPES.some((p) => p.test(shape)) }).toEqual({
            address,
            resource,
            matches: true,
          });
        }
      }
    }
    // Only the state machine role holds them, once each.
    expect(unscoped.sort()).toEqual([...UNSCOPABLE_SIDS].sort());
    const machineStatements = statementsOf(full.tf, 'extraction_policy');
    expect(machineStatements.filter((s) => s.Resource === '*').map((s) => s.Sid)).toEqual([
      ...UNSCOPABLE_SIDS,
    ]);
  });

  it('lets each role write only to its own log group', () => {
    for (const [id, policy] of Object.entries(resourcesOf(full.tf, 'aws_iam_role_policy'))) {
      const name = id.replace(/_policy_[0-9A-F]+$/, '');
      if (name === 'extraction' || name === 'schedule') continue;
      const statements = (JSON.parse(policy.policy as string) as { Statement: PolicyStatement[] }).Statement;
      expect(grants(statements)['logs:PutLogEvents']).toEqual([
        `${ref(full.tf, 'aws_cloudwatch_log_group', `${name}_logs`)}:*`,
      ]);
    }
  });

  describe('per role', () => {
    const bucket = (): string => ref(full.tf, 'aws_s3_bucket', 'runs_bucket');
    const secret = (): string => ref(full.tf, 'aws_secretsmanager_secret', 'bitget-credentials');
    const machine = (): string => ref(full.tf, 'aws_sfn_state_machine', 'extraction');
    const logs = (name: string): string[] => [
      `${ref(full.tf, 'aws_cloudwatch_log_group', `${name}_logs`)}:*`,
    ];

    it('coordinator: starts this state machine, nothing else', () => {
      expect(grants(statementsOf(full.tf, 'coordinator_policy'))).toEqual({
        'logs:CreateLogStream': logs('coordinator'),
        'logs:PutLogEvents': logs('coordinator'),
        'states:StartExecution': [machine()],
      });
    });

    it.each(['time-range-mapper', 'symbol-searcher', 'symbol-processor'])(
      '%s: reads and writes runs/ and reads the Bitget secret',
      (name) => {
        const statements = statementsOf(full.tf, `${name}_policy`);
        expect(grants(statements)).toEqual({
          'logs:CreateLogStream': logs(name),
          'logs:PutLogEvents': logs(name),
          's3:GetObject': [`${bucket()}/runs/*`],
          's3:PutObject': [`${bucket()}/runs/*`],
          's3:ListBucket': [bucket()],
          'secretsmanager:GetSecretValue': [secret()],
        });
        const list = statements.find((s) => s.Action.includes('s3:ListBucket'));
        expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': ['runs/*'] } });
      },
    );

    it('symbol-unifier: reads and writes runs/, no secret (it never calls Bitget)', () => {
      expect(grants(statementsOf(full.tf, 'symbol-unifier_policy'))).toEqual({
        'logs:CreateLogStream': logs('symbol-unifier'),
        'logs:PutLogEvents': logs('symbol-unifier'),
        's3:GetObject': [`${bucket()}/runs/*`],
        's3:PutObject': [`${bucket()}/runs/*`],
        's3:ListBucket': [bucket()],
      });
    });

    it('result-collector: reads and writes runs/ and results/, lists both prefixes, deletes nothing', () => {
      const statements = statementsOf(full.tf, 'result-collector_policy');
      const objects = [`${bucket()}/results/*`, `${bucket()}/runs/*`];
      expect(grants(statements)).toEqual({
        'logs:CreateLogStream': logs('result-collector'),
        'logs:PutLogEvents': logs('result-collector'),
        's3:GetObject': objects,
        's3:PutObject': objects,
        's3:AbortMultipartUpload': objects,
        's3:ListBucket': [bucket()],
      });
      const list = statements.find((s) => s.Action.includes('s3:ListBucket'));
      expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': ['runs/*', 'results/*'] } });
    });

    it('api: starts, lists, describes and stops this machine’s executions, reads runs/ (progress), archive/ and results/, writes results/ (derived CSV and Parquet), reads its database URL', () => {
      const executions = `arn:\${data.aws_partition.partition.partition}:states:\${data.aws_region.region.region}:\${data.aws_caller_identity.account.account_id}:execution:${ref(full.tf, 'aws_sfn_state_machine', 'extraction', 'name')}:*`;
      expect(grants(statementsOf(full.tf, 'api_policy'))).toEqual({
        'logs:CreateLogStream': logs('api'),
        'logs:PutLogEvents': logs('api'),
        's3:GetObject': [`${bucket()}/archive/*`, `${bucket()}/results/*`, `${bucket()}/runs/*`],
        's3:PutObject': [`${bucket()}/results/*`],
        // Twice: once per grant, each conditioned on its own prefixes (runs/ and archive/; results/).
        's3:ListBucket': [bucket(), bucket()],
        'states:StartExecution': [machine()],
        'states:ListExecutions': [machine()],
        'states:DescribeExecution': [executions],
        'states:StopExecution': [executions],
        'secretsmanager:GetSecretValue': [ref(full.tf, 'aws_secretsmanager_secret', 'database-url')],
      });
    });

    it('state machine: invokes exactly the five task functions (and their versions)', () => {
      const statements = statementsOf(full.tf, 'extraction_policy');
      const invoked = grants(statements)['lambda:InvokeFunction'];
      const expected = [
        'time-range-mapper',
        'symbol-searcher',
        'symbol-unifier',
        'symbol-processor',
        'result-collector',
      ]
        .map((n) => ref(full.tf, 'aws_lambda_function', `${n}_function`))
        .flatMap((arn) => [arn, `${arn}:*`])
        .sort();
      expect(invoked).toEqual(expected);
      expect(statements.map((s) => s.Sid)).toEqual(['InvokeExtractionFunctions', ...UNSCOPABLE_SIDS]);
    });

    it('schedule: starts this state machine only', () => {
      expect(grants(statementsOf(full.tf, 'schedule_policy'))).toEqual({
        'states:StartExecution': [machine()],
      });
    });
  });

  it('pins the service roles’ trust to this account', () => {
    for (const prefix of ['extraction_role', 'schedule_role']) {
      const role = Object.entries(resourcesOf(full.tf, 'aws_iam_role')).find(([id]) =>
        id.startsWith(prefix),
      )![1];
      const trust = JSON.parse(role.assume_role_policy as string);
      expect(trust.Statement[0].Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': '${data.aws_caller_identity.account.account_id}' },
      });
    }
  });
});
