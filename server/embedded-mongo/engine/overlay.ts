/**
 * Changes whose commit is in flight, kept beside what storage holds so that every read sees
 * them: a key is either present (added or replaced) or deleted until its commit lands. `op` is
 * the storage op that wrote it; once that op is durable (and no later op replaced the entry)
 * the entry leaves the overlay.
 */
export interface OverlayEntry<T> {
  present: boolean;
  op: T;
}

/**
 * Stored entries in [lo, hi) (already in order, or reversed) merged with the overlay: a stored
 * key the overlay knows is skipped (the overlay decides it), present overlay keys in the range
 * are inserted in order. Keys are latin1 strings of byte keys, so string order is byte order.
 */
export function* mergeOverlay<P>(
  stored: Iterable<[string, P | undefined]>,
  overlay: ReadonlyMap<string, OverlayEntry<unknown>>,
  lo: string,
  hi: string,
  reverse: boolean,
): Generator<[string, P | undefined]> {
  const extra: string[] = [];
  for (const [key, entry] of overlay) if (entry.present && key >= lo && key < hi) extra.push(key);
  extra.sort();
  if (reverse) extra.reverse();
  let next = 0;
  const before = (a: string, b: string): boolean => (reverse ? a > b : a < b);
  for (const item of stored) {
    const key = item[0];
    while (next < extra.length && before(extra[next], key)) yield [extra[next++], undefined];
    if (overlay.has(key)) continue;
    yield item;
  }
  while (next < extra.length) yield [extra[next++], undefined];
}
