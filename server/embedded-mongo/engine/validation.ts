import { isPlainObject, type Doc } from './bson-values';
import type { Collection } from './collection';
import { MongoServerError } from './errors';
import { compileJsonSchema } from './json-schema';
import { compileFilter, type Predicate } from './query';

/**
 * Collection validators (`create`/`collMod` with validator, validationLevel,
 * validationAction). A write whose new document fails is refused with 121, unless the
 * command says bypassDocumentValidation.
 */
let bypassed = false;
const compiled = new WeakMap<Doc, Predicate>();

export function withValidationBypass<T>(bypass: boolean, fn: () => T): T {
  const saved = bypassed;
  bypassed = bypass;
  try {
    return fn();
  } finally {
    bypassed = saved;
  }
}

function validatorOf(coll: Collection): Predicate | undefined {
  const v = coll.options.validator;
  if (!isPlainObject(v) || Object.keys(v).length === 0) return undefined;
  let p = compiled.get(v);
  if (!p) {
    p = compileFilter(v);
    compiled.set(v, p);
  }
  return p;
}

/** Throws 121 if `next` (replacing `old`, for updates) breaks the collection's validator. */
export function checkValidator(coll: Collection, next: Doc, old?: Doc): void {
  if (bypassed || coll.options.validationLevel === 'off' || coll.options.validationAction === 'warn') return;
  const valid = validatorOf(coll);
  if (!valid || valid(next)) return;
  // 'moderate' leaves documents that were already invalid free to change.
  if (old && coll.options.validationLevel === 'moderate' && !valid(old)) return;
  throw new MongoServerError(121, 'Document failed validation', {
    errInfo: { failingDocumentId: next._id, details: failureDetails(coll.options.validator as Doc, next) },
  });
}

/** errInfo.details as mongod shapes them: the $jsonSchema rules not satisfied, or the clauses. */
function failureDetails(validator: Doc, doc: Doc): Doc {
  const keys = Object.keys(validator);
  if (keys.length === 1 && keys[0] === '$jsonSchema') {
    return { operatorName: '$jsonSchema', schemaRulesNotSatisfied: compileJsonSchema(validator.$jsonSchema)(doc) };
  }
  const failing = keys.filter((k) => !compileFilter({ [k]: validator[k] })(doc));
  return {
    operatorName: '$and',
    clausesNotSatisfied: failing.map((k) =>
      k === '$jsonSchema'
        ? {
            index: keys.indexOf(k),
            details: {
              operatorName: '$jsonSchema',
              schemaRulesNotSatisfied: compileJsonSchema(validator.$jsonSchema)(doc),
            },
          }
        : { index: keys.indexOf(k), details: { operatorName: k, specifiedAs: { [k]: validator[k] } } },
    ),
  };
}
