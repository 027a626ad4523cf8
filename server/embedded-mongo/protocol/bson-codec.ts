import { deserialize, serialize, type Document } from 'bson';

/**
 * How the server decodes and encodes BSON: numbers stay typed wrappers (Int32, Double,
 * Long, Decimal128) and regexes stay BSONRegExp, so stored values keep their BSON types.
 */
export function decodeDocument(bytes: Buffer): Document {
  return deserialize(bytes, { promoteValues: false, promoteLongs: false, promoteBuffers: false, bsonRegExp: true });
}

export function encodeDocument(doc: Document): Buffer {
  return Buffer.from(serialize(doc, { ignoreUndefined: true }));
}
