import { InvalidStateError } from './errors';
import { toTransition, type Then } from './transition';
import type { Branch, Catcher, JsonPath, ParallelState, Retrier } from './types';

export type ParallelOptions = Then & {
  /** Each branch gets the state's input; names stay unique across the whole machine. */
  branches: readonly Branch[];
  /** Default null: the branches' outputs are dropped and the input passes through. */
  resultPath?: JsonPath | null;
  retry?: readonly Retrier[];
  catch?: readonly Catcher[];
  comment?: string;
};

/**
 * A Parallel state. A branch's failure fails the state (the other branches are stopped) with the branch's own
 * error, which the state's Catch sees: branches have no Catch to a state outside their scope.
 */
export function parallel(opts: ParallelOptions): ParallelState {
  if (opts.branches.length === 0) throw new InvalidStateError('a Parallel needs at least one branch');
  return {
    Type: 'Parallel',
    Comment: opts.comment,
    Branches: [...opts.branches],
    ResultPath: opts.resultPath === undefined ? null : opts.resultPath,
    Retry: opts.retry && [...opts.retry],
    Catch: opts.catch && [...opts.catch],
    ...toTransition(opts),
  };
}
