import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ExecutionNotFoundError } from '../core/errors';
import { InvalidExecutionDataError } from './errors';
import { SfnEngine, newRunName } from './SfnEngine';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:bitget-orders';
const arnOf = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:bitget-orders:${name}`;
const request = {
  symbols: ['BTCUSDT'],
  markets: ['spot' as const],
  kinds: ['normal' as const],
  order: 'asc' as const,
  datasets: ['orders' as const, 'fills' as const, 'ledger' as const],
};
const output = {
  bucket: 'results-bucket',
  runId: 'run-1',
  ordersJsonlKey: 'results/run-1/orders.jsonl',
  ordersJsonKey: 'results/run-1/orders.json',
  summaryKey: 'results/run-1/summary.json',
  complete: true,
  orders: 42,
};

function described(name: string, overrides: Record<string, unknown> = {}) {
  return {
    executionArn: arnOf(name),
    stateMachineArn: MACHINE,
    name,
    status: 'SUCCEEDED',
    startDate: new Date('2024-01-01T00:00:00Z'),
    stopDate: new Date('2024-01-01T00:02:03Z'),
    input: JSON.stringify({ runId: name, request }),
    output: JSON.stringify(output),
    ...overrides,
  };
}

describe('SfnEngine', () => {
  let send: jest.SpyInstance;
  const client = new SFNClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const engine = new SfnEngine({ stateMachineArn: MACHINE, client });
  beforeEach(() => {
    send = jest.spyOn(SFNClient.prototype, 'send');
  });
  afterEach(() => jest.restoreAllMocks());

  it('starts an execution whose input carries the run id and the validated request', async () => {
    send.mockResolvedValueOnce({ executionArn: arnOf('run-a'), startDate: new Date(5) });
    const started = await engine.start({ ...request, symbols: ['btcusdt_umcbl'] }, 'run-a');
    const command = send.mock.calls[0][0] as StartExecutionCommand;
    expect(command).toBeInstanceOf(StartExecutionCommand);
    expect(command.input.stateMachineArn).toBe(MACHINE);
    expect(JSON.parse(command.input.input!)).toEqual({
      runId: 'run-a',
      request: { ...request, symbols: ['BTCUSDT'] },
    });
    expect(started).toEqual({ executionArn: arnOf('run-a'), name: 'run-a', startDate: new Date(5) });
  });

  it('resumes a run id that already has an execution under a fresh execution name, same run id', async () => {
    send
      .mockRejectedValueOnce(Object.assign(new Error('exists'), { name: 'ExecutionAlreadyExists' }))
      .mockImplementationOnce(async (command: StartExecutionCommand) => ({
        executionArn: arnOf(command.input.name!),
        startDate: new Date(6),
      }));
    const started = await engine.start(request, 'run-a');
    const second = send.mock.calls[1][0] as StartExecutionCommand;
    expect(second.input.name).toMatch(/^run-a-r[0-9a-z]+$/);
    expect(JSON.parse(second.input.input!).runId).toBe('run-a');
    expect(started.name).toBe(second.input.name);
  });

  it('names a run after the time it started when no name is given', async () => {
    send.mockResolvedValueOnce({ executionArn: arnOf('x'), startDate: new Date(5) });
    const started = await engine.start(request);
    expect(started.name).toMatch(/^run-\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(newRunName(new Date('2024-03-04T05:06:07.890Z'))).toMatch(/^run-20240304T050607Z-/);
  });

  it('describes a succeeded execution with its output parsed as a run result', async () => {
    send.mockResolvedValueOnce(described('run-b'));
    const d = await engine.describe(arnOf('run-b'));
    expect(send.mock.calls[0][0]).toBeInstanceOf(DescribeExecutionCommand);
    expect(d).toEqual({
      executionArn: arnOf('run-b'),
      name: 'run-b',
      runId: 'run-b',
      status: 'SUCCEEDED',
      startDate: new Date('2024-01-01T00:00:00Z'),
      stopDate: new Date('2024-01-01T00:02:03Z'),
      input: request,
      output,
    });
  });

  it('describes a failed execution with its error and cause and no output', async () => {
    send.mockResolvedValueOnce(
      described('run-c', { status: 'FAILED', output: undefined, error: 'States.Timeout', cause: 'slow' }),
    );
    const d = await engine.describe(arnOf('run-c'));
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Timeout', cause: 'slow' });
    expect(d.output).toBeUndefined();
  });

  it('refuses an output that is not a run result, naming the field', async () => {
    send.mockResolvedValueOnce(described('run-d', { output: JSON.stringify({ ...output, orders: '42' }) }));
    await expect(engine.describe(arnOf('run-d'))).rejects.toThrow(InvalidExecutionDataError);
    send.mockResolvedValueOnce(described('run-d', { output: JSON.stringify({ ...output, orders: '42' }) }));
    await expect(engine.describe(arnOf('run-d'))).rejects.toThrow(/orders/);
  });

  it('turns ExecutionDoesNotExist into ExecutionNotFoundError', async () => {
    send.mockRejectedValueOnce(new ExecutionDoesNotExist({ message: 'nope', $metadata: {} }));
    await expect(engine.describe(arnOf('missing'))).rejects.toThrow(ExecutionNotFoundError);
  });

  it('lists executions newest first, each described', async () => {
    send.mockImplementation(async (command: unknown) => {
      if (command instanceof ListExecutionsCommand) {
        return { executions: [{ executionArn: arnOf('old') }, { executionArn: arnOf('new') }] };
      }
      const arn = (command as DescribeExecutionCommand).input.executionArn!;
      const name = arn.split(':').pop()!;
      return described(name, { startDate: new Date(name === 'new' ? 2000 : 1000) });
    });
    const listed = await engine.list(10);
    expect(listed.map((d) => d.name)).toEqual(['new', 'old']);
    expect((send.mock.calls[0][0] as ListExecutionsCommand).input).toEqual({
      stateMachineArn: MACHINE,
      maxResults: 10,
    });
  });

  it('refuses to be built on something that is not a state machine ARN', () => {
    expect(() => new SfnEngine({ stateMachineArn: 'arn:aws:s3:::bucket' })).toThrow(
      InvalidExecutionDataError,
    );
  });

  it("names the run id of a resumed execution from its input, not from the execution's name", async () => {
    send.mockResolvedValueOnce(
      described('run-a-r1x2', {
        status: 'RUNNING',
        input: JSON.stringify({ runId: 'run-a', request }),
        output: undefined,
      }),
    );
    expect(await engine.describe(arnOf('run-a-r1x2'))).toMatchObject({ name: 'run-a-r1x2', runId: 'run-a' });
  });

  it('stops an execution with StopExecution, and says when it does not exist', async () => {
    send.mockResolvedValueOnce({ stopDate: new Date(7) });
    await engine.stop(arnOf('run-a'), 'stopped by a person');
    const command = send.mock.calls[0][0] as StopExecutionCommand;
    expect(command).toBeInstanceOf(StopExecutionCommand);
    expect(command.input).toEqual({
      executionArn: arnOf('run-a'),
      error: 'StoppedByUser',
      cause: 'stopped by a person',
    });
    send.mockRejectedValueOnce(Object.assign(new Error('gone'), { name: 'ExecutionDoesNotExist' }));
    await expect(engine.stop(arnOf('run-b'), 'x')).rejects.toBeInstanceOf(ExecutionNotFoundError);
  });
});
