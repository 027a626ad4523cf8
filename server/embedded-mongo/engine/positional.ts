import { isPlainObject, type Doc, type Value } from './bson-values';
import { getPath } from './path';
import { compileFilter } from './query';

/**
 * The array index the query matched, for the positional `$` operator: the first element
 * of the array at `prefix` for which every filter clause on that array holds.
 */
export function matchedIndex(doc: Doc, filter: Doc | undefined, prefix: string): number | undefined {
  if (!filter) return undefined;
  const arr = getPath(doc, prefix);
  if (!Array.isArray(arr)) return undefined;
  const clauses = topLevelClauses(filter).filter(([k]) => k === prefix || k.startsWith(`${prefix}.`));
  if (clauses.length === 0) return undefined;
  const tests = clauses.map(([k, cond]) => compileFilter({ [`e${k.slice(prefix.length)}`]: cond }));
  for (let i = 0; i < arr.length; i++) {
    const probe = { e: [arr[i]] };
    if (tests.every((t) => t(probe))) return i;
  }
  return undefined;
}

function topLevelClauses(filter: Doc): Array<[string, Value]> {
  const out: Array<[string, Value]> = [];
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) for (const s of v) if (isPlainObject(s)) out.push(...topLevelClauses(s));
    if (!k.startsWith('$')) out.push([k, v]);
  }
  return out;
}

/** The array prefix before the first `.$` in any update path, if there is one. */
export function positionalPrefix(update: Doc): string | undefined {
  for (const fields of Object.values(update)) {
    if (!isPlainObject(fields)) continue;
    for (const path of Object.keys(fields)) {
      const parts = path.split('.');
      const at = parts.indexOf('$');
      if (at > 0) return parts.slice(0, at).join('.');
    }
  }
  return undefined;
}
