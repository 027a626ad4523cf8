import type { Binary, Decimal128, Long, ObjectId } from 'bson';
import { bsonTag, isPlainObject, typeClass, type Value } from './bson-values';

/** Renders a value the way mongod prints it in error messages: `{ name: "x" }`, `ObjectId('…')`. */
export function formatValue(v: Value): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[ ${v.map(formatValue).join(', ')} ]`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof RegExp) return `/${v.source}/${v.flags}`;
  switch (bsonTag(v)) {
    case 'ObjectId':
      return `ObjectId('${(v as ObjectId).toHexString()}')`;
    case 'Int32':
    case 'Double':
      return String((v as { value: number }).value);
    case 'Long':
      return (v as Long).toString();
    case 'Decimal128':
      return `${(v as Decimal128).toString()}`;
    case 'Binary':
      return `BinData(${(v as Binary).sub_type}, ${Buffer.from((v as Binary).buffer)
        .toString('hex')
        .toUpperCase()})`;
    default:
      break;
  }
  if (isPlainObject(v)) {
    const entries = Object.entries(v);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${k}: ${formatValue(x)}`).join(', ')} }`;
  }
  return typeClass(v);
}
