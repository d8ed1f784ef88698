import { InvalidStateError } from './errors';
import { START_EXECUTION_SYNC_RESOURCE, startExecutionSync } from './startExecution';
import { validateAsl } from './validate';
import { defineStateMachine } from './graph';

const CHILD = 'arn:aws:states:eu-west-1:123456789012:stateMachine:child';

describe('startExecutionSync', () => {
  it('starts the machine with references as input, linked to this execution, and waits (sync:2)', () => {
    const task = startExecutionSync(CHILD, { runId: '$.runId' }, { result: { as: 'output' }, end: true });
    expect(task).toEqual({
      Type: 'Task',
      Resource: START_EXECUTION_SYNC_RESOURCE,
      Parameters: {
        StateMachineArn: CHILD,
        Input: { 'runId.$': '$.runId', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' },
      },
      OutputPath: '$.Output',
      End: true,
    });
    expect(START_EXECUTION_SYNC_RESOURCE).toBe('arn:aws:states:::states:startExecution.sync:2');
    expect(validateAsl(defineStateMachine({ StartAt: 'Child', States: { Child: task } }))).toEqual([]);
  });

  it('selects named fields of the result, or discards it, and names the execution when told', () => {
    const picked = startExecutionSync(
      CHILD,
      {},
      { result: { as: 'fields', at: '$.child', fields: { status: '$.Status' } }, name: '$.name', next: 'X' },
    );
    expect(picked).toMatchObject({
      ResultSelector: { 'status.$': '$.Status' },
      ResultPath: '$.child',
      Parameters: { 'Name.$': '$.name' },
      Next: 'X',
    });
    expect(startExecutionSync(CHILD, {}, { result: { as: 'discard' }, end: true }).ResultPath).toBeNull();
  });

  it('refuses an empty field selection and an input that sets the parent link itself', () => {
    expect(() =>
      startExecutionSync(CHILD, {}, { result: { as: 'fields', at: '$.x', fields: {} }, end: true }),
    ).toThrow(new InvalidStateError('fields: name at least one field of the nested execution'));
    expect(() =>
      startExecutionSync(
        CHILD,
        { AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: '$.x' },
        { result: { as: 'output' }, end: true },
      ),
    ).toThrow(
      new InvalidStateError('startExecutionSync sets AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID itself'),
    );
  });
});
