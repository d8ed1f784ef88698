import { booleanEquals, choice, isPresent, not, when } from './choice';
import { inlineMap } from './map';
import { fail, succeed } from './terminal';
import type { Then } from './transition';
import type { Catcher, JsonPath, MapState, TaskState } from './types';

/** The states of one iteration, named by the caller (names are unique across the whole machine). */
export interface UntilDoneStateNames {
  /** The Task that works on the item. */
  work: string;
  /** The Choice that reads `$.done`. */
  check: string;
  /** The Succeed state reached when `done` is true. */
  finished: string;
  /** The Fail state reached when the result has no boolean `done`. */
  invalid: string;
}

export type MapUntilDoneOptions = Then & {
  itemsPath: JsonPath;
  /** Each iteration's first input, as references; `$$.Map.Item.Value` is the current item. */
  itemSelector: Readonly<Record<string, JsonPath>>;
  /** 0 = as many as the service allows. */
  maxConcurrency: number;
  names: UntilDoneStateNames;
  /** The work Task, built for the state it goes to next (the check). Its output is its next input. */
  work: (next: string) => TaskState;
  /** The Fail state's Error and Cause for a result without a boolean `done`. */
  invalidResult: { error: string; cause: string };
  catch?: readonly Catcher[];
};

/**
 * A Map whose iteration invokes one Task until its result says `done: true`: the Task's output is
 * the next invocation's input, so each invocation resumes where the previous one stopped. A result
 * without a boolean `done` fails the iteration (a catchable error) instead of looping, or raising
 * the uncatchable States.Runtime that comparing a missing field gives. Iteration outputs are dropped:
 * the Map's input passes through (ResultPath null).
 */
export function mapUntilDone(opts: MapUntilDoneOptions): MapState {
  const { names, work, invalidResult, ...map } = opts;
  return inlineMap({
    ...map,
    processor: {
      StartAt: names.work,
      States: {
        [names.work]: work(names.check),
        [names.check]: choice(
          [
            when(not(isPresent('$.done')), names.invalid),
            when(booleanEquals('$.done', true), names.finished),
            when(booleanEquals('$.done', false), names.work),
          ],
          names.invalid,
        ),
        [names.finished]: succeed(),
        [names.invalid]: fail(invalidResult),
      },
    },
    resultPath: null,
  });
}
