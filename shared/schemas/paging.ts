/**
 * The query and reply shapes every paged list route shares (shared/domain/paging.ts has the rules):
 * `?limit=1..200&cursor=<opaque>` in, `{ items, nextCursor }` out. A cursor that is not one of ours, or was
 * made for another sort order, is a 400 naming `cursor`; a limit out of range a 400 naming `limit`.
 */
import { z } from 'zod';
import { DEFAULT_PAGE_LIMIT, MAX_CURSOR_LENGTH, MAX_PAGE_LIMIT, decodeCursor, type PageCursor } from '../domain/paging';

export const pageLimit = z.coerce
  .number({ error: `must be a whole number from 1 to ${MAX_PAGE_LIMIT}` })
  .int(`must be a whole number from 1 to ${MAX_PAGE_LIMIT}`)
  .min(1, `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`)
  .max(MAX_PAGE_LIMIT, `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`)
  .default(DEFAULT_PAGE_LIMIT);

export const cursorText = z
  .string({ error: 'must be the nextCursor of a previous page' })
  .min(1, 'must be the nextCursor of a previous page')
  .max(MAX_CURSOR_LENGTH, 'must be the nextCursor of a previous page');

/**
 * Decodes `cursor` (when present) for the query's sort order, adding an issue at `cursor` when it does not
 * fit. Use inside `.transform` of a query object that has `cursor?: string` and knows its sort.
 */
export function decodedCursor(
  raw: string | undefined,
  expected: { sort: string; keys: number; idPattern?: RegExp },
  ctx: z.RefinementCtx,
): PageCursor | undefined {
  if (raw === undefined) return undefined;
  const cursor = decodeCursor(raw, expected);
  // `idPattern`: the list's ids have a shape (ObjectIds: 24 hex digits) the query needs before it may use one.
  if (!cursor || (expected.idPattern && !expected.idPattern.test(cursor.id))) {
    ctx.addIssue({
      code: 'custom',
      path: ['cursor'],
      message: 'must be the nextCursor of a previous page of this list and sort',
    });
    return undefined;
  }
  return cursor;
}

/** The reply of a paged list: `nextCursor` is null on the last page. */
export const pageOfSchema = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });

/** What a stored row's sort key is in a cursor: epoch milliseconds (a Date) or text (a calendar day, a name). */
type KeyKind = 'number' | 'string';

/**
 * Like decodedCursor, for a list of stored rows: the cursor's keys must be of the list's kinds and its id a
 * stored row's id (24 hex digits), so a forged cursor is a 400 naming `cursor`, never a query that fails.
 */
export function storedRowCursor(
  raw: string | undefined,
  expected: { sort: string; kinds: readonly KeyKind[] },
  ctx: z.RefinementCtx,
): PageCursor | undefined {
  if (raw === undefined) return undefined;
  const cursor = decodeCursor(raw, { sort: expected.sort, keys: expected.kinds.length });
  const fits =
    cursor !== null &&
    /^[0-9a-f]{24}$/.test(cursor.id) &&
    cursor.keys.every((key, i) => typeof key === expected.kinds[i]);
  if (!fits) {
    ctx.addIssue({
      code: 'custom',
      path: ['cursor'],
      message: 'must be the nextCursor of a previous page of this list and sort',
    });
    return undefined;
  }
  return cursor;
}
