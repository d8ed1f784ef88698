import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingConfigurationError } from '../config/errors';
import { countExecutions } from '../db';
import { SfnEngine } from '../engines/SfnEngine';
import { runImporterFromEnv } from './runImporterFunction';

const MACHINE = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:bitget-orders-extraction';

describe('runImporterFromEnv: the run-importer built from its environment', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'run-importer-env-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [{}, 'STATE_MACHINE_ARN'],
    [{ STATE_MACHINE_ARN: MACHINE }, 'BUCKET_NAME'],
    [{ STATE_MACHINE_ARN: MACHINE, BUCKET_NAME: 'runs' }, 'DATABASE_URL or DATABASE_SECRET_ARN'],
  ])('refuses to start with %j, naming %s', async (env, variable) => {
    const built = runImporterFromEnv(env);
    await expect(built).rejects.toThrow(MissingConfigurationError);
    await expect(built).rejects.toThrow(
      `environment variable ${variable} is required by the run-importer function`,
    );
  });

  it("describes the machine's executions through Step Functions and writes the database it is given", async () => {
    const deps = await runImporterFromEnv({
      STATE_MACHINE_ARN: MACHINE,
      BUCKET_NAME: 'runs',
      DATABASE_URL: `sqlite:${join(dir, 'orders.sqlite')}`,
    });
    try {
      expect(deps.engine).toBeInstanceOf(SfnEngine);
      expect(deps.stateMachineArn).toBe(MACHINE);
      expect(deps.bucket).toBe('runs');
      expect(await deps.s3.config.region()).toBe('ap-northeast-1');
      expect(await countExecutions(deps.db)).toBe(0);
    } finally {
      await deps.db.close();
    }
  });
});
