import { PARQUET_FIELDS, TABLES } from '../src/archive/exportFormats';
import type { StateMachineDefinition } from '../statemachine/asl';
import { logicalId, resourceNamed, resourcesOf, statementsOf, synthStack } from './synth.testkit';
import type { Synthesized } from './synth.testkit';

jest.setTimeout(240_000);

let withArchive: Synthesized;
let without: Synthesized;

beforeAll(() => {
  withArchive = synthStack({ archive: { everyHours: 24 } });
  without = synthStack();
});

describe('Construct: ArchiveSync', () => {
  const machineId = () => logicalId(withArchive.tf, 'aws_sfn_state_machine', 'archive_state-machine');
  const fnArn = (name: string) =>
    `\${aws_lambda_function.${logicalId(withArchive.tf, 'aws_lambda_function', `${name}_function`)}.arn}`;
  const extraction = () =>
    `\${aws_sfn_state_machine.${logicalId(withArchive.tf, 'aws_sfn_state_machine', 'extraction')}.arn}`;

  it('schedules the sync state machine every 24 hours (while scheduled_run is archive-sync), with a role that may start only it', () => {
    const { tf } = withArchive;
    const schedule = resourceNamed(tf, 'aws_scheduler_schedule', 'archive_schedule') as {
      schedule_expression: string;
      state: string;
      target: { arn: string; input: string };
    };
    expect(schedule.schedule_expression).toBe('rate(24 hours)');
    expect(schedule.state).toBe('${var.scheduled_run == "archive-sync" ? "ENABLED" : "DISABLED"}');
    expect(schedule.target.arn).toBe(`\${aws_sfn_state_machine.${machineId()}.arn}`);
    expect(JSON.parse(schedule.target.input)).toEqual({});
    expect(statementsOf(tf, 'archive_schedule-policy')).toEqual([
      expect.objectContaining({
        Action: ['states:StartExecution'],
        Resource: [`\${aws_sfn_state_machine.${machineId()}.arn}`],
      }),
    ]);
    // The plain extraction schedule runs only when scheduled_run says so.
    expect(resourceNamed(tf, 'aws_scheduler_schedule', 'schedule_').state).toBe(
      '${var.schedule_expression != "" && !(var.scheduled_run == "archive-sync") ? "ENABLED" : "DISABLED"}',
    );
    expect(tf.variable.scheduled_run).toMatchObject({ type: 'string', default: 'archive-sync' });
  });

  it('defines the sync machine from statemachine/sync.ts over the two sync functions and the extraction machine', () => {
    const machine = resourceNamed(withArchive.tf, 'aws_sfn_state_machine', 'archive_state-machine') as {
      definition: string;
      logging_configuration: { include_execution_data: boolean };
    };
    const definition = JSON.parse(machine.definition) as StateMachineDefinition;
    expect(definition.States.PrepareSync).toMatchObject({
      Parameters: { FunctionName: fnArn('sync-prepare') },
    });
    expect(definition.States.CommitSync).toMatchObject({
      Parameters: { FunctionName: fnArn('sync-commit') },
    });
    expect(definition.States.Extract).toMatchObject({
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: { StateMachineArn: extraction() },
    });
    expect(machine.logging_configuration.include_execution_data).toBe(false);
    // No secret in a payload: the functions read the credentials from Secrets Manager.
    expect(machine.definition).not.toMatch(/secretsmanager|apiKey|passphrase/i);
  });

  it('lets the sync machine invoke its two functions, start and watch the extraction, and manage the .sync events rule', () => {
    const statements = statementsOf(withArchive.tf, 'archive_policy');
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.InvokeSyncFunctions!.Resource).toEqual([
      fnArn('sync-prepare'),
      `${fnArn('sync-prepare')}:*`,
      fnArn('sync-commit'),
      `${fnArn('sync-commit')}:*`,
    ]);
    expect(bySid.StartExtraction).toMatchObject({
      Action: ['states:StartExecution'],
      Resource: [extraction()],
    });
    expect(bySid.WatchExtraction!.Action).toEqual(['states:DescribeExecution', 'states:StopExecution']);
    expect(bySid.WatchExtraction!.Resource).toEqual([
      expect.stringMatching(
        /:execution:\$\{aws_sfn_state_machine\.extraction_state-machine_[0-9A-F]+\.name\}:\*$/,
      ),
    ]);
    expect(bySid.NestedExecutionEvents).toMatchObject({
      Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      Resource: [
        expect.stringMatching(
          /:events:ap-northeast-1:.*:rule\/StepFunctionsGetEventsForStepFunctionsExecutionRule$/,
        ),
      ],
    });
  });

  it('alarms on failed and timed-out sync executions', () => {
    const alarms = Object.values(resourcesOf(withArchive.tf, 'aws_cloudwatch_metric_alarm')).filter(
      (a) =>
        (a.dimensions as { StateMachineArn?: string } | undefined)?.StateMachineArn ===
        `\${aws_sfn_state_machine.${machineId()}.arn}`,
    );
    expect(alarms.map((a) => a.metric_name).sort()).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut']);
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual([
      'bitget-orders-archive-sync-ExecutionsFailed',
      'bitget-orders-archive-sync-ExecutionsTimedOut',
    ]);
  });

  it('lets sync-prepare read archive/ and write runs/, and sync-commit write archive/ and read runs/ and results/', () => {
    const resourcesOfFn = (name: string, action: string) =>
      statementsOf(withArchive.tf, `${name}_policy`)
        .filter((s) => s.Action.includes(action))
        .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect(
      resourcesOfFn('sync-prepare', 's3:PutObject').map((r) => r.replace(/^.*\/([a-z]+)\/\*$/, '$1')),
    ).toEqual(['runs']);
    expect(resourcesOfFn('sync-prepare', 's3:DeleteObject')).toEqual([]);
    expect(
      resourcesOfFn('sync-commit', 's3:PutObject').map((r) => r.replace(/^.*\/([a-z]+)\/\*$/, '$1')),
    ).toEqual(['archive']);
    expect(
      resourcesOfFn('sync-commit', 's3:DeleteObject').map((r) => r.replace(/^.*\/([a-z]+)\/\*$/, '$1')),
    ).toEqual(['archive']);
    expect(
      resourcesOfFn('sync-commit', 's3:GetObject')
        .map((r) => r.replace(/^.*\/([a-z]+)\/\*$/, '$1'))
        .sort(),
    ).toEqual(['archive', 'results', 'runs']);
    for (const name of ['sync-prepare', 'sync-commit'])
      expect(resourcesOfFn(name, 'secretsmanager:GetSecretValue')).toHaveLength(1);
  });

  it('puts a Parquet Glue table over archive/<uid>/parquet/orders/<yyyy>/ with projected partitions', () => {
    const table = resourceNamed(withArchive.tf, 'aws_glue_catalog_table', 'archive_glue-orders') as {
      name: string;
      parameters: Record<string, string>;
      partition_keys: { name: string }[];
      storage_descriptor: {
        location: string;
        input_format: string;
        ser_de_info: { serialization_library: string };
        columns: { name: string; type: string }[];
      };
    };
    expect(table.name).toBe('orders');
    expect(table.parameters['projection.enabled']).toBe('true');
    expect(table.parameters['storage.location.template']).toMatch(
      /\/archive\/\$\{uid\}\/parquet\/orders\/\$\{year\}\/$/,
    );
    expect(table.partition_keys.map((k) => k.name)).toEqual(['uid', 'year']);
    expect(table.parameters['classification']).toBe('parquet');
    expect(table.storage_descriptor.ser_de_info.serialization_library).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    expect(table.storage_descriptor.input_format).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    );
    // every column of the files the sync writes, with its type
    expect(table.storage_descriptor.columns.map((c) => c.name)).toEqual(Object.keys(PARQUET_FIELDS));
    expect(table.storage_descriptor.columns.find((c) => c.name === 'cTime')?.type).toBe('bigint');
    expect(table.storage_descriptor.columns.find((c) => c.name === 'reduceOnly')?.type).toBe('boolean');
    expect(table.storage_descriptor.columns.find((c) => c.name === 'raw')?.type).toBe('string');
  });

  it('puts a table over the fills and one over the ledger beside it, each with its Parquet columns', () => {
    for (const dataset of ['fills', 'ledger'] as const) {
      const table = resourceNamed(withArchive.tf, 'aws_glue_catalog_table', `archive_glue-${dataset}`) as {
        name: string;
        parameters: Record<string, string>;
        storage_descriptor: { columns: { name: string; type: string }[] };
      };
      expect(table.name).toBe(dataset);
      expect(table.parameters['storage.location.template']).toMatch(
        new RegExp(`/archive/\\$\\{uid\\}/parquet/${dataset}/\\$\\{year\\}/$`),
      );
      expect(table.storage_descriptor.columns.map((c) => c.name)).toEqual(
        Object.keys(TABLES[dataset].parquetFields),
      );
      expect(table.storage_descriptor.columns.find((c) => c.name === 'cTime')?.type).toBe('bigint');
      expect(table.storage_descriptor.columns.every((c) => c.type === 'string' || c.name === 'cTime')).toBe(
        true,
      );
    }
  });

  it('keeps archive/ forever while runs/ expires', () => {
    const lifecycle = Object.values(
      resourcesOf(withArchive.tf, 'aws_s3_bucket_lifecycle_configuration'),
    )[0] as {
      rule: { id: string; filter: { prefix?: string }[]; expiration?: { days?: number }[] }[];
    };
    const expiring = lifecycle.rule.filter((r) => r.expiration?.some((e) => e.days !== undefined));
    expect(expiring.map((r) => r.filter[0]?.prefix)).toContain('runs/');
    expect(
      expiring.some((r) => (r.filter[0]?.prefix ?? '') === '' || 'archive/'.startsWith(r.filter[0]!.prefix!)),
    ).toBe(false);
  });

  it('is absent unless asked for, and the extraction schedule then ignores scheduled_run', () => {
    expect(resourcesOf(without.tf, 'aws_glue_catalog_table')).toEqual({});
    expect(Object.keys(resourcesOf(without.tf, 'aws_sfn_state_machine'))).toHaveLength(1);
    expect(resourceNamed(without.tf, 'aws_scheduler_schedule', 'schedule_').state).toBe(
      '${var.schedule_expression != "" ? "ENABLED" : "DISABLED"}',
    );
  });
});
