import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo';
import { MessageSplitter } from '../../server/embedded-mongo/protocol/framing';

/** The wire layer's limits: message size from the header, pending bytes, connections, OP_MSG flags. */
let server: EmbeddedMongo;
let dbPath: string;
const MAX_MESSAGE = 2 * 1024 * 1024;
const MAX_PENDING = 3 * 1024 * 1024;
const MAX_CONNECTIONS = 4;

beforeAll(async () => {
  dbPath = mkdtempSync(join(tmpdir(), 'embedded-limits-'));
  server = await startEmbeddedMongo({
    dbPath,
    port: 0,
    limits: {
      maxMessageBytes: MAX_MESSAGE,
      maxPendingBytesPerConnection: MAX_PENDING,
      maxConnections: MAX_CONNECTIONS,
    },
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dbPath, { recursive: true, force: true });
});

let requestId = 1;
function opMsg(body: Document, flags = 0): Buffer {
  const doc = Buffer.from(serialize(body));
  const h = Buffer.alloc(16 + 5);
  h.writeInt32LE(16 + 5 + doc.length, 0);
  h.writeInt32LE(requestId++, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(2013, 12);
  h.writeUInt32LE(flags, 16);
  h.writeUInt8(0, 20);
  return Buffer.concat([h, doc]);
}

async function open(): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  return socket;
}

/** Resolves with every reply until `count` arrived, or with what came when the server closed the socket. */
function replies(socket: Socket, count: number): Promise<{ docs: Document[]; closed: boolean }> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const docs: Document[] = [];
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
        const length = buf.readInt32LE(0);
        docs.push(deserialize(buf.subarray(21, length)));
        buf = buf.subarray(length);
      }
      if (docs.length >= count) resolve({ docs, closed: false });
    });
    socket.once('close', () => resolve({ docs, closed: true }));
  });
}

describe('wire limits', () => {
  it('when a header announces more than maxMessageSizeBytes, then the connection closes before the body is sent', async () => {
    const socket = await open();
    const header = Buffer.alloc(16);
    header.writeInt32LE(MAX_MESSAGE + 1, 0);
    header.writeInt32LE(2013, 12);
    const result = replies(socket, 1);
    socket.write(header);
    expect(await result).toEqual({ docs: [], closed: true });
  });

  it('when a message is exactly at the limit, then it is read whole', async () => {
    const socket = await open();
    const filler = 'x'.repeat(MAX_MESSAGE - 200);
    const message = opMsg({ ping: 1, filler, $db: 'admin' });
    expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    const result = replies(socket, 1);
    for (let at = 0; at < message.length; at += 65536) socket.write(message.subarray(at, at + 65536));
    expect((await result).docs[0]).toMatchObject({ ok: 1 });
    socket.destroy();
  });

  it('when an OP_MSG sets an unknown required flag bit, then it is rejected', async () => {
    const socket = await open();
    const result = replies(socket, 1);
    socket.write(opMsg({ ping: 1, $db: 'admin' }, 1 << 3));
    expect(await result).toEqual({ docs: [], closed: true });
  });

  it('when an OP_MSG sets an optional flag bit (exhaustAllowed), then it is answered', async () => {
    const socket = await open();
    const result = replies(socket, 1);
    socket.write(opMsg({ ping: 1, $db: 'admin' }, 1 << 16));
    expect((await result).docs[0]).toMatchObject({ ok: 1 });
    socket.destroy();
  });

  it('when a client pipelines far more than the pending-bytes cap, then it is slowed down, not cut off, and every reply arrives', async () => {
    const socket = await open();
    const filler = 'y'.repeat(512 * 1024);
    const count = 24; // 12 MB against a 3 MB cap
    const result = replies(socket, count);
    for (let i = 0; i < count; i++) socket.write(opMsg({ ping: 1, filler, $db: 'admin' }));
    const { docs, closed } = await result;
    expect(closed).toBe(false);
    expect(docs).toHaveLength(count);
    socket.destroy();
  });

  it('when more clients connect than the connection cap, then the extra ones are closed and the others keep working', async () => {
    const sockets = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => open()));
    const extra = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => extra.once('close', resolve));
    const answer = replies(sockets[0], 1);
    sockets[0].write(opMsg({ ping: 1, $db: 'admin' }));
    expect((await answer).docs[0]).toMatchObject({ ok: 1 });
    for (const s of sockets) s.destroy();
    // Once they are gone a driver gets in again.
    await new Promise((r) => setTimeout(r, 100));
    const client = await MongoClient.connect(server.uri, { maxPoolSize: 1, serverSelectionTimeoutMS: 3000 });
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    await client.close();
  });
});

describe('MessageSplitter', () => {
  it('when a large message arrives in small chunks, then each byte is held once (no re-copy of what was buffered)', () => {
    const splitter = new MessageSplitter(48_000_000);
    const message = opMsg({ ping: 1, filler: 'z'.repeat(4 * 1024 * 1024), $db: 'admin' });
    const copies = jest.spyOn(Buffer, 'concat');
    let out: ReturnType<MessageSplitter['push']> = [];
    for (let at = 0; at < message.length; at += 65536) {
      out = out.concat(splitter.push(message.subarray(at, at + 65536)));
      expect(splitter.bufferedBytes).toBe(Math.min(at + 65536, message.length) % message.length);
    }
    expect(copies).not.toHaveBeenCalled();
    copies.mockRestore();
    expect(out).toHaveLength(1);
    expect(out[0].body.length).toBe(message.length - 16);
  });

  it('when a header is split across chunks, then the message still comes out whole', () => {
    const splitter = new MessageSplitter();
    const a = opMsg({ ping: 1, $db: 'admin' });
    const b = opMsg({ hello: 1, $db: 'admin' });
    const both = Buffer.concat([a, b]);
    const out = [...both].flatMap((byte) => splitter.push(Buffer.from([byte])));
    expect(out.map((m) => m.body.length)).toEqual([a.length - 16, b.length - 16]);
  });
});
