import { deserialize, serialize, type Document } from 'bson';
import { isPlainObject, type Doc } from '../engine/bson-values';
import { storedCache } from '../engine/stored';

/**
 * How the server decodes and encodes BSON: numbers stay typed wrappers (Int32, Double,
 * Long, Decimal128) and regexes stay BSONRegExp, so stored values keep their BSON types.
 */
export function decodeDocument(bytes: Buffer): Document {
  return deserialize(bytes, { promoteValues: false, promoteLongs: false, promoteBuffers: false, bsonRegExp: true });
}

export function encodeDocument(doc: Document): Buffer {
  const bytes = serialize(doc, { ignoreUndefined: true });
  // A view, not a copy: serialize already returns fresh memory.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** One document's BSON; a stored document's is computed once and kept on it (engine/stored.ts). */
export function documentBytes(doc: Doc): Buffer {
  const cache = storedCache(doc);
  if (!cache) return encodeDocument(doc);
  if (!cache.bytes) {
    const encoded = encodeDocument(doc);
    // Its own memory: a slice of Node's shared pool would keep the whole pool slab alive.
    cache.bytes = Buffer.allocUnsafeSlow(encoded.length);
    encoded.copy(cache.bytes);
  }
  return cache.bytes;
}

const BATCH_KEYS = new Set(['firstBatch', 'nextBatch']);
const EMBEDDED_DOCUMENT = 0x03;
const ARRAY = 0x04;

/** The element bytes (no length, no terminator) of `{ [key]: value }` as the encoder writes them. */
function elementBytes(key: string, value: unknown): Buffer {
  const doc = encodeDocument({ [key]: value });
  return doc.subarray(4, doc.length - 1);
}

/** A BSON document (type byte and key first when `element` is given) around element bytes. */
function documentOf(parts: Buffer[], element?: { type: number; key: string }): Buffer {
  const head = element ? 1 + Buffer.byteLength(element.key, 'utf8') + 1 : 0;
  let size = 5;
  for (const p of parts) size += p.length;
  const out = Buffer.allocUnsafe(head + size);
  let at = 0;
  if (element) {
    out[at++] = element.type;
    at += out.write(element.key, at, 'utf8');
    out[at++] = 0;
  }
  out.writeInt32LE(size, at);
  at += 4;
  for (const p of parts) at += p.copy(out, at);
  out[at] = 0;
  return out;
}

/** A BSON array element of documents, built from each document's (possibly cached) bytes. */
function batchElement(key: string, docs: Doc[]): Buffer {
  const bytes = docs.map(documentBytes);
  let size = 5;
  bytes.forEach((b, i) => {
    size += 2 + String(i).length + b.length;
  });
  const head = 1 + Buffer.byteLength(key, 'utf8') + 1;
  const out = Buffer.allocUnsafe(head + size);
  let at = 0;
  out[at++] = ARRAY;
  at += out.write(key, at, 'utf8');
  out[at++] = 0;
  out.writeInt32LE(size, at);
  at += 4;
  bytes.forEach((b, i) => {
    out[at++] = EMBEDDED_DOCUMENT;
    at += out.write(String(i), at, 'latin1');
    out[at++] = 0;
    at += b.copy(out, at);
  });
  out[at] = 0;
  return out;
}

/**
 * Encodes a command reply. A cursor reply (`{ cursor: { firstBatch | nextBatch: [docs], … }, … }`)
 * is assembled from its documents' bytes, so stored documents are not serialised again;
 * the bytes are the same as `encodeDocument(reply)` gives.
 */
export function encodeReply(reply: Document): Buffer {
  const cursor: unknown = reply.cursor;
  if (!isPlainObject(cursor)) return encodeDocument(reply);
  const batchKey = Object.keys(cursor).find((k) => BATCH_KEYS.has(k));
  const batch = batchKey === undefined ? undefined : cursor[batchKey];
  if (batchKey === undefined || !Array.isArray(batch) || !batch.every(isPlainObject)) return encodeDocument(reply);
  const cursorParts = Object.entries(cursor).map(([k, v]) =>
    k === batchKey ? batchElement(k, batch) : elementBytes(k, v),
  );
  const replyParts = Object.entries(reply).map(([k, v]) =>
    k === 'cursor' ? documentOf(cursorParts, { type: EMBEDDED_DOCUMENT, key: k }) : elementBytes(k, v),
  );
  return documentOf(replyParts);
}
