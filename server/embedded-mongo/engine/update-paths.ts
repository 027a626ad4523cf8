import { isPlainObject, type Doc, type Value } from './bson-values';
import { MongoServerError } from './errors';
import { getOwn } from './own';
import { compileFilter } from './query';

/**
 * Turns an update path that may hold positional parts (`$`, `$[]`, `$[id]`) into the
 * concrete paths it names in one document.
 */
export interface PositionalContext {
  /** Index of the array element the query matched (for `$`), if any. */
  matchedIndex?: number;
  /** Compiled arrayFilters by identifier. */
  arrayFilters: Map<string, (element: Value) => boolean>;
}

export function compileArrayFilters(filters: Value): Map<string, (element: Value) => boolean> {
  const out = new Map<string, (element: Value) => boolean>();
  if (!Array.isArray(filters)) return out;
  for (const f of filters) {
    if (!isPlainObject(f)) throw new MongoServerError(9, 'arrayFilters entries must be objects');
    const keys = Object.keys(f);
    const id = keys[0]?.split('.')[0];
    if (id === undefined || id === '')
      throw new MongoServerError(2, 'Cannot use an expression without a top-level field name in arrayFilters');
    if (out.has(id))
      throw new MongoServerError(9, `Found multiple array filters with the same top-level field name ${id}`);
    const pred = compileFilter(f);
    out.set(id, (element) => pred({ [id]: element }));
  }
  return out;
}

export function expandPath(doc: Doc, path: string, ctx: PositionalContext): string[][] {
  const parts = path.split('.');
  const results: string[][] = [];
  const walk = (cur: Value, i: number, prefix: string[]): void => {
    if (i === parts.length) {
      results.push(prefix);
      return;
    }
    const part = parts[i];
    if (part === '$') {
      if (ctx.matchedIndex === undefined) {
        throw new MongoServerError(2, 'The positional operator did not find the match needed from the query.');
      }
      const next = Array.isArray(cur) ? cur[ctx.matchedIndex] : undefined;
      walk(next, i + 1, [...prefix, String(ctx.matchedIndex)]);
      return;
    }
    const all = part === '$[]';
    const filtered = /^\$\[(\w+)\]$/.exec(part);
    if (all || filtered) {
      if (!Array.isArray(cur)) {
        throw new MongoServerError(
          2,
          `The path '${prefix.join('.')}' must exist in the document in order to apply array updates.`,
        );
      }
      const test = filtered ? ctx.arrayFilters.get(filtered[1]) : undefined;
      if (filtered && test === undefined) {
        throw new MongoServerError(2, `No array filter found for identifier '${filtered[1]}' in path '${path}'`);
      }
      cur.forEach((el, idx) => {
        if (test === undefined || test(el)) walk(el, i + 1, [...prefix, String(idx)]);
      });
      return;
    }
    const next = isPlainObject(cur)
      ? getOwn(cur, part)
      : Array.isArray(cur) && /^\d+$/.test(part)
        ? cur[Number(part)]
        : undefined;
    walk(next, i + 1, [...prefix, part]);
  };
  walk(doc, 0, []);
  return results;
}
