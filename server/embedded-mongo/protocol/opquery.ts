import type { Document } from 'bson';
import { decodeDocument, encodeDocument } from './bson-codec';
import { header, OP_REPLY } from './framing';

/**
 * Legacy OP_QUERY, still used by drivers (pymongo 3.x, driver handshakes) for the first
 * hello/isMaster on `admin.$cmd`; answered with OP_REPLY.
 */
export interface ParsedQuery {
  collection: string;
  command: Document;
}

export function parseOpQuery(body: Buffer): ParsedQuery {
  const nameEnd = body.indexOf(0, 4);
  const collection = body.toString('utf8', 4, nameEnd);
  const pos = nameEnd + 1 + 8; // skip numberToSkip and numberToReturn
  const size = body.readInt32LE(pos);
  let command = decodeDocument(body.subarray(pos, pos + size));
  // Old drivers wrap the command as { $query: {...}, $readPreference: ... }.
  if (command.$query && typeof command.$query === 'object') command = command.$query as Document;
  return { collection, command };
}

export function encodeOpReply(reply: Document, requestId: number, responseTo: number): Buffer {
  const doc = encodeDocument(reply);
  const fixed = Buffer.alloc(20);
  fixed.writeInt32LE(0, 0); // responseFlags
  fixed.writeBigInt64LE(0n, 4); // cursorID
  fixed.writeInt32LE(0, 12); // startingFrom
  fixed.writeInt32LE(1, 16); // numberReturned
  const length = 16 + fixed.length + doc.length;
  return Buffer.concat([header(length, requestId, responseTo, OP_REPLY), fixed, doc]);
}
