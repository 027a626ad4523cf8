import { Binary } from 'bson';
import { bsonTag, isPlainObject, numericKind, toNumber, typeClass, type Doc, type Value } from './bson-values';
import { compareValues, valuesEqual } from './compare';
import { MongoServerError } from './errors';
import { hasOwn } from './own';

/**
 * `$jsonSchema` (draft 4 as mongod implements it: `bsonType` beside `type`, no `$ref`,
 * `format` or `integer`). A keyword constrains only values of its kind (`minimum` numbers,
 * `minLength` strings, `properties` objects …), as in JSON Schema. Each check returns the
 * rules it broke, shaped like mongod's `schemaRulesNotSatisfied` in a 121 error's errInfo.
 */
export type SchemaCheck = (v: Value) => Doc[];

const BSON_TYPES = new Set([
  'double',
  'string',
  'object',
  'array',
  'binData',
  'undefined',
  'objectId',
  'bool',
  'date',
  'null',
  'regex',
  'dbPointer',
  'javascript',
  'symbol',
  'javascriptWithScope',
  'int',
  'timestamp',
  'long',
  'decimal',
  'minKey',
  'maxKey',
  'number',
]);
const JSON_TYPES = new Set(['object', 'array', 'number', 'boolean', 'string', 'null']);
const IGNORED = new Set(['title', 'description']);
const UNSUPPORTED = new Set(['$ref', '$schema', 'default', 'definitions', 'format', 'id']);

function parseError(message: string): MongoServerError {
  return new MongoServerError(9, message);
}

/** The BSON type name of a value, as $type and bsonType spell it. */
function bsonTypeName(v: Value): string {
  const c = typeClass(v);
  switch (c) {
    case 'number':
      return numericKind(v);
    case 'string':
      return bsonTag(v) === 'BSONSymbol' ? 'symbol' : 'string';
    case 'other':
      return bsonTag(v) === 'Code' ? 'javascript' : 'undefined';
    default:
      return c;
  }
}

function jsonTypeName(v: Value): string | undefined {
  const c = typeClass(v);
  if (c === 'bool') return 'boolean';
  if (c === 'number' || c === 'string' || c === 'object' || c === 'array' || c === 'null') return c;
  return undefined;
}

function typeList(spec: Value, keyword: string, known: Set<string>): string[] {
  const list = Array.isArray(spec) ? spec : [spec];
  if (list.length === 0) throw parseError(`${keyword} must be a non-empty array`);
  return list.map((t) => {
    if (typeof t !== 'string') throw parseError(`${keyword} must be a string or an array of strings`);
    if (keyword === 'type' && t === 'integer') {
      throw parseError("Unable to parse 'type' keyword: 'integer' is not supported; use bsonType instead");
    }
    if (!known.has(t)) throw parseError(`Unknown type name alias: ${t}`);
    return t;
  });
}

function count(spec: Value, keyword: string): number {
  if (typeClass(spec) !== 'number' || toNumber(spec) < 0 || !Number.isInteger(toNumber(spec))) {
    throw parseError(`$jsonSchema keyword '${keyword}' must be a representable non-negative integer`);
  }
  return toNumber(spec);
}

function schemaObject(spec: Value, keyword: string): Doc {
  if (!isPlainObject(spec)) throw parseError(`$jsonSchema keyword '${keyword}' must be an object`);
  return spec;
}

function fail(operatorName: string, specifiedAs: Doc, extra: Doc = {}): Doc {
  return { operatorName, specifiedAs, ...extra };
}

/** Compiles a schema; throws mongod's FailedToParse (9) for a malformed one. */
export function compileJsonSchema(schema: Value): SchemaCheck {
  const s = schemaObject(schema, '$jsonSchema');
  const checks: SchemaCheck[] = [];
  for (const keyword of Object.keys(s)) {
    const spec = s[keyword];
    if (IGNORED.has(keyword)) continue;
    if (UNSUPPORTED.has(keyword)) throw parseError(`$jsonSchema keyword '${keyword}' is not currently supported`);
    checks.push(compileKeyword(keyword, spec, s));
  }
  return (v) => checks.flatMap((c) => c(v));
}

function compileKeyword(keyword: string, spec: Value, s: Doc): SchemaCheck {
  switch (keyword) {
    case 'bsonType':
    case 'type': {
      if (keyword === 'type' && s.bsonType !== undefined) throw parseError('Cannot specify both type and bsonType');
      const types = typeList(spec, keyword, keyword === 'type' ? JSON_TYPES : BSON_TYPES);
      return (v) => {
        const name = keyword === 'type' ? jsonTypeName(v) : bsonTypeName(v);
        const ok = types.some((t) => t === name || (t === 'number' && typeClass(v) === 'number'));
        return ok
          ? []
          : [
              fail(
                keyword,
                { [keyword]: spec },
                {
                  reason: 'type did not match',
                  consideredValue: v,
                  consideredType: bsonTypeName(v),
                },
              ),
            ];
      };
    }
    case 'required': {
      if (!Array.isArray(spec) || spec.length === 0 || !spec.every((x) => typeof x === 'string')) {
        throw parseError("$jsonSchema keyword 'required' must be a non-empty array of strings");
      }
      const names = spec as string[];
      return (v) => {
        if (!isPlainObject(v)) return [];
        const missing = names.filter((n) => !hasOwn(v, n));
        return missing.length === 0 ? [] : [fail('required', { required: spec }, { missingProperties: missing })];
      };
    }
    case 'properties': {
      const props = schemaObject(spec, keyword);
      const compiled = Object.keys(props).map((name) => [name, compileJsonSchema(props[name])] as const);
      return (v) => {
        if (!isPlainObject(v)) return [];
        const bad: Doc[] = [];
        for (const [name, check] of compiled) {
          if (!hasOwn(v, name)) continue;
          const details = check(v[name]);
          if (details.length > 0) bad.push({ propertyName: name, details });
        }
        return bad.length === 0 ? [] : [{ operatorName: 'properties', propertiesNotSatisfied: bad }];
      };
    }
    case 'patternProperties':
    case 'additionalProperties':
      return compileAdditional(keyword, spec, s);
    case 'minProperties':
    case 'maxProperties': {
      const n = count(spec, keyword);
      return (v) => {
        if (!isPlainObject(v)) return [];
        const size = Object.keys(v).length;
        const ok = keyword === 'minProperties' ? size >= n : size <= n;
        return ok
          ? []
          : [
              fail(
                keyword,
                { [keyword]: spec },
                { reason: 'specified number of properties was not satisfied', numberOfProperties: size },
              ),
            ];
      };
    }
    case 'enum': {
      if (!Array.isArray(spec) || spec.length === 0)
        throw parseError("$jsonSchema keyword 'enum' must be a non-empty array");
      return (v) =>
        spec.some((x) => valuesEqual(v, x))
          ? []
          : [fail('enum', { enum: spec }, { reason: 'value was not found in enum', consideredValue: v })];
    }
    case 'minimum':
    case 'maximum': {
      if (typeClass(spec) !== 'number') throw parseError(`$jsonSchema keyword '${keyword}' must be a number`);
      const exclusive = keyword === 'minimum' ? s.exclusiveMinimum === true : s.exclusiveMaximum === true;
      return (v) => {
        if (typeClass(v) !== 'number') return [];
        const c = compareValues(v, spec);
        const ok = keyword === 'minimum' ? (exclusive ? c > 0 : c >= 0) : exclusive ? c < 0 : c <= 0;
        return ok ? [] : [fail(keyword, { [keyword]: spec }, { reason: `comparison failed`, consideredValue: v })];
      };
    }
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      if (typeof spec !== 'boolean') throw parseError(`$jsonSchema keyword '${keyword}' must be a boolean`);
      const partner = keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (s[partner] === undefined)
        throw parseError(`$jsonSchema keyword '${partner}' must be a present if ${keyword} is present`);
      return () => [];
    }
    case 'multipleOf': {
      if (typeClass(spec) !== 'number' || toNumber(spec) <= 0)
        throw parseError("$jsonSchema keyword 'multipleOf' must have a positive value");
      const d = toNumber(spec);
      return (v) =>
        typeClass(v) !== 'number' || toNumber(v) % d === 0
          ? []
          : [
              fail(
                'multipleOf',
                { multipleOf: spec },
                { reason: 'considered value is not a multiple of the specified value', consideredValue: v },
              ),
            ];
    }
    case 'minLength':
    case 'maxLength': {
      const n = count(spec, keyword);
      return (v) => {
        if (typeof v !== 'string') return [];
        const len = [...v].length;
        const ok = keyword === 'minLength' ? len >= n : len <= n;
        return ok
          ? []
          : [
              fail(
                keyword,
                { [keyword]: spec },
                { reason: 'specified string length was not satisfied', consideredValue: v },
              ),
            ];
      };
    }
    case 'pattern': {
      if (typeof spec !== 'string') throw parseError("$jsonSchema keyword 'pattern' must be a string");
      const re = new RegExp(spec, 'u');
      return (v) =>
        typeof v !== 'string' || re.test(v)
          ? []
          : [fail('pattern', { pattern: spec }, { reason: 'regular expression did not match', consideredValue: v })];
    }
    case 'items':
    case 'additionalItems':
      return compileItems(keyword, spec, s);
    case 'minItems':
    case 'maxItems': {
      const n = count(spec, keyword);
      return (v) => {
        if (!Array.isArray(v)) return [];
        const ok = keyword === 'minItems' ? v.length >= n : v.length <= n;
        return ok
          ? []
          : [
              fail(
                keyword,
                { [keyword]: spec },
                { reason: 'array did not match specified length', consideredValue: v },
              ),
            ];
      };
    }
    case 'uniqueItems': {
      if (typeof spec !== 'boolean') throw parseError("$jsonSchema keyword 'uniqueItems' must be a boolean");
      return (v) => {
        if (!spec || !Array.isArray(v)) return [];
        const dup = v.find((x, i) => v.slice(i + 1).some((y) => valuesEqual(x, y)));
        return dup === undefined
          ? []
          : [
              fail(
                'uniqueItems',
                { uniqueItems: spec },
                { reason: 'found a duplicate item', consideredValue: v, duplicatedValue: dup },
              ),
            ];
      };
    }
    case 'allOf':
    case 'anyOf':
    case 'oneOf': {
      if (!Array.isArray(spec) || spec.length === 0)
        throw parseError(`$jsonSchema keyword '${keyword}' must be a non-empty array`);
      const subs = spec.map((x) => compileJsonSchema(x));
      return (v) => {
        const results = subs.map((c) => c(v));
        const passed = results.filter((r) => r.length === 0).length;
        const ok = keyword === 'allOf' ? passed === subs.length : keyword === 'anyOf' ? passed > 0 : passed === 1;
        if (ok) return [];
        return [
          {
            operatorName: keyword,
            schemasNotSatisfied: results
              .map((details, index) => ({ index, details }))
              .filter((r) => r.details.length > 0),
          },
        ];
      };
    }
    case 'not': {
      const sub = compileJsonSchema(spec);
      return (v) => (sub(v).length > 0 ? [] : [fail('not', { not: spec }, { reason: 'child expression matched' })]);
    }
    case 'dependencies': {
      const deps = schemaObject(spec, keyword);
      const compiled = Object.keys(deps).map((name) => {
        const d = deps[name];
        if (Array.isArray(d)) {
          const names = d.map(String);
          return (v: Doc): Doc[] => {
            const missing = names.filter((n) => !hasOwn(v, n));
            return missing.length === 0 ? [] : [{ conditionalProperty: name, missingProperties: missing }];
          };
        }
        const sub = compileJsonSchema(d);
        return (v: Doc): Doc[] => {
          const details = sub(v);
          return details.length === 0 ? [] : [{ conditionalProperty: name, details }];
        };
      });
      const names = Object.keys(deps);
      return (v) => {
        if (!isPlainObject(v)) return [];
        const bad = compiled.flatMap((c, i) => (hasOwn(v, names[i]) ? c(v) : []));
        return bad.length === 0 ? [] : [{ operatorName: 'dependencies', failingDependencies: bad }];
      };
    }
    default:
      throw parseError(`Unknown $jsonSchema keyword: ${keyword}`);
  }
}

function compileAdditional(keyword: string, spec: Value, s: Doc): SchemaCheck {
  if (keyword === 'patternProperties') {
    const pats = schemaObject(spec, keyword);
    const compiled = Object.keys(pats).map((p) => [new RegExp(p, 'u'), compileJsonSchema(pats[p])] as const);
    return (v) => {
      if (!isPlainObject(v)) return [];
      const bad: Doc[] = [];
      for (const k of Object.keys(v)) {
        for (const [re, check] of compiled) {
          if (!re.test(k)) continue;
          const details = check(v[k]);
          if (details.length > 0) bad.push({ propertyName: k, details });
        }
      }
      return bad.length === 0 ? [] : [{ operatorName: 'patternProperties', propertiesNotSatisfied: bad }];
    };
  }
  const known = isPlainObject(s.properties) ? Object.keys(s.properties) : [];
  const patterns = isPlainObject(s.patternProperties)
    ? Object.keys(s.patternProperties).map((p) => new RegExp(p, 'u'))
    : [];
  const isAdditional = (k: string): boolean => !known.includes(k) && !patterns.some((re) => re.test(k));
  if (typeof spec === 'boolean') {
    return (v) => {
      if (spec || !isPlainObject(v)) return [];
      const extra = Object.keys(v).filter(isAdditional);
      return extra.length === 0
        ? []
        : [fail('additionalProperties', { additionalProperties: false }, { additionalProperties: extra })];
    };
  }
  const sub = compileJsonSchema(spec);
  return (v) => {
    if (!isPlainObject(v)) return [];
    const bad = Object.keys(v)
      .filter(isAdditional)
      .flatMap((k) => {
        const details = sub(v[k]);
        return details.length === 0 ? [] : [{ propertyName: k, details }];
      });
    return bad.length === 0 ? [] : [{ operatorName: 'additionalProperties', propertiesNotSatisfied: bad }];
  };
}

function compileItems(keyword: string, spec: Value, s: Doc): SchemaCheck {
  if (keyword === 'additionalItems') {
    if (!Array.isArray(s.items)) return () => [];
    const from = s.items.length;
    if (typeof spec === 'boolean') {
      return (v) =>
        spec || !Array.isArray(v) || v.length <= from
          ? []
          : [
              fail(
                'additionalItems',
                { additionalItems: spec },
                { reason: 'found additional items', additionalItems: v.slice(from) },
              ),
            ];
    }
    const sub = compileJsonSchema(spec);
    return (v) => {
      if (!Array.isArray(v)) return [];
      const bad = v.slice(from).flatMap((x, i) => {
        const details = sub(x);
        return details.length === 0 ? [] : [{ itemIndex: from + i, details }];
      });
      return bad.length === 0 ? [] : [{ operatorName: 'additionalItems', details: bad }];
    };
  }
  if (Array.isArray(spec)) {
    const subs = spec.map((x) => compileJsonSchema(x));
    return (v) => {
      if (!Array.isArray(v)) return [];
      const bad = subs.flatMap((c, i) => {
        if (i >= v.length) return [];
        const details = c(v[i]);
        return details.length === 0 ? [] : [{ itemIndex: i, details }];
      });
      return bad.length === 0 ? [] : [{ operatorName: 'items', details: bad }];
    };
  }
  const sub = compileJsonSchema(spec);
  return (v) => {
    if (!Array.isArray(v)) return [];
    const bad = v.flatMap((x, i) => {
      const details = sub(x);
      return details.length === 0 ? [] : [{ itemIndex: i, details }];
    });
    return bad.length === 0
      ? []
      : [{ operatorName: 'items', reason: 'At least one item did not match the sub-schema', details: bad }];
  };
}

/** Bits of a value for $bits*: an integral number in 64-bit two's complement, or binData bytes. */
export function bitTester(v: Value): ((pos: number) => boolean) | undefined {
  if (typeClass(v) === 'number') {
    const n = toNumber(v);
    if (!Number.isInteger(n) || Math.abs(n) > 2 ** 63) return undefined;
    const kind = numericKind(v);
    const big = kind === 'long' ? BigInt((v as { toString(): string }).toString()) : BigInt(n);
    const bits = BigInt.asUintN(64, big);
    return (pos) => (pos >= 64 ? big < 0n : ((bits >> BigInt(pos)) & 1n) === 1n);
  }
  if (bsonTag(v) === 'Binary') {
    const b = v as Binary;
    const bytes = b.buffer.subarray(0, b.position);
    return (pos) => {
      const byte = pos >> 3;
      return byte < bytes.length && ((bytes[byte] >> (pos & 7)) & 1) === 1;
    };
  }
  return undefined;
}
