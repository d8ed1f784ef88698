import type { CanonicalOrder } from '../../src/core/order';
import type { RunStore } from '../../src/storage';

export async function* resultOf(store: RunStore, key: string): AsyncGenerator<CanonicalOrder> {
  for await (const line of store.readLines(key)) yield JSON.parse(line) as CanonicalOrder;
}
