/**
 * Splits a TCP byte stream into MongoDB wire messages: each starts with a 16-byte header
 * whose first int32 is the whole message length.
 */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

/** mongod's default maxMessageSizeBytes; larger frames are a protocol error. */
export const MAX_MESSAGE_BYTES = 48_000_000;

export interface WireMessage {
  requestId: number;
  responseTo: number;
  opCode: number;
  /** The bytes after the header. */
  body: Buffer;
}

export class MessageSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Length of the message being received, once known: no concatenation until it is all here. */
  private awaited = 0;

  /** Feeds bytes in; returns every message now complete. Throws on an impossible length. */
  push(chunk: Buffer): WireMessage[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.awaited) return [];
    const out: WireMessage[] = [];
    let buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    while (buf.length >= 4) {
      const length = buf.readInt32LE(0);
      if (length < 16 || length > MAX_MESSAGE_BYTES) throw new Error(`invalid message length ${length}`);
      if (buf.length < length) break;
      out.push({
        requestId: buf.readInt32LE(4),
        responseTo: buf.readInt32LE(8),
        opCode: buf.readInt32LE(12),
        body: buf.subarray(16, length),
      });
      buf = buf.subarray(length);
    }
    this.pending = buf.length > 0 ? [buf] : [];
    this.pendingBytes = buf.length;
    this.awaited = buf.length >= 4 ? buf.readInt32LE(0) : 0;
    return out;
  }
}

export function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}
