import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo';
import { rejection } from './harness';

/**
 * A TCP-listening embedded server requires SCRAM authentication (the real Node driver, plain
 * URIs); its Unix socket serves the data directory's owner without asking.
 */
const USER = 'market';
const PASSWORD = 'p@ss word:with/odd=chars';
let dbPath: string;
let server: EmbeddedMongo;
const clients: MongoClient[] = [];

function tcpUri(user: string, password: string, extra = ''): string {
  return `mongodb://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${server.port}/app?authSource=admin${extra}`;
}

async function connect(uri: string): Promise<MongoClient> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
  clients.push(client);
  await client.connect();
  return client;
}

beforeAll(async () => {
  dbPath = mkdtempSync(join(tmpdir(), 'embedded-auth-'));
  server = await startEmbeddedMongo({ dbPath, port: 0, auth: { username: USER, password: PASSWORD } });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  rmSync(dbPath, { recursive: true, force: true });
});

describe('authentication over TCP', () => {
  it('when the driver connects with user:pass@…?authSource=admin, then it reads and writes', async () => {
    const client = await connect(tcpUri(USER, PASSWORD));
    await client
      .db('app')
      .collection('lots')
      .insertOne({ _id: 'a', grams: 1000 } as never);
    expect(await client.db('app').collection('lots').countDocuments()).toBe(1);
  });

  it.each(['SCRAM-SHA-256', 'SCRAM-SHA-1'])('when the driver insists on %s, then it authenticates', async (m) => {
    const client = await connect(tcpUri(USER, PASSWORD, `&authMechanism=${m}`));
    expect(await client.db('app').collection('lots').countDocuments()).toBe(1);
  });

  it('when a client sends no credentials, then the handshake answers but data commands get 13 Unauthorized', async () => {
    const client = await connect(`mongodb://127.0.0.1:${server.port}/`);
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    expect(await client.db('admin').command({ hello: 1 })).toMatchObject({ isWritablePrimary: true });
    const find = await rejection(client.db('app').collection('lots').findOne({}));
    expect(find).toMatchObject({ code: 13, codeName: 'Unauthorized' });
    const write = await rejection(client.db('app').collection('lots').insertOne({ x: 1 }));
    expect(write.code).toBe(13);
    const list = await rejection(client.db('admin').command({ listDatabases: 1 }));
    expect(list.code).toBe(13);
  });

  it('when the password is wrong, then the connection fails with 18 AuthenticationFailed', async () => {
    const failure = await rejection(connect(tcpUri(USER, 'not-the-password')));
    expect(failure).toMatchObject({ code: 18, codeName: 'AuthenticationFailed' });
    const unknown = await rejection(connect(tcpUri('someone-else', PASSWORD)));
    expect(unknown.code).toBe(18);
  });

  it('when a host other than loopback is asked for without credentials, then the server refuses to start', async () => {
    const other = mkdtempSync(join(tmpdir(), 'embedded-auth-open-'));
    try {
      await expect(startEmbeddedMongo({ dbPath: other, host: '0.0.0.0', port: 0 })).rejects.toThrow(
        /refusing to listen on 0\.0\.0\.0 without authentication/,
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('the Unix socket', () => {
  it('lives in the data directory (0700) as mongod.sock (0600), beside data files that are 0600', () => {
    expect(server.socketPath).toBe(join(dbPath, 'mongod.sock'));
    expect(statSync(dbPath).mode & 0o777).toBe(0o700);
    expect(statSync(server.socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(dbPath, 'data.mdb')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dbPath, 'lock.mdb')).mode & 0o777).toBe(0o600);
  });

  it('when the driver connects to mongodb://%2F…%2Fmongod.sock, then it works without credentials', async () => {
    expect(server.socketUri).toBe(`mongodb://${encodeURIComponent(server.socketPath)}/`);
    expect(server.socketUri).toMatch(/^mongodb:\/\/%2F.*%2Fmongod\.sock\/$/);
    const client = await connect(server.socketUri);
    expect(await client.db('app').collection('lots').countDocuments()).toBe(1);
  });

  it('when the server is started without a port, then it takes no TCP port at all', async () => {
    const other = mkdtempSync(join(tmpdir(), 'embedded-sock-'));
    const socketOnly = await startEmbeddedMongo({ dbPath: other });
    try {
      expect(socketOnly.port).toBe(0);
      expect(socketOnly.uri).toBe(socketOnly.socketUri);
      const client = await connect(socketOnly.uri);
      await client.db('x').collection('y').insertOne({ ok: true });
      expect(await client.db('x').collection('y').countDocuments()).toBe(1);
    } finally {
      await socketOnly.close();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
