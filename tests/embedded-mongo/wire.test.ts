import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize, type Document } from 'bson';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo';
import { crc32c } from '../../server/embedded-mongo/protocol/crc32c';

/** Talks to the server with hand-built wire messages, as legacy drivers and pymongo do. */
let server: EmbeddedMongo;
let dbPath: string;
let socket: Socket;
let requestId = 100;

beforeAll(async () => {
  dbPath = mkdtempSync(join(tmpdir(), 'embedded-wire-'));
  server = await startEmbeddedMongo({ dbPath, port: 0 });
  socket = connect(server.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
});

afterAll(async () => {
  socket.destroy();
  await server.close();
  rmSync(dbPath, { recursive: true, force: true });
});

function header(length: number, id: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(id, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function readReply(): Promise<{ responseTo: number; opCode: number; body: Buffer }> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
        socket.off('data', onData);
        resolve({
          responseTo: buf.readInt32LE(8),
          opCode: buf.readInt32LE(12),
          body: buf.subarray(16, buf.readInt32LE(0)),
        });
      }
    };
    socket.on('data', onData);
  });
}

function opMsg(
  body: Document,
  options: { sequence?: [string, Document[]]; checksum?: boolean; moreToCome?: boolean } = {},
): { id: number; bytes: Buffer } {
  const id = requestId++;
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  if (options.sequence) {
    const [name, docs] = options.sequence;
    const payload = Buffer.concat([Buffer.from(`${name}\0`), ...docs.map((d) => Buffer.from(serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    parts.push(Buffer.from([1]), size, payload);
  }
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE((options.checksum ? 1 : 0) | (options.moreToCome ? 2 : 0));
  const withoutSum = Buffer.concat([flags, ...parts]);
  const length = 16 + withoutSum.length + (options.checksum ? 4 : 0);
  const head = header(length, id, 2013);
  if (!options.checksum) return { id, bytes: Buffer.concat([head, withoutSum]) };
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(crc32c(Buffer.concat([head, withoutSum])));
  return { id, bytes: Buffer.concat([head, withoutSum, sum]) };
}

function msgReply(body: Buffer): Document {
  return deserialize(body.subarray(5));
}

test('legacy OP_QUERY isMaster on admin.$cmd is answered with OP_REPLY', async () => {
  const query = Buffer.from(serialize({ isMaster: 1 }));
  const rest = Buffer.concat([
    Buffer.alloc(4),
    Buffer.from('admin.$cmd\0'),
    Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
    query,
  ]);
  const id = requestId++;
  const reply = readReply();
  socket.write(Buffer.concat([header(16 + rest.length, id, 2004), rest]));
  const { responseTo, opCode, body } = await reply;
  expect(opCode).toBe(1);
  expect(responseTo).toBe(id);
  expect(body.readInt32LE(16)).toBe(1); // numberReturned
  const doc = deserialize(body.subarray(20));
  expect(doc).toMatchObject({ ismaster: true, ok: 1, maxWireVersion: 21, minWireVersion: 0 });
  expect(doc.topologyVersion).toBeUndefined();
});

test('OP_MSG with a kind-1 document sequence and a CRC-32C checksum', async () => {
  const { id, bytes } = opMsg(
    { insert: 'seq', $db: 'wire' },
    { sequence: ['documents', [{ _id: 1 }, { _id: 2 }]], checksum: true },
  );
  const reply = readReply();
  socket.write(bytes);
  const r = await reply;
  expect(r.responseTo).toBe(id);
  expect(msgReply(r.body)).toEqual({ n: 2, ok: 1 });
});

test('moreToCome gets no reply, and the write still happens', async () => {
  socket.write(opMsg({ insert: 'seq', documents: [{ _id: 3 }], $db: 'wire' }, { moreToCome: true }).bytes);
  const { id, bytes } = opMsg({ count: 'seq', $db: 'wire' });
  const reply = readReply();
  socket.write(bytes);
  const r = await reply;
  expect(r.responseTo).toBe(id); // the first reply is to the count: nothing was sent for the insert
  expect(msgReply(r.body)).toEqual({ n: 3, ok: 1 });
});

test('a message split across TCP writes is reassembled', async () => {
  const { id, bytes } = opMsg({ ping: 1, $db: 'admin' });
  const reply = readReply();
  socket.write(bytes.subarray(0, 7));
  await new Promise((r) => setTimeout(r, 20));
  socket.write(bytes.subarray(7));
  const r = await reply;
  expect(r.responseTo).toBe(id);
  expect(msgReply(r.body)).toEqual({ ok: 1 });
});
