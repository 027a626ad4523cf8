/**
 * Client side of the keyset-paged lists (shared/domain/paging.ts): `{ items, nextCursor }`, the cursor an
 * opaque string sent back unchanged. DOM-free.
 */
import { ok, type ApiResult } from './api-result';

/** A page of a keyset-paged list: `nextCursor` null on the last page. */
export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

/** How a paged list is asked for: `limit` 1..200, `cursor` a previous page's nextCursor. */
export interface PageQuery {
  limit?: number;
  cursor?: string;
}

/** The most pages `readPages` reads: short lists shown whole stay bounded (5 × 200 rows). */
const MAX_PAGES = 5;

/**
 * Reads a short list whole, page after page, up to `MAX_PAGES` (colleagues, tokens, the farms a restaurant
 * may name): the answer's `nextCursor` is non-null only when the bound stopped it.
 */
export async function readPages<T>(
  read: (cursor: string | undefined) => Promise<ApiResult<Paged<T>>>,
): Promise<ApiResult<Paged<T>>> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await read(cursor);
    if (!r.ok) return r;
    items.push(...r.data.items);
    if (r.data.nextCursor === null) return ok({ items, nextCursor: null });
    cursor = r.data.nextCursor;
  }
  return ok({ items, nextCursor: cursor ?? null });
}

/** Adds a next page's rows after what is shown, each row once (a row seen on an earlier read stays put). */
export function appendPage<T extends { id: string }>(shown: T[], more: T[]): T[] {
  const seen = new Set(shown.map((x) => x.id));
  return [...shown, ...more.filter((x) => !seen.has(x.id))];
}

/**
 * The first page read again (a refresh, the page coming back into view) without losing what was read
 * beyond it: the first page replaces what it covers, rows shown after its last row (in the list's
 * `order`) stay, and so does the cursor that reads on from them. When the first page is the whole list,
 * it is the list.
 */
export function refreshFirstPage<T extends { id: string }>(
  shown: Paged<T>,
  first: Paged<T>,
  order: (a: T, b: T) => number,
): Paged<T> {
  const last = first.items[first.items.length - 1];
  if (first.nextCursor === null || last === undefined) return first;
  const ids = new Set(first.items.map((x) => x.id));
  const beyond = shown.items.filter((x) => !ids.has(x.id) && order(x, last) > 0);
  if (beyond.length === 0) return first;
  // Read on from where the earlier pages stopped; if they had reached the end, from the fresh first page
  // (its rows repeat what is shown, and are added once).
  return { items: [...first.items, ...beyond], nextCursor: shown.nextCursor ?? first.nextCursor };
}

/** A list order by a date field (ISO text) then id, as the server's keyset reads it. */
export function byKeyThenId<T extends { id: string }>(key: (row: T) => string, direction: 1 | -1) {
  return (a: T, b: T): number => {
    const d = Date.parse(key(a)) - Date.parse(key(b));
    if (d !== 0) return d * direction;
    return (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * direction;
  };
}
