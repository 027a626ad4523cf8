/**
 * Splits a TCP byte stream into MongoDB wire messages: each starts with a 16-byte header
 * whose first int32 is the whole message length.
 */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
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

/**
 * Reassembles messages from socket chunks. Bytes are copied once, into a buffer of the message's
 * exact size allocated when its header arrives, so buffering is linear in the message size; a
 * length over `maxMessageBytes` is rejected from the header, before anything is buffered.
 */
export class MessageSplitter {
  /** The first bytes of a header split across chunks. */
  private head = Buffer.alloc(0);
  private message: Buffer | undefined;
  private filled = 0;

  constructor(private readonly maxMessageBytes = MAX_MESSAGE_BYTES) {}

  /** Bytes held for the message not yet complete. */
  get bufferedBytes(): number {
    return this.message ? this.filled : this.head.length;
  }

  /** Feeds bytes in; returns every message now complete. Throws on an impossible length. */
  push(chunk: Buffer): WireMessage[] {
    const out: WireMessage[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (!this.message) {
        const need = 4 - this.head.length;
        if (need > 0 && chunk.length - pos < need) {
          this.head = Buffer.concat([this.head, chunk.subarray(pos)]);
          break;
        }
        // The usual case, a header inside one chunk, is read in place; only a split one is joined.
        const length =
          this.head.length === 0
            ? chunk.readInt32LE(pos)
            : Buffer.concat([this.head, chunk.subarray(pos, pos + need)]).readInt32LE(0);
        if (length < 16 || length > this.maxMessageBytes) {
          throw new Error(`invalid message length ${length} (at most ${this.maxMessageBytes} bytes)`);
        }
        this.message = Buffer.allocUnsafe(length);
        this.head.copy(this.message, 0);
        this.filled = this.head.length;
        this.head = Buffer.alloc(0);
      }
      const take = Math.min(this.message.length - this.filled, chunk.length - pos);
      chunk.copy(this.message, this.filled, pos, pos + take);
      this.filled += take;
      pos += take;
      if (this.filled === this.message.length) {
        const buf = this.message;
        this.message = undefined;
        this.filled = 0;
        out.push({
          requestId: buf.readInt32LE(4),
          responseTo: buf.readInt32LE(8),
          opCode: buf.readInt32LE(12),
          body: buf.subarray(16),
        });
      }
    }
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
