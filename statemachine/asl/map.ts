import { refs } from './payload';
import { toTransition, type Then } from './transition';
import type { Branch, Catcher, JsonPath, MapState, Retrier } from './types';

export type InlineMapOptions = Then & {
  itemsPath: JsonPath;
  /** Each iteration's input, as references; `$$.Map.Item.Value` is the current item. */
  itemSelector?: Readonly<Record<string, JsonPath>>;
  /** 0 = as many as the service allows. */
  maxConcurrency?: number;
  processor: Branch;
  /** Default null: iteration outputs are dropped and the input passes through. */
  resultPath?: JsonPath | null;
  retry?: readonly Retrier[];
  catch?: readonly Catcher[];
  comment?: string;
};

/** A Map state with an INLINE item processor. */
export function inlineMap(opts: InlineMapOptions): MapState {
  return {
    Type: 'Map',
    Comment: opts.comment,
    ItemsPath: opts.itemsPath,
    ItemSelector: opts.itemSelector && refs(opts.itemSelector),
    MaxConcurrency: opts.maxConcurrency ?? 0,
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: opts.processor.StartAt,
      States: opts.processor.States,
    },
    ResultPath: opts.resultPath === undefined ? null : opts.resultPath,
    Retry: opts.retry && [...opts.retry],
    Catch: opts.catch && [...opts.catch],
    ...toTransition(opts),
  };
}
