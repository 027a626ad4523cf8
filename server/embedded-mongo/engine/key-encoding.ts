import type { Binary, BSONRegExp, Decimal128, Long, ObjectId, Timestamp } from 'bson';
import { bsonTag, toNumber, typeClass, TYPE_ORDER, type Doc, type Value } from './bson-values';
import { parseExact } from './decimal';

/**
 * An order-preserving byte encoding of BSON values: for any a, b the encodings compare with
 * memcmp as compareRaw(a, b) compares the values (the engine's binary order, which is mongod's).
 * Equal values (Int32 1, Double 1.0, Long 1, Decimal128 "1.00") encode to the same bytes.
 * The encoding is prefix-free (no value's bytes are a proper prefix of another's), so
 * components can be concatenated into compound keys, and a descending component is the
 * same bytes inverted (each byte XOR 0xFF).
 *
 *   value      = typeByte body          typeByte = TYPE_ORDER[class] + 1 (0x00 is a terminator)
 *   number     = 01 NaN | 02 -Inf | 03 ~(exp16 digits 00) negative | 04 zero | 05 exp16 digits 00 | 06 +Inf
 *                (the exact decimal value: a double counts as its shortest round-trip decimal, as
 *                compare.ts does; exp16 = decimal exponent + 0x8000; digits are 01..0A, no trailing 0)
 *   string     = UTF-16 code-unit order (CESU-8 bytes), NUL as 00 FF, ended by 00 01
 *   object     = (typeByte(v) name-string body(v))* 00;   array = (typeByte body)* 00
 *   binData    = u32 length, subtype, bytes;   objectId = 12 bytes;   bool = 00 | 01
 *   date       = int64 ms with the sign bit flipped;   timestamp = u64;   regex = pattern, flags
 */

class Writer {
  buf = Buffer.allocUnsafe(64);
  len = 0;

  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  invertFrom(start: number): void {
    for (let i = start; i < this.len; i++) this.buf[i] ^= 0xff;
  }

  result(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

// eslint-disable-next-line no-control-regex -- NUL is exactly what must be escaped
const SURROGATE_OR_NUL = /[\u0000\ud800-\udfff]/;

function writeString(w: Writer, s: string): void {
  if (!SURROGATE_OR_NUL.test(s)) {
    // No surrogates: UTF-8 and CESU-8 are the same bytes, and Buffer's encoder is fast.
    const n = Buffer.byteLength(s, 'utf8');
    w.reserve(n + 2);
    w.len += w.buf.write(s, w.len, 'utf8');
  } else {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0) {
        w.byte(0x00);
        w.byte(0xff);
      } else if (c < 0x80) w.byte(c);
      else if (c < 0x800) {
        w.byte(0xc0 | (c >> 6));
        w.byte(0x80 | (c & 0x3f));
      } else {
        // Each UTF-16 code unit on its own (surrogates too): byte order = code-unit order.
        w.byte(0xe0 | (c >> 12));
        w.byte(0x80 | ((c >> 6) & 0x3f));
        w.byte(0x80 | (c & 0x3f));
      }
    }
  }
  w.byte(0x00);
  w.byte(0x01);
}

function writeMagnitude(w: Writer, negative: boolean, digits: string, exponent: number): void {
  w.byte(negative ? 0x03 : 0x05);
  const start = w.len;
  const e = exponent + 0x8000;
  w.byte((e >> 8) & 0xff);
  w.byte(e & 0xff);
  w.reserve(digits.length + 1);
  for (let i = 0; i < digits.length; i++) w.buf[w.len++] = digits.charCodeAt(i) - 0x2f; // '0' → 01
  w.buf[w.len++] = 0x00;
  if (negative) w.invertFrom(start);
}

/** Digits without trailing zeros, and the exponent of the first digit (scientific notation). */
function writeDecimal(w: Writer, negative: boolean, digits: string, pointAfter: number): void {
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 0x30) end--;
  let start = 0;
  while (start < end - 1 && digits.charCodeAt(start) === 0x30) start++;
  writeMagnitude(w, negative, digits.slice(start, end), pointAfter - start - 1);
}

function writeDouble(w: Writer, n: number): void {
  if (Number.isNaN(n)) return w.byte(0x01);
  if (n === 0) return w.byte(0x04);
  if (n === Infinity) return w.byte(0x06);
  if (n === -Infinity) return w.byte(0x02);
  const negative = n < 0;
  if (Number.isSafeInteger(n)) {
    const digits = String(negative ? -n : n);
    return writeDecimal(w, negative, digits, digits.length);
  }
  // toExponential() without an argument gives the shortest round-trip digits, like String(n).
  const text = (negative ? -n : n).toExponential();
  const at = text.indexOf('e');
  const mantissa = text.slice(0, at).replace('.', '');
  writeDecimal(w, negative, mantissa, Number(text.slice(at + 1)) + 1);
}

function writeBigInt(w: Writer, b: bigint): void {
  if (b === 0n) return w.byte(0x04);
  const negative = b < 0n;
  const digits = (negative ? -b : b).toString();
  writeDecimal(w, negative, digits, digits.length);
}

function writeNumber(w: Writer, v: Value): void {
  switch (bsonTag(v)) {
    case 'Long':
      return writeBigInt(w, (v as Long).toBigInt());
    case 'Decimal128': {
      const exact = parseExact((v as Decimal128).toString());
      if (!exact) return writeDouble(w, toNumber(v)); // NaN, ±Infinity
      if (exact.coefficient === 0n) return w.byte(0x04);
      const negative = exact.coefficient < 0n;
      const digits = (negative ? -exact.coefficient : exact.coefficient).toString();
      return writeDecimal(w, negative, digits, digits.length + exact.exponent);
    }
    default:
      if (typeof v === 'bigint') return writeBigInt(w, v);
      return writeDouble(w, toNumber(v));
  }
}

function typeByte(v: Value): number {
  return TYPE_ORDER[typeClass(v)] + 1;
}

function writeU32(w: Writer, n: number): void {
  w.reserve(4);
  w.buf.writeUInt32BE(n, w.len);
  w.len += 4;
}

function writeBody(w: Writer, v: Value): void {
  switch (typeClass(v)) {
    case 'null':
    case 'minKey':
    case 'maxKey':
      return;
    case 'number':
      return writeNumber(w, v);
    case 'string':
      return writeString(w, typeof v === 'string' ? v : String((v as { value: string }).value));
    case 'object': {
      for (const [k, x] of Object.entries(v as Doc)) {
        w.byte(typeByte(x));
        writeString(w, k);
        writeBody(w, x);
      }
      return w.byte(0x00);
    }
    case 'array': {
      for (const x of v as Value[]) writeTyped(w, x);
      return w.byte(0x00);
    }
    case 'binData': {
      const b = v as Binary;
      writeU32(w, b.position);
      w.byte(b.sub_type);
      return w.bytes(b.buffer.subarray(0, b.position));
    }
    case 'objectId':
      return w.bytes((v as ObjectId).id);
    case 'bool':
      return w.byte(v ? 1 : 0);
    case 'date': {
      const t = (v as Date).getTime();
      w.reserve(8);
      if (Number.isNaN(t)) w.buf.fill(0, w.len, w.len + 8);
      else w.buf.writeBigUInt64BE(BigInt(t) + 0x8000000000000000n, w.len);
      w.len += 8;
      return;
    }
    case 'timestamp':
      w.reserve(8);
      w.buf.writeBigUInt64BE((v as Timestamp).toBigInt(), w.len);
      w.len += 8;
      return;
    case 'regex': {
      const [pattern, flags] =
        v instanceof RegExp ? [v.source, v.flags] : [(v as BSONRegExp).pattern, (v as BSONRegExp).options];
      writeString(w, pattern);
      return writeString(w, flags);
    }
    default:
      return writeString(w, String(v));
  }
}

function writeTyped(w: Writer, v: Value): void {
  w.byte(typeByte(v));
  writeBody(w, v);
}

/** The encoding of one value (ascending). */
export function encodeValue(v: Value): Buffer {
  const w = new Writer();
  writeTyped(w, v);
  return w.result();
}

/** The encoding of a compound key: its components in order, each inverted where `directions` says -1. */
export function encodeKey(values: readonly Value[], directions?: readonly (1 | -1)[]): Buffer {
  const w = new Writer();
  for (let i = 0; i < values.length; i++) {
    const start = w.len;
    writeTyped(w, values[i]);
    if (directions?.[i] === -1) w.invertFrom(start);
  }
  return w.result();
}

/** The first byte of every encoding of a value of this class (ascending). */
export function classByte(v: Value): number {
  return typeByte(v);
}

/** The smallest byte string greater than every string that starts with `prefix` (undefined: none). */
export function prefixEnd(prefix: Buffer): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = Buffer.from(prefix.subarray(0, end));
  out[end - 1]++;
  return out;
}

/** Each byte XOR 0xFF (a descending component). */
export function invert(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] ^ 0xff;
  return out;
}
