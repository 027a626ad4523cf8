import { Aggregator } from 'mingo';
import type { Doc } from './bson-values';
import { setOwn } from './own';

/** `let` values are expressions (`{ $literal: '$x' }`, `{ $add: [1, 2] }`), evaluated once per command. */
export function evaluateLet(lets: Doc, outer: Doc | undefined): Doc {
  const [row] = new Aggregator([{ $project: { _id: 0, v: { $literal: null }, ...prefixed(lets) } }], {
    variables: outer,
  }).run([{}]) as Doc[];
  const out: Doc = { ...(outer ?? {}) };
  for (const k of Object.keys(lets)) setOwn(out, k, row?.[`v_${k}`] ?? null);
  return out;
}

function prefixed(lets: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(lets))
    out[`v_${k}`] = v === null || typeof v !== 'object' || Array.isArray(v) ? { $literal: v } : v;
  return out;
}
