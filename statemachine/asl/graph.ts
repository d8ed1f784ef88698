import { StateGraphError, type GraphIssue } from './errors';
import type { Branch, State, StateMachineDefinition } from './types';

/** Every state a state may go to next (Next, Default, Choice rules, Catch). */
export function successors(state: State): string[] {
  const out: string[] = [];
  switch (state.Type) {
    case 'Choice':
      for (const rule of state.Choices) out.push(rule.Next);
      if (state.Default !== undefined) out.push(state.Default);
      return out;
    case 'Succeed':
    case 'Fail':
      return out;
    case 'Task':
    case 'Map':
    case 'Parallel':
      for (const c of state.Catch ?? []) out.push(c.Next);
      if (state.Next !== undefined) out.push(state.Next);
      return out;
    case 'Pass':
    case 'Wait':
      if (state.Next !== undefined) out.push(state.Next);
      return out;
  }
}

/** The nested state machines of a state (Map item processor, Parallel branches). */
export function nestedBranches(state: State): readonly Branch[] {
  if (state.Type === 'Map') return [state.ItemProcessor];
  if (state.Type === 'Parallel') return state.Branches;
  return [];
}

function isTerminal(state: State): boolean {
  if (state.Type === 'Succeed' || state.Type === 'Fail') return true;
  if (state.Type === 'Choice') return false;
  return state.End === true;
}

function checkScope(scope: string, branch: Branch, seen: Set<string>, issues: GraphIssue[]): void {
  const names = Object.keys(branch.States);
  for (const name of names) {
    if (seen.has(name)) issues.push({ kind: 'duplicate-name', state: name });
    seen.add(name);
  }
  if (!(branch.StartAt in branch.States)) {
    issues.push({ kind: 'missing-start', scope, startAt: branch.StartAt });
  }
  for (const [name, state] of Object.entries(branch.States)) {
    for (const to of successors(state)) {
      if (!(to in branch.States)) issues.push({ kind: 'dangling-next', scope, from: name, to });
    }
  }
  const reached = new Set<string>();
  const queue = branch.StartAt in branch.States ? [branch.StartAt] : [];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (reached.has(name)) continue;
    reached.add(name);
    const state = branch.States[name];
    if (state) queue.push(...successors(state).filter((to) => to in branch.States));
  }
  for (const name of names) {
    if (!reached.has(name)) issues.push({ kind: 'unreachable', scope, state: name });
  }
  if (!Object.values(branch.States).some(isTerminal)) issues.push({ kind: 'no-terminal', scope });
  for (const [name, state] of Object.entries(branch.States)) {
    nestedBranches(state).forEach((nested, i) => {
      const label = state.Type === 'Parallel' ? `${scope}/${name}[${i}]` : `${scope}/${name}`;
      checkScope(label, nested, seen, issues);
    });
  }
}

/**
 * Checks what the type system cannot: every transition targets a state of the same scope,
 * every state is reachable, each scope can end, and names are unique across the machine.
 */
export function checkGraph(definition: Branch): GraphIssue[] {
  const issues: GraphIssue[] = [];
  checkScope('$', definition, new Set(), issues);
  return issues;
}

/** Returns the definition unchanged if its graph is sound, else throws StateGraphError. */
export function defineStateMachine<T extends StateMachineDefinition>(definition: T): T {
  const issues = checkGraph(definition);
  if (issues.length > 0) throw new StateGraphError(issues);
  return definition;
}

/** Every state in the machine, nested ones included, keyed by name (names are unique). */
export function allStates(definition: Branch): Array<[string, State]> {
  return Object.entries(definition.States).flatMap(([name, state]): Array<[string, State]> => [
    [name, state],
    ...nestedBranches(state).flatMap(allStates),
  ]);
}
