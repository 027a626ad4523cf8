/**
 * Keyset paging for every list route: `{ items, nextCursor }`, `nextCursor` null on the last page.
 *
 * A page is "the rows after the last one you saw" in a fixed order, never "skip N": the order is an
 * immutable sort key (expiry, creation time, a distance from a fixed point …) with the id as tiebreak, so
 * rows that are added, sold or closed meanwhile never shift what comes next — nothing repeats and nothing
 * that still matches is skipped. The cursor carries the last row's sort keys and id; to the client it is an
 * opaque string (base64url JSON) that it sends back unchanged. Pure: no Node, DOM or clock.
 */

/** A sort key as a cursor carries it: numbers (prices, distances, epoch ms) and strings (ids). */
type CursorKey = string | number;

export interface PageCursor {
  /** The order the page was read in ("expiry", "price", "distance", "newest" …); a cursor only fits its own. */
  sort: string;
  /** The last row's sort key(s), in order. */
  keys: CursorKey[];
  /** The last row's id: the tiebreak between rows with equal keys. */
  id: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;
/** Longer than any cursor we make; anything longer is refused before decoding. */
export const MAX_CURSOR_LENGTH = 512;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(encoded: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) return null;
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function encodeCursor(cursor: PageCursor): string {
  return toBase64Url(JSON.stringify({ s: cursor.sort, k: cursor.keys, i: cursor.id }));
}

const isKey = (value: unknown): value is CursorKey =>
  (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length <= 128);

/**
 * The cursor a client sent back, or null when it is not one of ours (bad encoding, wrong shape) or was made
 * for another order (`sort`) or another number of keys.
 */
export function decodeCursor(raw: string, expected: { sort: string; keys: number }): PageCursor | null {
  if (raw.length === 0 || raw.length > MAX_CURSOR_LENGTH) return null;
  const text = fromBase64Url(raw);
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { s, k, i } = parsed as Record<string, unknown>;
  if (s !== expected.sort || typeof i !== 'string' || i.length === 0 || i.length > 128) return null;
  if (!Array.isArray(k) || k.length !== expected.keys || !k.every(isKey)) return null;
  return { sort: s, keys: k, id: i };
}

/**
 * Turns `limit + 1` rows read after the cursor into a page: the extra row only says a next page exists;
 * the cursor points at the last row returned.
 */
export function pageOf<Row, Item = Row>(
  rows: readonly Row[],
  limit: number,
  cursorOf: (row: Row) => PageCursor,
  view: (row: Row) => Item = (row) => row as unknown as Item,
): Page<Item> {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(view),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}
