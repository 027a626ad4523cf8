import { Binary, BSONRegExp, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { compareRaw } from '../../server/embedded-mongo/engine/compare';
import { encodeKey, encodeValue } from '../../server/embedded-mongo/engine/key-encoding';

/**
 * The index key encoding must sort exactly as the engine compares: for random pairs of
 * values of mixed BSON types, memcmp of the encodings has the sign of compareRaw.
 */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const random = rng(7);
const int = (n: number): number => Math.floor(random() * n);
const pick = <T>(xs: T[]): T => xs[int(xs.length)];

function randomNumber(): unknown {
  const small = int(41) - 20;
  switch (int(12)) {
    case 0:
      return new Int32(small);
    case 1:
      return new Double(small + pick([0, 0.5, 0.25, 0.1, -0.1, 1e-7]));
    case 2:
      return Long.fromNumber(small * pick([1, 1000, 2 ** 40]));
    case 3:
      return Decimal128.fromString(`${small}.${pick(['0', '00', '25', '5', '1', '10'])}`);
    case 4:
      return Decimal128.fromString(pick(['NaN', 'Infinity', '-Infinity', '-0', '1E+3', '1000', '0.001', '1E-3']));
    case 5:
      return new Double(pick([NaN, Infinity, -Infinity, -0, 0, 1e21, -1e21, 5e-324, 1.7976931348623157e308]));
    case 6:
      return small * pick([1, 1.5, 1e10, 1e-10]);
    case 7:
      return new Double(random() * 2 - 1);
    case 8:
      return Long.fromNumber(Math.round((random() * 2 - 1) * 2 ** 52));
    case 9:
      return new Double(Math.round((random() * 2 - 1) * 2 ** 52));
    case 10:
      return Decimal128.fromString(`${int(10)}.${int(1000)}E${int(20) - 10}`);
    default:
      return new Int32(int(2 ** 31) * pick([1, -1]));
  }
}

function randomString(): string {
  const alphabet = [
    'a',
    'b',
    'z',
    'A',
    ' ',
    '\u0000',
    '\u0001',
    'é',
    'ÿ',
    '白',
    '菜',
    '\uffff',
    '😀',
    '\ud83d',
    '\ue000',
  ];
  return Array.from({ length: int(5) }, () => pick(alphabet)).join('');
}

function randomValue(depth = 0): unknown {
  switch (int(depth > 1 ? 13 : 15)) {
    case 0:
    case 1:
    case 2:
      return randomNumber();
    case 3:
    case 4:
      return randomString();
    case 5:
      return null;
    case 6:
      return pick([true, false]);
    case 7:
      return new Date(pick([0, -1, 1, 1e12, -1e12, 8.64e15, -8.64e15, int(1000)]));
    case 8:
      return new ObjectId(
        Buffer.from(Array.from({ length: 12 }, () => pick([0, 1, 127, 128, 255, int(256)]))).toString('hex'),
      );
    case 9:
      return new Binary(Buffer.from(Array.from({ length: int(4) }, () => int(256))), pick([0, 4, 128]));
    case 10:
      return new Timestamp({ t: int(3), i: int(3) });
    case 11:
      return pick([new MinKey(), new MaxKey()]);
    case 12:
      return new BSONRegExp(randomString().split('\u0000').join(''), pick(['', 'i', 'im']));
    case 13:
      return Array.from({ length: int(3) }, () => randomValue(depth + 1));
    default: {
      const doc: Record<string, unknown> = {};
      for (let i = int(3); i > 0; i--) doc[pick(['a', 'b', 'ab', '白'])] = randomValue(depth + 1);
      return doc;
    }
  }
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('order-preserving key encoding', () => {
  it('orders random mixed-type values as the engine compares them', () => {
    const values = Array.from({ length: 600 }, () => randomValue());
    const mismatches: string[] = [];
    const encoded = values.map(encodeValue);
    for (let i = 0; i < values.length; i++) {
      for (let j = 0; j < 40; j++) {
        const k = int(values.length);
        const expected = sign(compareRaw(values[i], values[k]));
        const got = sign(Buffer.compare(encoded[i], encoded[k]));
        if (expected !== got) mismatches.push(`${String(values[i])} vs ${String(values[k])}: ${got} ≠ ${expected}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('sorting by encoding gives the engine sort of numbers of every width', () => {
    const values = Array.from({ length: 500 }, randomNumber);
    const byEncoding = [...values].sort((a, b) => Buffer.compare(encodeValue(a), encodeValue(b)));
    for (let i = 1; i < byEncoding.length; i++) {
      expect(compareRaw(byEncoding[i - 1], byEncoding[i])).toBeLessThanOrEqual(0);
    }
  });

  it('gives equal numbers of different types the same bytes (a unique index sees them as one key)', () => {
    const one = encodeValue(new Int32(1));
    for (const v of [new Double(1), Long.fromNumber(1), Decimal128.fromString('1.000'), 1]) {
      expect(encodeValue(v).equals(one)).toBe(true);
    }
    expect(encodeValue(new Double(-0)).equals(encodeValue(new Int32(0)))).toBe(true);
    expect(encodeValue(new Double(0.1)).equals(encodeValue(Decimal128.fromString('0.10')))).toBe(true);
  });

  it('orders longs beyond 2^53 exactly', () => {
    const big = Long.fromString('9007199254740993');
    expect(Buffer.compare(encodeValue(Long.fromString('9007199254740992')), encodeValue(big))).toBe(-1);
    expect(Buffer.compare(encodeValue(big), encodeValue(Long.fromString('9007199254740994')))).toBe(-1);
  });

  it('orders compound keys field by field, descending fields reversed', () => {
    const keys = Array.from({ length: 400 }, () => [randomValue(1), randomValue(1)]);
    const directions: (1 | -1)[] = [1, -1];
    const expected = (a: unknown[], b: unknown[]): number =>
      sign(compareRaw(a[0], b[0])) || sign(compareRaw(b[1], a[1]));
    for (let i = 0; i < keys.length; i++) {
      const k = int(keys.length);
      const got = sign(Buffer.compare(encodeKey(keys[i], directions), encodeKey(keys[k], directions)));
      expect({ a: keys[i], b: keys[k], got }).toEqual({ a: keys[i], b: keys[k], got: expected(keys[i], keys[k]) });
    }
  });
});
