import { validateAsl } from '../statemachine/asl';
import type { StateMachineDefinition } from '../statemachine/asl';
import { TASK_FUNCTION_NAMES } from './functions';
import { logicalId, referencesIn, resourceNamed, synthStack } from './synth.testkit';
import type { Synthesized } from './synth.testkit';

let synthesized: Synthesized;
let definition: string;

beforeAll(() => {
  synthesized = synthStack({ stateMachine: { laneConcurrency: 4, windowConcurrency: 8 } });
  definition = resourceNamed(synthesized.tf, 'aws_sfn_state_machine', 'extraction').definition as string;
});

/** Task states, wherever they are nested (Map processors included). */
function taskStates(node: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) node.forEach((n) => taskStates(n, found));
  else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.Type === 'Task') found.push(record);
    Object.values(record).forEach((v) => taskStates(v, found));
  }
  return found;
}

describe('State machine definition in the synthesized Terraform', () => {
  it('references only this stack’s task functions, by ARN', () => {
    const refs = referencesIn(definition);
    expect(refs.length).toBeGreaterThan(0);
    const expectedIds = new Set(
      TASK_FUNCTION_NAMES.map((n) => logicalId(synthesized.tf, 'aws_lambda_function', `${n}_function`)),
    );
    for (const r of refs) {
      expect(r).toEqual({
        kind: 'resource',
        type: 'aws_lambda_function',
        id: expect.any(String),
        attribute: 'arn',
      });
      expect(expectedIds.has(r.id)).toBe(true);
    }
    expect(new Set(refs.map((r) => r.id))).toEqual(expectedIds);
  });

  it('is valid ASL once the ARN tokens are replaced by ARNs', () => {
    const concrete = definition.replace(
      /\$\{aws_lambda_function\.([A-Za-z0-9_-]+)\.arn\}/g,
      (_m, id: string) =>
        `arn:aws:lambda:ap-northeast-1:123456789012:function:${id.replace(/_function_.*$/, '')}`,
    );
    const parsed = JSON.parse(concrete) as StateMachineDefinition;
    expect(validateAsl(parsed)).toEqual([]);
    for (const task of taskStates(parsed)) {
      expect(task.Resource).toBe('arn:aws:states:::lambda:invoke');
      expect((task.Parameters as { FunctionName: string }).FunctionName).toMatch(
        /^arn:aws:lambda:ap-northeast-1:123456789012:function:(time-range-mapper|symbol-searcher|symbol-unifier|symbol-processor|result-collector)$/,
      );
    }
  });

  it('carries the Map concurrency from the stack options', () => {
    const parsed = JSON.parse(definition) as { States: Record<string, { MaxConcurrency?: number }> };
    expect(parsed.States.ProcessLanes?.MaxConcurrency).toBe(4);
    expect(parsed.States.SearchSymbols?.MaxConcurrency).toBe(8);
  });
});
