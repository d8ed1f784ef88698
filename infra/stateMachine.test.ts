import { allStates, validateAsl } from '../statemachine/asl';
import type { MapState, StateMachineDefinition } from '../statemachine/asl';
import { DEFAULT_MAP_CONCURRENCY } from '../statemachine/extraction';
import { TASK_FUNCTION_NAMES } from './functions';
import { logicalId, referencesIn, resourceNamed, synthStack } from './synth.testkit';
import type { Synthesized } from './synth.testkit';

let synthesized: Synthesized;
let definition: string;

beforeAll(() => {
  synthesized = synthStack({ stateMachine: { laneConcurrency: 4, windowConcurrency: 8 } });
  definition = resourceNamed(synthesized.tf, 'aws_sfn_state_machine', 'extraction').definition as string;
});

/** The definition as Terraform renders it with the variables at their defaults (numbers, spliced bare). */
function withVariables(text: string): string {
  return text.replace(/\$\{var\.([a-z_]+)\}/g, (_m, name: string) =>
    String(synthesized.tf.variable[name]!.default),
  );
}

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

  it('is valid ASL once the ARN tokens and the variables are replaced by their values', () => {
    const concrete = withVariables(definition).replace(
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

  it('takes every Map’s MaxConcurrency from the lane_concurrency and window_concurrency variables', () => {
    // Lane Maps: the search inputs', then (after the search windows') the found symbols', the other orders', fills', ledger's.
    const lane = '"MaxConcurrency":${var.lane_concurrency}';
    expect(definition.match(/"MaxConcurrency":(\$\{[^}]*\}|[^,}]*)/g)).toEqual([
      lane,
      '"MaxConcurrency":${var.window_concurrency}',
      lane,
      lane,
      lane,
      lane,
    ]);
    const parsed = JSON.parse(
      withVariables(definition.replace(/\$\{aws_lambda_function\.[^}]+\}/g, 'arn')),
    ) as StateMachineDefinition;
    const concurrency = (name: string) =>
      (allStates(parsed).find(([n]) => n === name)?.[1] as MapState | undefined)?.MaxConcurrency;
    expect(concurrency('ProcessOrderLanes')).toBe(4);
    expect(concurrency('ProcessSymbolLanes')).toBe(4);
    expect(concurrency('ProcessLedgerLanes')).toBe(4);
    expect(concurrency('SearchSymbols')).toBe(8);
  });

  it('defaults those variables to the stack options, bounded to 1..40', () => {
    expect(synthesized.tf.variable.lane_concurrency).toMatchObject({ type: 'number', default: 4 });
    expect(synthesized.tf.variable.window_concurrency).toMatchObject({ type: 'number', default: 8 });
    const defaults = synthStack().tf.variable;
    expect([defaults.lane_concurrency!.default, defaults.window_concurrency!.default]).toEqual([
      DEFAULT_MAP_CONCURRENCY,
      DEFAULT_MAP_CONCURRENCY,
    ]);
    expect(synthesized.tf.variable.lane_concurrency!.validation).toEqual([
      {
        condition:
          '${floor(var.lane_concurrency) == var.lane_concurrency && var.lane_concurrency >= 1 && var.lane_concurrency <= 40}',
        error_message:
          'lane_concurrency must be a whole number in 1..40 (an inline Map runs at most 40 iterations at once).',
      },
    ]);
  });
});
