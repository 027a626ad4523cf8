import { Double, EJSON, Int32, Long, ObjectId } from 'bson';
import { matchRootDocuments, matchValue, type MatchContext } from './unified/matcher';

/** Expected values are parsed the way the runner parses test files. */
const expected = (json: string): unknown => EJSON.parse(json, { relaxed: false });

const matches = (exp: string, actual: unknown, root = true): boolean => matchValue(expected(exp), actual, { root }).ok;

describe('the conformance matcher', () => {
  describe('extra keys', () => {
    it('allows extra keys in a root-level document', () => {
      expect(matches('{"x": 1}', { x: 1, y: 2 })).toBe(true);
    });

    it('rejects extra keys in a nested document', () => {
      const r = matchValue(expected('{"x": {"y": 1}}'), { x: { y: 1, z: 1 } });
      expect(r).toMatchObject({ ok: false, path: 'x' });
    });

    it('rejects extra keys at the root when the document is not root-level', () => {
      expect(matches('{"x": 1}', { x: 1, y: 2 }, false)).toBe(false);
    });

    it('rejects a missing expected key', () => {
      expect(matchValue(expected('{"x": 1, "y": 1}'), { x: 1 })).toMatchObject({ ok: false, path: 'y' });
    });

    it('ignores key order', () => {
      expect(matches('{"a": {"x": 1, "y": 2}}', { a: { y: 2, x: 1 } })).toBe(true);
    });

    it('matches each document of a cursor result as root-level', () => {
      const exp = expected('[{"_id": 1}, {"_id": 2}]');
      expect(
        matchRootDocuments(exp, [
          { _id: 1, x: 1 },
          { _id: 2, x: 2 },
        ]).ok,
      ).toBe(true);
      expect(matchRootDocuments(exp, [{ _id: 1 }]).ok).toBe(false);
    });

    it('does not treat documents inside a plain array (distinct) as root-level', () => {
      expect(matches('[{"x": 1}]', [{ x: 1, y: 1 }])).toBe(false);
    });
  });

  describe('arrays', () => {
    it('requires the same number of elements', () => {
      expect(matches('[1, 2, 3]', [1, 2, 3, 4])).toBe(false);
      expect(matches('[1, 2, 3]', [1, 2])).toBe(false);
      expect(matches('[1, 2, 3]', [1, 2, 3])).toBe(true);
    });

    it('compares elements in order', () => {
      expect(matches('[1, 2]', [2, 1])).toBe(false);
    });

    it('does not accept a non-array', () => {
      expect(matches('{"a": [1]}', { a: 1 })).toBe(false);
    });
  });

  describe('numbers', () => {
    it('treats Int32, Long, Double and JS numbers as equal by value', () => {
      expect(matchValue(new Int32(1), 1).ok).toBe(true);
      expect(matchValue(new Int32(1), new Double(1)).ok).toBe(true);
      expect(matchValue(Long.fromNumber(1), 1.0).ok).toBe(true);
      expect(matchValue(new Double(1), Long.fromNumber(1)).ok).toBe(true);
      expect(matches('{"n": {"$numberLong": "5"}}', { n: 5 })).toBe(true);
      expect(matches('{"n": {"$numberDouble": "5.0"}}', { n: new Int32(5) })).toBe(true);
    });

    it('still tells different values apart', () => {
      expect(matchValue(new Int32(1), 1.5).ok).toBe(false);
      expect(matchValue(Long.fromString('9007199254740993'), 9007199254740992).ok).toBe(false);
    });

    it('does not confuse numbers with strings or booleans', () => {
      expect(matchValue(new Int32(1), '1').ok).toBe(false);
      expect(matchValue(new Int32(1), true).ok).toBe(false);
    });
  });

  describe('$$exists', () => {
    it('asserts presence', () => {
      expect(matches('{"a": {"$$exists": true}}', { a: null })).toBe(true);
      expect(matches('{"a": {"$$exists": true}}', {})).toBe(false);
    });

    it('asserts absence', () => {
      expect(matches('{"a": {"$$exists": false}}', {})).toBe(true);
      expect(matches('{"a": {"$$exists": false}}', { a: 1 })).toBe(false);
    });

    it('treats an undefined property as absent', () => {
      expect(matches('{"a": {"$$exists": false}}', { a: undefined })).toBe(true);
    });
  });

  describe('$$unsetOrMatches', () => {
    it('accepts a missing key', () => {
      expect(matches('{"insertedId": {"$$unsetOrMatches": 2}}', {})).toBe(true);
    });

    it('matches a present value', () => {
      expect(matches('{"insertedId": {"$$unsetOrMatches": 2}}', { insertedId: 2 })).toBe(true);
      expect(matches('{"insertedId": {"$$unsetOrMatches": 2}}', { insertedId: 3 })).toBe(false);
    });

    it('accepts a missing whole result and keeps root-level rules inside', () => {
      const exp = '{"$$unsetOrMatches": {"insertedIds": {"$$unsetOrMatches": {"0": 1}}}}';
      expect(matches(exp, undefined)).toBe(true);
      expect(matches(exp, { insertedIds: { 0: 1 }, insertedCount: 1 })).toBe(true);
      expect(matches(exp, { insertedIds: { 0: 1, 1: 2 } })).toBe(false);
    });
  });

  describe('$$type', () => {
    it('accepts one of several types', () => {
      expect(matches('{"a": {"$$type": ["string", "object"]}}', { a: 'x' })).toBe(true);
      expect(matches('{"a": {"$$type": ["string", "object"]}}', { a: { b: 1 } })).toBe(true);
      expect(matches('{"a": {"$$type": ["string", "object"]}}', { a: 1 })).toBe(false);
    });

    it('knows BSON types', () => {
      expect(matches('{"a": {"$$type": "objectId"}}', { a: new ObjectId() })).toBe(true);
      expect(matches('{"a": {"$$type": "date"}}', { a: new Date() })).toBe(true);
      expect(matches('{"a": {"$$type": "array"}}', { a: [] })).toBe(true);
      expect(matches('{"a": {"$$type": "long"}}', { a: Long.fromNumber(1) })).toBe(true);
      expect(matches('{"a": {"$$type": "int"}}', { a: Long.fromNumber(1) })).toBe(false);
    });

    it('lets a deserialized JS number stand for int, long or double', () => {
      expect(matches('{"a": {"$$type": ["int", "long"]}}', { a: 3 })).toBe(true);
      expect(matches('{"a": {"$$type": "double"}}', { a: 0.25 })).toBe(true);
      expect(matches('{"a": {"$$type": "int"}}', { a: 0.25 })).toBe(false);
    });

    it('requires the value to exist', () => {
      expect(matches('{"a": {"$$type": "string"}}', {})).toBe(false);
    });
  });

  describe('other operators', () => {
    const context: MatchContext = {
      entity: (name) => (name === 'id0' ? 7 : undefined),
      sessionLsid: () => ({ id: 'lsid' }),
    };

    it('$$lte compares numbers flexibly', () => {
      expect(matchValue(expected('{"$$lte": 5}'), 5.0).ok).toBe(true);
      expect(matchValue(expected('{"$$lte": 5}'), 6).ok).toBe(false);
    });

    it('$$matchesEntity uses saved results', () => {
      expect(matchValue(expected('{"a": {"$$matchesEntity": "id0"}}'), { a: 7 }, { context }).ok).toBe(true);
      expect(matchValue(expected('{"a": {"$$matchesEntity": "id0"}}'), { a: 8 }, { context }).ok).toBe(false);
    });

    it('$$sessionLsid compares with the session id', () => {
      expect(matchValue(expected('{"lsid": {"$$sessionLsid": "s"}}'), { lsid: { id: 'lsid' } }, { context }).ok).toBe(
        true,
      );
    });
  });

  describe('BSON values', () => {
    it('compares ObjectIds, dates and regular expressions by value', () => {
      const id = new ObjectId();
      expect(matchValue({ _id: new ObjectId(id.toHexString()) }, { _id: id }).ok).toBe(true);
      expect(matches('{"d": {"$date": "2020-01-01T00:00:00Z"}}', { d: new Date('2020-01-01T00:00:00Z') })).toBe(true);
      expect(matches('{"r": {"$regularExpression": {"pattern": "^a", "options": "i"}}}', { r: /^a/i })).toBe(true);
    });

    it('reports where and how a match failed', () => {
      const r = matchValue(expected('{"a": {"b": [1, {"c": 2}]}}'), { a: { b: [1, { c: 3 }] } });
      expect(r).toEqual({ ok: false, path: 'a.b[1].c', message: 'expected 2, got 3' });
    });
  });
});
