import { Int32 } from 'bson';
import { isPlainObject, promoteExpr, toNumber, type Doc, type Value } from './bson-values';
import { withStringOrder } from './compare';
import { MongoServerError } from './errors';
import { evaluateLet } from './let-vars';

/**
 * Per-command settings that change how values compare or expressions evaluate: the
 * collation and the `let` variables. Set around the synchronous part of a command.
 */
let variables: Doc | undefined;
let indexSpecs: (() => Iterable<Doc>) | undefined;

/** The index specs of the collection the command names ($text finds its text index there). */
export function commandIndexSpecs(): Iterable<Doc> {
  return indexSpecs?.() ?? [];
}

export function letVariables(): Doc | undefined {
  return variables;
}

export function withCommandEnv<T>(collation: Value, lets: Value, fn: () => T, specs?: () => Iterable<Doc>): T {
  const savedVars = variables;
  const savedSpecs = indexSpecs;
  if (specs !== undefined) indexSpecs = specs;
  if (lets !== undefined && !isPlainObject(lets))
    throw new MongoServerError(14, "BSON field 'let' is the wrong type, expected type 'object'");
  variables = lets === undefined ? savedVars : evaluateLet(promoteExpr(lets) as Doc, savedVars);
  const savedCollation = activeCollation;
  try {
    const order = collationOrder(collation);
    activeCollation = order ? collationId(collation) : undefined;
    return order ? withStringOrder(order.compare, order.fold, fn) : fn();
  } finally {
    variables = savedVars;
    indexSpecs = savedSpecs;
    activeCollation = savedCollation;
  }
}

/** The command's collation as collationId gives it (undefined: simple, binary). */
let activeCollation: string | undefined;

export function activeCollationId(): string | undefined {
  return activeCollation;
}

/**
 * A collation spelled out as mongod lists it on an index (every option with its default), or
 * undefined for the simple (binary) collation. Throws mongod's error for a malformed one.
 */
export function normalizeCollation(collation: Value): Doc | undefined {
  if (collationOrder(collation) === undefined || !isPlainObject(collation)) return undefined;
  const strength = collation.strength === undefined ? 3 : toNumber(collation.strength);
  return {
    locale: collation.locale,
    caseLevel: collation.caseLevel === true,
    caseFirst: typeof collation.caseFirst === 'string' ? collation.caseFirst : 'off',
    strength: new Int32(strength),
    numericOrdering: collation.numericOrdering === true,
    alternate: typeof collation.alternate === 'string' ? collation.alternate : 'non-ignorable',
    maxVariable: typeof collation.maxVariable === 'string' ? collation.maxVariable : 'punct',
    normalization: collation.normalization === true,
    backwards: collation.backwards === true,
    version: '57.1',
  };
}

/** One string per distinct collation (a command's and an index's compare equal when they are the same). */
export function collationId(collation: Value): string | undefined {
  const n = normalizeCollation(collation);
  if (!n) return undefined;
  return [
    n.locale,
    n.caseLevel,
    n.caseFirst,
    toNumber(n.strength),
    n.numericOrdering,
    n.alternate,
    n.maxVariable,
    n.backwards,
  ].join('|');
}

/**
 * The form an index stores a string in under a collation, so that strings the collation calls
 * equal share one key: strength 1 folds compatibility forms, case and diacritics (and ß to ss),
 * strength 2 compatibility forms and case, strength 3 and above canonical forms only. Intl has
 * no sort keys, so the folded form gives equality, not the collation's order: indexes with a
 * collation serve equality and $in on strings (and unique checks), not string ranges or sorts.
 * A collation whose equality this cannot reproduce (numericOrdering, alternate: shifted) gets
 * no string lookups at all (see indexFoldsEquality).
 */
export function indexStringFold(collation: Value): ((s: string) => string) | undefined {
  const n = normalizeCollation(collation);
  if (!n) return undefined;
  const strength = toNumber(n.strength);
  if (strength <= 1)
    return (s) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ß/g, 'ss').normalize('NFC');
  if (strength === 2) return (s) => s.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss');
  return (s) => s.normalize('NFC');
}

/** Whether equal folded forms are exactly the strings the collation calls equal (as far as indexStringFold goes). */
export function indexFoldsEquality(collation: Value): boolean {
  const n = normalizeCollation(collation);
  return n !== undefined && n.numericOrdering === false && n.alternate === 'non-ignorable' && n.caseLevel === false;
}

interface StringOrder {
  compare: (a: string, b: string) => number;
  fold: (s: string) => string;
}

function collationOrder(collation: Value): StringOrder | undefined {
  if (collation === undefined || collation === null) return undefined;
  if (!isPlainObject(collation) || typeof collation.locale !== 'string') {
    throw new MongoServerError(2, 'Missing expected field "locale"');
  }
  if (collation.locale === 'simple') return undefined;
  const strength = collation.strength === undefined ? 3 : toNumber(collation.strength);
  const sensitivity = strength <= 1 ? 'base' : strength === 2 ? 'accent' : 'variant';
  let collator: Intl.Collator;
  try {
    collator = new Intl.Collator(collation.locale.replace('_', '-'), {
      sensitivity,
      numeric: collation.numericOrdering === true,
    });
  } catch {
    throw new MongoServerError(2, `Field 'locale' is invalid in: { locale: "${collation.locale}" }`);
  }
  const fold = (s: string): string => {
    if (sensitivity === 'variant') return s;
    const lower = s.toLocaleLowerCase();
    return sensitivity === 'base' ? lower.normalize('NFD').replace(/\p{M}/gu, '') : lower;
  };
  return { compare: (a, b) => collator.compare(a, b), fold };
}
