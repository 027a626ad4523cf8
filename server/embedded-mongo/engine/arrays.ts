/**
 * Appends `items` to `target` in place. Not `target.push(...items)`: a spread passes every
 * element as an argument, and past about 120,000 elements (a large array field, an index build)
 * that throws RangeError: Maximum call stack size exceeded.
 */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** Inserts `items` into `target` at `at`, without a spread (see appendAll). */
export function insertAll<T>(target: T[], at: number, items: readonly T[]): void {
  const tail = target.splice(at);
  appendAll(target, items);
  appendAll(target, tail);
}
