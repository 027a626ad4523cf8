import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo, type EmbeddedMongoOptions } from '../../server/embedded-mongo';

/** A server on port 0 with a temp dbPath, a driver client, and one cleanup for afterAll. */
export interface TestServer {
  server: EmbeddedMongo;
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export async function startTestServer(
  dbName: string,
  options: Partial<EmbeddedMongoOptions> = {},
): Promise<TestServer> {
  const dbPath = mkdtempSync(join(tmpdir(), 'embedded-mongo-test-'));
  const server = await startEmbeddedMongo({ dbPath, port: 0, ...options });
  const client = await MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 5000 });
  return {
    server,
    client,
    db: client.db(dbName),
    async close() {
      await client.close();
      await server.close();
      rmSync(dbPath, { recursive: true, force: true });
    },
  };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<{
  code?: number;
  message: string;
  codeName?: string;
  keyPattern?: unknown;
  keyValue?: unknown;
  writeErrors?: unknown;
}> {
  try {
    await p;
  } catch (e) {
    return e as { code?: number; message: string };
  }
  throw new Error('expected the operation to fail, but it succeeded');
}
