import { CoreError, ExecutionNotFoundError, InvalidExecutionNameError, InvalidRequestError } from './errors';

describe('core errors', () => {
  it('names the execution an engine does not know, in the message both engines have always given', () => {
    const error = new ExecutionNotFoundError('arn:aws:states:local:000000000000:execution:m:run-a');
    expect(error).toBeInstanceOf(CoreError);
    expect(error.name).toBe('ExecutionNotFoundError');
    expect(error.executionArn).toBe('arn:aws:states:local:000000000000:execution:m:run-a');
    expect(error.message).toBe(
      'execution arn:aws:states:local:000000000000:execution:m:run-a does not exist',
    );
  });

  it('chains the error that led to it as the cause', () => {
    const sdkError = Object.assign(new Error('nope'), { name: 'ExecutionDoesNotExist' });
    expect(new ExecutionNotFoundError('arn', { cause: sdkError }).cause).toBe(sdkError);
    expect(new InvalidExecutionNameError('bad name', { cause: sdkError }).cause).toBe(sdkError);
  });

  it('has no cause when none is given', () => {
    expect(Object.hasOwn(new InvalidRequestError('invalid', []), 'cause')).toBe(false);
  });
});
