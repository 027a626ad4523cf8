// The server under test: the embedded one started in-process, or CONFORMANCE_URI when set.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo';
import { parseVersion } from './unified/requirements';
import type { ServerInfo } from './unified/types';

export interface ServerUnderTest {
  uri: string;
  label: string;
  stop(): Promise<void>;
}

export async function startServerUnderTest(env: NodeJS.ProcessEnv): Promise<ServerUnderTest> {
  const external = env.CONFORMANCE_URI;
  if (external) return { uri: external, label: `external server ${redact(external)}`, stop: async () => undefined };
  const dbPath = await mkdtemp(join(tmpdir(), 'conformance-'));
  const server = await startEmbeddedMongo({ dbPath, host: '127.0.0.1', port: 0 });
  return {
    uri: server.uri,
    label: `embedded server at ${server.uri} (dbPath ${dbPath})`,
    stop: async () => {
      await server.close();
      await rm(dbPath, { recursive: true, force: true });
    },
  };
}

function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

/** Version from buildInfo.versionArray (or version), topology from hello. */
export async function probeServer(client: MongoClient, uri: string): Promise<ServerInfo> {
  const admin = client.db('admin');
  const buildInfo = await admin.command({ buildInfo: 1 });
  const versionArray: unknown = buildInfo.versionArray;
  const version: [number, number, number] = Array.isArray(versionArray)
    ? [Number(versionArray[0] ?? 0), Number(versionArray[1] ?? 0), Number(versionArray[2] ?? 0)]
    : parseVersion(String(buildInfo.version ?? '0'));
  const hello = await admin.command({ hello: 1 });
  let topology: ServerInfo['topology'] = 'single';
  if (hello.serviceId !== undefined) topology = 'load-balanced';
  else if (hello.msg === 'isdbgrid') topology = 'sharded';
  else if (typeof hello.setName === 'string') topology = 'replicaset';
  return { version, topology, authEnabled: /\/\/[^@/]+@/.test(uri) };
}
