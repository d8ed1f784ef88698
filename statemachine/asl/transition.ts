import type { Transition } from './types';

/** Where a builder-made state goes: to a named state, or nowhere (End). */
export type Then = { next: string } | { end: true };

export function toTransition(then: Then): Transition {
  return 'next' in then ? { Next: then.next } : { End: true };
}
