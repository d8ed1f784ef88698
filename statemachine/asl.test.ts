import {
  allStates,
  and,
  booleanEquals,
  catchAll,
  checkGraph,
  choice,
  defineStateMachine,
  exponentialRetry,
  fail,
  inlineMap,
  InvalidStateError,
  isPresent,
  LAMBDA_INVOKE_RESOURCE,
  lambdaInvoke,
  mapUntilDone,
  not,
  parallel,
  refs,
  StateGraphError,
  succeed,
  validateAsl,
  when,
  type ChoiceRule,
  type FailState,
  type StateMachineDefinition,
  type TaskState,
  type WaitState,
} from './asl';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:demo';

function expectGraphError(def: StateMachineDefinition): StateGraphError {
  try {
    defineStateMachine(def);
  } catch (err) {
    expect(err).toBeInstanceOf(StateGraphError);
    return err as StateGraphError;
  }
  throw new Error('defineStateMachine accepted a broken graph');
}

describe('parallel', () => {
  const branch = (name: string) => ({ StartAt: name, States: { [name]: succeed() } });

  it('runs its branches on the same input, drops their outputs unless told, and checks as one graph', () => {
    const p = parallel({ branches: [branch('A'), branch('B')], next: 'C', catch: [catchAll('C', '$.e')] });
    expect(p).toMatchObject({ Type: 'Parallel', ResultPath: null, Next: 'C' });
    const def = { StartAt: 'P', States: { P: p, C: succeed() } };
    expect(checkGraph(def)).toEqual([]);
    expect(validateAsl(def as StateMachineDefinition)).toEqual([]);
    // A branch's state may not go to a state outside the branch, and names stay unique across branches.
    const leaking = {
      StartAt: 'P',
      States: {
        P: parallel({
          branches: [{ StartAt: 'A', States: { A: fail({ error: 'x' }), X: { Type: 'Pass', Next: 'C' } } }],
          end: true,
        }),
        C: succeed(),
      },
    } as StateMachineDefinition;
    expect(expectGraphError(leaking).issues).toContainEqual({
      kind: 'dangling-next',
      scope: '$/P[0]',
      from: 'X',
      to: 'C',
    });
    const twice = {
      StartAt: 'P',
      States: { P: parallel({ branches: [branch('A'), branch('A')], end: true }) },
    };
    expect(expectGraphError(twice).issues).toContainEqual({ kind: 'duplicate-name', state: 'A' });
  });

  it('needs at least one branch', () => {
    expect(() => parallel({ branches: [], end: true })).toThrow(InvalidStateError);
  });
});

describe('lambdaInvoke', () => {
  it('invokes through lambda:invoke with FunctionName and a Payload of references', () => {
    const t = lambdaInvoke(ARN, { runId: '$.runId' }, { result: { as: 'state' }, next: 'B' });
    expect(t).toEqual({
      Type: 'Task',
      Resource: LAMBDA_INVOKE_RESOURCE,
      Parameters: { FunctionName: ARN, Payload: { 'runId.$': '$.runId' } },
      OutputPath: '$.Payload',
      Next: 'B',
    });
  });

  it('adds fixed fields beside the references, and refuses one that clashes with them', () => {
    const t = lambdaInvoke(
      ARN,
      { runId: '$.runId' },
      { result: { as: 'discard' }, end: true, constants: { dataset: 'fills' } },
    );
    expect(t.Parameters).toEqual({ FunctionName: ARN, Payload: { 'runId.$': '$.runId', dataset: 'fills' } });
    expect(() =>
      lambdaInvoke(
        ARN,
        { runId: '$.runId' },
        { result: { as: 'discard' }, end: true, constants: { runId: 'x' } },
      ),
    ).toThrow(InvalidStateError);
    expect(() =>
      lambdaInvoke(ARN, '$', { result: { as: 'discard' }, end: true, constants: { dataset: 'fills' } }),
    ).toThrow(InvalidStateError);
  });

  it('passes a whole selection as the event when the payload is one path', () => {
    const t = lambdaInvoke(ARN, '$.job', { result: { as: 'discard' }, end: true });
    expect(t.Parameters).toEqual({ FunctionName: ARN, 'Payload.$': '$.job' });
    expect(t.ResultPath).toBeNull();
    expect(t.End).toBe(true);
  });

  it('selects named Payload fields, or the Payload itself, at a result path', () => {
    const fields = lambdaInvoke(ARN, '$', {
      result: { as: 'fields', at: '$.plan', fields: ['a', 'b'] },
      next: 'B',
    });
    expect(fields.ResultSelector).toEqual({ 'a.$': '$.Payload.a', 'b.$': '$.Payload.b' });
    expect(fields.ResultPath).toBe('$.plan');
    const whole = lambdaInvoke(ARN, '$', { result: { as: 'payload', at: '$.out' }, next: 'B' });
    expect(whole.ResultSelector).toEqual({ 'Payload.$': '$.Payload' });
    expect(whole.ResultPath).toBe('$.out');
  });

  it('rejects a field selection that names no field', () => {
    expect(() =>
      lambdaInvoke(ARN, '$', { result: { as: 'fields', at: '$.x', fields: [] }, next: 'B' }),
    ).toThrow(new InvalidStateError('fields: name at least one Payload field'));
  });

  it('carries retry, catch and timeout', () => {
    const retry = [exponentialRetry(['E'], { intervalSeconds: 1, maxAttempts: 2, maxDelaySeconds: 5 })];
    const t = lambdaInvoke(ARN, '$', {
      result: { as: 'state' },
      next: 'B',
      retry,
      catch: [catchAll('F', '$.err')],
      timeoutSeconds: 30,
    });
    expect(t.Retry).toEqual(retry);
    expect(t.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'F', ResultPath: '$.err' }]);
    expect(t.TimeoutSeconds).toBe(30);
  });
});

describe('small builders', () => {
  it('exponentialRetry defaults to backoff 2 with full jitter and refuses an empty error list', () => {
    expect(exponentialRetry(['A', 'B'], { intervalSeconds: 1, maxAttempts: 3, maxDelaySeconds: 10 })).toEqual(
      {
        ErrorEquals: ['A', 'B'],
        IntervalSeconds: 1,
        MaxAttempts: 3,
        BackoffRate: 2,
        MaxDelaySeconds: 10,
        JitterStrategy: 'FULL',
      },
    );
    expect(() => exponentialRetry([], { intervalSeconds: 1, maxAttempts: 1, maxDelaySeconds: 1 })).toThrow(
      new InvalidStateError('a Retrier needs at least one error name'),
    );
  });

  it('inlineMap is INLINE, unbounded and drops iteration outputs by default', () => {
    const m = inlineMap({
      itemsPath: '$.ids',
      itemSelector: { id: '$$.Map.Item.Value' },
      processor: { StartAt: 'Ok', States: { Ok: succeed() } },
      end: true,
    });
    expect(m.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'INLINE' });
    expect(m.MaxConcurrency).toBe(0);
    expect(m.ResultPath).toBeNull();
    expect(m.ItemSelector).toEqual({ 'id.$': '$$.Map.Item.Value' });
  });

  it('mapUntilDone invokes its Task again while done is false, and fails an iteration whose done is not boolean', () => {
    const m = mapUntilDone({
      itemsPath: '$.ids',
      itemSelector: { id: '$$.Map.Item.Value' },
      maxConcurrency: 3,
      names: { work: 'Work', check: 'Done?', finished: 'Finished', invalid: 'Invalid' },
      work: (next) => lambdaInvoke(ARN, { id: '$.id' }, { result: { as: 'state' }, next }),
      invalidResult: { error: 'BadResult', cause: 'no done' },
      catch: [catchAll('Failed', '$.failure')],
      next: 'After',
    });
    expect(m).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.ids',
      ItemSelector: { 'id.$': '$$.Map.Item.Value' },
      MaxConcurrency: 3,
      ResultPath: null,
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed', ResultPath: '$.failure' }],
      Next: 'After',
    });
    expect(m.ItemProcessor.StartAt).toBe('Work');
    expect(m.ItemProcessor.States).toEqual({
      Work: expect.objectContaining({ Type: 'Task', Next: 'Done?' }),
      'Done?': {
        Type: 'Choice',
        Choices: [
          { Not: { Variable: '$.done', IsPresent: true }, Next: 'Invalid' },
          { Variable: '$.done', BooleanEquals: true, Next: 'Finished' },
          { Variable: '$.done', BooleanEquals: false, Next: 'Work' },
        ],
        Default: 'Invalid',
      },
      Finished: { Type: 'Succeed' },
      Invalid: { Type: 'Fail', Error: 'BadResult', Cause: 'no done' },
    });
    const def = defineStateMachine({
      StartAt: 'Loop',
      States: {
        Loop: m,
        After: succeed(),
        Failed: fail({ error: 'F' }),
      },
    });
    expect(validateAsl(def)).toEqual([]);
  });

  it('choice rules nest boolean expressions and keep Next at the top', () => {
    const rule = when(and(booleanEquals('$.a', true), not(isPresent('$.b'))), 'X');
    expect(rule).toEqual({
      And: [{ Variable: '$.a', BooleanEquals: true }, { Not: { Variable: '$.b', IsPresent: true } }],
      Next: 'X',
    });
    expect(choice([rule], 'Y')).toEqual({ Type: 'Choice', Choices: [rule], Default: 'Y' });
    expect(() => choice([])).toThrow(new InvalidStateError('a Choice needs at least one rule'));
    expect(() => choice([])).toThrow(InvalidStateError);
  });

  it('fail reads the cause from a path or takes a fixed one', () => {
    expect(fail({ error: 'E', causePath: '$.c' })).toEqual({ Type: 'Fail', Error: 'E', CausePath: '$.c' });
    expect(fail({ errorPath: '$.e', cause: 'why' })).toEqual({
      Type: 'Fail',
      ErrorPath: '$.e',
      Cause: 'why',
    });
  });

  it('refs turns field → path into a payload template', () => {
    expect(refs({ a: '$.x', b: '$$.Execution.Id' })).toEqual({ 'a.$': '$.x', 'b.$': '$$.Execution.Id' });
  });
});

describe('graph checks', () => {
  const ok: StateMachineDefinition = {
    StartAt: 'A',
    States: {
      A: lambdaInvoke(ARN, '$', { result: { as: 'state' }, next: 'B', catch: [catchAll('Failed', '$.e')] }),
      B: succeed(),
      Failed: fail({ error: 'X' }),
    },
  };

  it('returns a sound definition unchanged', () => {
    expect(checkGraph(ok)).toEqual([]);
    expect(defineStateMachine(ok)).toBe(ok);
  });

  it('rejects a Next that points to no state', () => {
    const err = expectGraphError({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } });
    expect(err.issues).toContainEqual({ kind: 'dangling-next', scope: '$', from: 'A', to: 'Nowhere' });
  });

  it('rejects Catch and Choice targets that do not exist', () => {
    const issues = checkGraph({
      StartAt: 'A',
      States: {
        A: lambdaInvoke(ARN, '$', { result: { as: 'state' }, next: 'C', catch: [catchAll('Gone', null)] }),
        C: choice([when(booleanEquals('$.x', true), 'Lost')], 'End'),
        End: succeed(),
      },
    });
    expect(issues).toEqual([
      { kind: 'dangling-next', scope: '$', from: 'A', to: 'Gone' },
      { kind: 'dangling-next', scope: '$', from: 'C', to: 'Lost' },
    ]);
  });

  it('rejects a state that cannot be reached', () => {
    const err = expectGraphError({ StartAt: 'A', States: { A: succeed(), Orphan: succeed() } });
    expect(err.issues).toEqual([{ kind: 'unreachable', scope: '$', state: 'Orphan' }]);
    expect(err.message).toMatch(/"Orphan" cannot be reached/);
  });

  it('counts Catch targets as reachable', () => {
    expect(checkGraph(ok).filter((i) => i.kind === 'unreachable')).toEqual([]);
  });

  it('rejects a missing StartAt and a scope that never ends', () => {
    expect(checkGraph({ StartAt: 'Z', States: { A: { Type: 'Pass', Next: 'A' } } })).toEqual([
      { kind: 'missing-start', scope: '$', startAt: 'Z' },
      { kind: 'unreachable', scope: '$', state: 'A' },
      { kind: 'no-terminal', scope: '$' },
    ]);
  });

  it('checks Map processors as their own scope and names across the whole machine', () => {
    const issues = checkGraph({
      StartAt: 'M',
      States: {
        M: inlineMap({
          itemsPath: '$.ids',
          processor: { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Out' } } },
          next: 'Out',
        }),
        Out: succeed(),
        A: { Type: 'Pass', End: true },
      },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { kind: 'duplicate-name', state: 'A' },
        { kind: 'unreachable', scope: '$', state: 'A' },
        { kind: 'dangling-next', scope: '$/M', from: 'A', to: 'Out' },
      ]),
    );
  });

  it('lists nested states with allStates', () => {
    const def: StateMachineDefinition = {
      StartAt: 'M',
      States: {
        M: inlineMap({
          itemsPath: '$.ids',
          processor: { StartAt: 'In', States: { In: succeed() } },
          end: true,
        }),
      },
    };
    expect(allStates(def).map(([name]) => name)).toEqual(['M', 'In']);
  });
});

describe('validateAsl', () => {
  const valid: StateMachineDefinition = {
    StartAt: 'A',
    States: { A: lambdaInvoke(ARN, { id: '$.id' }, { result: { as: 'state' }, next: 'B' }), B: succeed() },
  };

  it('returns no errors for a valid definition and leaves it untouched', () => {
    const before = JSON.stringify(valid);
    expect(validateAsl(valid)).toEqual([]);
    expect(JSON.stringify(valid)).toBe(before);
  });

  it('surfaces the validator errors', () => {
    const errors = validateAsl({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e['Error code'])).toContain('MISSING_TRANSITION_TARGET');
    expect(errors.every((e) => typeof e.Message === 'string')).toBe(true);
  });

  it('checks Resource ARNs unless told not to', () => {
    const def: StateMachineDefinition = {
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: 'nope', End: true } },
    };
    expect(validateAsl(def)).not.toEqual([]);
    expect(validateAsl(def, { checkArn: false })).toEqual([]);
  });
});

describe('types reject what the validator rejects', () => {
  it('Next and End together', () => {
    // @ts-expect-error a state either goes Next or Ends
    const t: TaskState = { Type: 'Task', Resource: LAMBDA_INVOKE_RESOURCE, Next: 'B', End: true };
    expect(validateAsl({ StartAt: 'A', States: { A: t, B: succeed() } })).not.toEqual([]);
  });

  it('Cause and CausePath together', () => {
    // @ts-expect-error at most one of Cause and CausePath
    const f: FailState = { Type: 'Fail', Cause: 'x', CausePath: '$.y' };
    expect(validateAsl({ StartAt: 'A', States: { A: f } })).not.toEqual([]);
  });

  it('two wait durations', () => {
    // @ts-expect-error exactly one of Seconds, SecondsPath, Timestamp, TimestampPath
    const w: WaitState = { Type: 'Wait', Seconds: 1, SecondsPath: '$.s', End: true };
    expect(validateAsl({ StartAt: 'A', States: { A: w } })).not.toEqual([]);
  });

  it('a comparison with the wrong operand type', () => {
    // @ts-expect-error BooleanEquals takes a boolean
    const r: ChoiceRule = { Variable: '$.x', BooleanEquals: 'yes', Next: 'B' };
    const def: StateMachineDefinition = {
      StartAt: 'A',
      States: { A: { Type: 'Choice', Choices: [r], Default: 'B' }, B: succeed() },
    };
    expect(validateAsl(def)).not.toEqual([]);
  });

  it('a path that does not start with $', () => {
    // @ts-expect-error paths begin with $
    const t: TaskState = { Type: 'Task', Resource: LAMBDA_INVOKE_RESOURCE, ResultPath: 'plan', End: true };
    expect(validateAsl({ StartAt: 'A', States: { A: t } })).not.toEqual([]);
  });
});
