/**
 * State never goes backwards. Every record a store keeps from the server carries a `version` that each write
 * bumps in the same atomic update (lots, offers, orders, standing orders), so of two views of one record the
 * higher version is the fresher. A store keeps the fresher of what it holds and what arrives — a socket event
 * replayed after a reconnect, or a list read that started before an event came in.
 */

/** A record with its version; one without (made before its kind had versions) counts as version 0. */
interface Versioned {
  id: string;
  version?: number | undefined;
}

const versionOf = (record: { version?: number | undefined }): number => record.version ?? 0;

/** What a list held (id → version) when a read of it started, to tell afterwards what changed meanwhile. */
export type HeldAtStart = ReadonlyMap<string, number>;

export const heldAtStart = (items: readonly Versioned[]): HeldAtStart =>
  new Map(items.map((item) => [item.id, versionOf(item)]));

/** Whether `incoming` is older than a view of the same record held somewhere (in a list, or remembered). */
export function olderThanHeld(
  incoming: { version?: number | undefined },
  held: readonly ({ version?: number | undefined } | undefined)[],
): boolean {
  return held.some((h) => h !== undefined && versionOf(h) > versionOf(incoming));
}

/**
 * A list read from the server, merged with what the store holds now (events may have come in while it was read):
 * - each record read is kept, unless the store now holds a higher version of it, or `newer(id)` knows one
 *   (e.g. the version with which a lot left the board): then the held one stays, or the record stays away;
 * - a record that arrived or changed while the read was under way, and that the read does not show, stays;
 * - what the read does not show and did not change meanwhile is dropped (the read is the truth for it).
 * The read's order is kept; the records kept besides it follow (the caller sorts if the list has an order).
 */
export function mergeRead<T extends Versioned>(
  read: readonly T[],
  held: readonly T[],
  atStart: HeldAtStart,
  newer: (id: string) => number | undefined = () => undefined,
): T[] {
  const heldById = new Map(held.map((item) => [item.id, item]));
  const readIds = new Set(read.map((item) => item.id));
  const merged: T[] = [];
  for (const item of read) {
    const mine = heldById.get(item.id);
    const gone = newer(item.id);
    if (gone !== undefined && gone > versionOf(item) && !(mine && versionOf(mine) >= gone)) continue;
    merged.push(mine && versionOf(mine) > versionOf(item) ? mine : item);
  }
  const changedMeanwhile = held.filter((item) => !readIds.has(item.id) && atStart.get(item.id) !== versionOf(item));
  return [...merged, ...changedMeanwhile];
}
