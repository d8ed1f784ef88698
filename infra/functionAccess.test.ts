import { FUNCTION_ACCESS, functionEnvironment } from './functionAccess';
import type { FunctionContext } from './functionAccess';
import { FUNCTION_NAMES } from './functions';

const beforeMachine: FunctionContext = {
  bitgetBaseUrl: 'https://api.bitget.com',
  serviceName: 'bitget-orders',
  bucket: { arn: 'arn:aws:s3:::runs', name: 'runs' },
  bitgetSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:1:secret:bitget',
  databaseSecretArn: undefined,
};
const withMachine: FunctionContext = {
  ...beforeMachine,
  databaseSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:1:secret:database',
  machine: { arn: 'arn:aws:states:ap-northeast-1:1:stateMachine:x', executionsArn: 'arn:execution:x:*' },
};

describe('FUNCTION_ACCESS', () => {
  it('refuses to build the grants of a function that starts the machine before the machine exists', () => {
    expect(() => FUNCTION_ACCESS.coordinator.statements(beforeMachine)).toThrow(
      'coordinator is created before the state machine it needs',
    );
    expect(() => functionEnvironment('coordinator', beforeMachine)).toThrow(
      'coordinator is created before the state machine it needs',
    );
  });

  it('refuses to build the api without the database URL secret it reads', () => {
    const noSecret = { ...withMachine, databaseSecretArn: undefined };
    expect(() => FUNCTION_ACCESS.api.statements(noSecret)).toThrow(
      'api is created without the database URL secret it reads',
    );
  });

  it('gives exactly the functions that sign Bitget requests the Bitget secret, in their grants and environment', () => {
    const reading = FUNCTION_NAMES.filter((name) =>
      FUNCTION_ACCESS[name]
        .statements(withMachine)
        .some((s) => s.Sid === 'ReadBitgetCredentials' && s.Resource.includes(withMachine.bitgetSecretArn)),
    );
    const told = FUNCTION_NAMES.filter(
      (name) => functionEnvironment(name, withMachine).BITGET_SECRET_ARN === withMachine.bitgetSecretArn,
    );
    expect(reading).toEqual([
      'time-range-mapper',
      'symbol-searcher',
      'symbol-processor',
      'sync-prepare',
      'sync-commit',
    ]);
    expect(told).toEqual(reading);
  });
});
