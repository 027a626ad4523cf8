import type { Doc, Value } from './bson-values';

/**
 * Field names are data. `__proto__`, `constructor` and `prototype` are ordinary field names in
 * MongoDB, so every read of a document field checks that the key is the object's own, and
 * every write of a field defines it as own data: `obj[key] = v` with key `__proto__` would
 * change the object's prototype, and walking into an inherited `constructor.prototype` would
 * reach `Object.prototype` itself.
 */
export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

export function getOwn(obj: Doc, key: string): Value | undefined {
  return hasOwn(obj, key) ? obj[key] : undefined;
}

export function setOwn(obj: Doc, key: string, value: Value): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else obj[key] = value;
}
