import type { Document } from 'bson';
import { decodeDocument, encodeReply } from './bson-codec';
import { crc32c } from './crc32c';
import { header, OP_MSG } from './framing';

/** OP_MSG: flag bits, then sections (kind 0 = the body, kind 1 = a named document sequence). */
const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;
/** Bits 0–15 are "required": a receiver that does not know one must fail (OP_MSG spec). Only the two above are known. */
const UNKNOWN_REQUIRED_BITS = 0xffff & ~(CHECKSUM_PRESENT | MORE_TO_COME);

export interface ParsedMsg {
  command: Document;
  moreToCome: boolean;
}

export function parseOpMsg(body: Buffer, fullHeader: Buffer): ParsedMsg {
  const flags = body.readUInt32LE(0);
  if (flags & UNKNOWN_REQUIRED_BITS) {
    throw new Error(`OP_MSG has unknown required flag bits 0x${(flags & UNKNOWN_REQUIRED_BITS).toString(16)}`);
  }
  let end = body.length;
  if (flags & CHECKSUM_PRESENT) {
    end -= 4;
    const expected = body.readUInt32LE(end);
    const actual = crc32c(Buffer.concat([fullHeader, body.subarray(0, end)]));
    if (expected !== actual) throw new Error('OP_MSG checksum mismatch');
  }
  let pos = 4;
  let command: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (pos < end) {
    const kind = body.readUInt8(pos);
    pos += 1;
    if (kind === 0) {
      const size = body.readInt32LE(pos);
      command = decodeDocument(body.subarray(pos, pos + size));
      pos += size;
    } else if (kind === 1) {
      const size = body.readInt32LE(pos);
      const sectionEnd = pos + size;
      const nameEnd = body.indexOf(0, pos + 4);
      const name = body.toString('utf8', pos + 4, nameEnd);
      const docs: Document[] = [];
      let p = nameEnd + 1;
      while (p < sectionEnd) {
        const docSize = body.readInt32LE(p);
        docs.push(decodeDocument(body.subarray(p, p + docSize)));
        p += docSize;
      }
      sequences.push([name, docs]);
      pos = sectionEnd;
    } else {
      throw new Error(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!command) throw new Error('OP_MSG without a body section');
  // An own property whatever the identifier (a `__proto__` sequence must not reach the prototype).
  for (const [name, docs] of sequences) {
    Object.defineProperty(command, name, { value: docs, writable: true, enumerable: true, configurable: true });
  }
  return { command, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

export function encodeOpMsg(reply: Document, requestId: number, responseTo: number): Buffer {
  const doc = encodeReply(reply);
  const flagsAndKind = Buffer.alloc(5); // flags 0, section kind 0
  const length = 16 + flagsAndKind.length + doc.length;
  return Buffer.concat([header(length, requestId, responseTo, OP_MSG), flagsAndKind, doc]);
}
