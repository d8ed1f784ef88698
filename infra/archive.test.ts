import { PARQUET_FIELDS } from '../src/archive/exportFormats';
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
  it('schedules the archive-sync function every 24 hours with a role that may invoke only it', () => {
    const { tf } = withArchive;
    const fnId = logicalId(tf, 'aws_lambda_function', 'archive_archive-sync');
    const schedule = resourceNamed(tf, 'aws_scheduler_schedule', 'archive_schedule') as {
      schedule_expression: string;
      target: { arn: string };
    };
    expect(schedule.schedule_expression).toBe('rate(24 hours)');
    expect(schedule.target.arn).toBe(`\${aws_lambda_function.${fnId}.arn}`);
    expect(statementsOf(tf, 'archive_schedule-policy')).toEqual([
      expect.objectContaining({
        Action: ['lambda:InvokeFunction'],
        Resource: [`\${aws_lambda_function.${fnId}.arn}`],
      }),
    ]);
  });

  it('lets the sync function write archive/ and read results/, start and describe the machine, read the Bitget secret', () => {
    const statements = statementsOf(withArchive.tf, 'archive_archive-sync');
    const resources = statements.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect(resources.some((r) => r.endsWith('/archive/*'))).toBe(true);
    expect(resources.some((r) => r.endsWith('/results/*'))).toBe(true);
    expect(statements.flatMap((s) => s.Action)).toEqual(
      expect.arrayContaining([
        'states:StartExecution',
        'states:DescribeExecution',
        'secretsmanager:GetSecretValue',
      ]),
    );
    expect(resources.some((r) => r.endsWith('/runs/*'))).toBe(false);
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

  it('is absent unless asked for', () => {
    expect(resourcesOf(without.tf, 'aws_glue_catalog_table')).toEqual({});
  });
});
