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
  try {
    const order = collationOrder(collation);
    return order ? withStringOrder(order.compare, order.fold, fn) : fn();
  } finally {
    variables = savedVars;
    indexSpecs = savedSpecs;
  }
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
