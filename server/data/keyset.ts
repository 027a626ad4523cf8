/**
 * The database side of keyset paging (shared/domain/paging.ts holds the cursor): the filter "rows after the
 * cursor" and the sort that goes with it, for a list ordered by one key and then by `_id`. Every paged list
 * that reads one collection builds its query from these two, so the filter and the sort cannot disagree.
 */
import { Types } from 'mongoose';
import type { PageCursor } from '../../shared/domain/paging';

type Direction = 1 | -1;

/** keysetAfter's `value` for a key stored as a Date: the cursor holds its epoch milliseconds. */
export const dateFromEpoch = (key: string | number): Date => new Date(Number(key));

/** keysetAfter's `id` for a collection whose ids are ObjectIds. */
export const objectIdOf = (id: string): Types.ObjectId => new Types.ObjectId(id);

/** The sort of a keyset list: the key in `direction`, then `_id` ascending as the tiebreak. */
export function keysetSort(field: string, direction: Direction): Record<string, Direction> {
  return field === '_id' ? { _id: direction } : { [field]: direction, _id: 1 };
}

/**
 * Rows after `cursor` in keysetSort(field, direction): a key further along, or the same key and a greater
 * id. `value` turns the cursor's key back into what the collection stores (a Date from epoch ms …), `id` the
 * cursor's id (an ObjectId for collections whose ids are ObjectIds).
 * Empty when there is no cursor (the first page).
 */
export function keysetAfter(
  field: string,
  direction: Direction,
  cursor: PageCursor | undefined,
  value: (key: string | number) => unknown = (key) => key,
  id: (id: string) => unknown = (id) => id,
): Record<string, unknown> {
  if (!cursor) return {};
  const further = direction === 1 ? '$gt' : '$lt';
  if (field === '_id') return { _id: { [further]: id(cursor.id) } };
  const key = value(cursor.keys[0] as string | number);
  return { $or: [{ [field]: { [further]: key } }, { [field]: key, _id: { $gt: id(cursor.id) } }] };
}

/** Escapes text typed in a search box for a case-insensitive "contains" `$regex`. */
export function containsText(text: string): { $regex: string; $options: 'i' } {
  return { $regex: text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
}

/** A list's filter narrowed to the rows after the cursor (keysetAfter); the filter itself on the first page. */
export function withKeyset(query: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  return Object.keys(after).length > 0 ? { $and: [query, after] } : query;
}
