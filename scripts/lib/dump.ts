import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { Binary, deserialize, EJSON, type DeserializeOptions, type Document } from 'bson';
import type { MongoClient } from 'mongodb';

/**
 * Backups in mongodump's directory layout, so `mongorestore` loads them into a real MongoDB:
 *   DIR/<db>/<collection>.bson            the documents, concatenated BSON
 *   DIR/<db>/<collection>.metadata.json   { options, indexes, collectionName, type } in canonical
 *                                         extended JSON, as mongodump writes it
 * Documents are copied as raw BSON both ways, so every value keeps its exact type.
 */

/** How documents are read back for inserting: every BSON type keeps its class (Int32 vs Double …). */
const EXACT: DeserializeOptions = {
  promoteValues: false,
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: true,
};
const INSERT_BATCH_BYTES = 8 * 1024 * 1024;
const INSERT_BATCH_DOCS = 1000;

export interface DumpSummary {
  db: string;
  collections: Array<{ name: string; documents: number }>;
  /** Whether every collection was read at one instant (the embedded server's snapshot). */
  consistent: boolean;
}

interface CollectionWriter {
  name: string;
  fd?: number;
  documents: number;
}

function metadataJson(name: string, options: Document, indexes: Document[]): string {
  const type = options.viewOn !== undefined ? 'view' : 'collection';
  return EJSON.stringify({ options, indexes, collectionName: name, type }, { relaxed: false });
}

/** Collection names become file names; mongodump refuses the few that cannot. */
function fileSafe(name: string): string {
  if (name.includes('/') || name.includes('\0')) throw new Error(`cannot back up collection ${JSON.stringify(name)}`);
  return name;
}

class DumpWriter {
  private current: CollectionWriter | undefined;
  readonly collections: CollectionWriter[] = [];

  constructor(private readonly dir: string) {}

  startCollection(name: string, options: Document, indexes: Document[]): void {
    this.finishCollection();
    const file = fileSafe(name);
    writeFileSync(join(this.dir, `${file}.metadata.json`), metadataJson(name, options, indexes), { mode: 0o600 });
    const isView = options.viewOn !== undefined;
    this.current = {
      name,
      fd: isView ? undefined : openSync(join(this.dir, `${file}.bson`), 'w', 0o600),
      documents: 0,
    };
    this.collections.push(this.current);
  }

  write(bson: Uint8Array): void {
    if (this.current?.fd === undefined) throw new Error('document outside a collection');
    writeSync(this.current.fd, bson);
    this.current.documents++;
  }

  finishCollection(): void {
    if (this.current?.fd !== undefined) closeSync(this.current.fd);
    this.current = undefined;
  }
}

/** The embedded server's snapshot stream (server/embedded-mongo/snapshot-stream.ts). */
async function dumpFromSnapshot(client: MongoClient, dbName: string, writer: DumpWriter): Promise<boolean> {
  const admin = client.db('admin');
  let id: unknown;
  try {
    ({ id } = await admin.command({ freshlinkSnapshot: 1 }));
  } catch (error) {
    if ((error as { code?: number }).code === 59) return false; // a real MongoDB
    throw error;
  }
  let inDb = false;
  try {
    for (;;) {
      const reply = await admin.command({ freshlinkSnapshotNext: id });
      for (const record of reply.records as Array<{ c?: Binary; d?: Binary }>) {
        if (record.c) {
          const meta = deserialize(record.c.buffer, EXACT);
          inDb = meta.db === dbName;
          if (inDb) writer.startCollection(String(meta.name), meta.options as Document, meta.indexes as Document[]);
          else writer.finishCollection();
        } else if (record.d && inDb) {
          writer.write(record.d.buffer);
        }
      }
      if (reply.done === true) break;
    }
  } finally {
    writer.finishCollection();
    await admin.command({ freshlinkSnapshotClose: id }).catch(() => undefined);
  }
  return true;
}

/** A real MongoDB: collection by collection (see the README for point-in-time backups there). */
async function dumpFromMongo(client: MongoClient, dbName: string, writer: DumpWriter): Promise<void> {
  const db = client.db(dbName);
  const infos = await db.listCollections({}, { nameOnly: false }).toArray();
  for (const info of infos) {
    if (info.name.startsWith('system.')) continue;
    const options = (info as { options?: Document }).options ?? {};
    const isView = info.type === 'view';
    const indexes = isView ? [] : await db.collection(info.name).listIndexes().toArray();
    writer.startCollection(info.name, options, indexes);
    if (isView) continue;
    const cursor = db.collection(info.name).find({}, { raw: true, batchSize: 1000 });
    for await (const raw of cursor) writer.write(raw as unknown as Uint8Array);
  }
  writer.finishCollection();
}

/**
 * Writes database `dbName` to `outDir/<dbName>`; the directory appears complete or not at all
 * (it is written under a temporary name and renamed).
 */
export async function dumpDatabase(client: MongoClient, dbName: string, outDir: string): Promise<DumpSummary> {
  const target = join(outDir, dbName);
  if (existsSync(target)) throw new Error(`${target} already exists: back up into a new directory`);
  const partial = join(outDir, `.${dbName}.partial-${process.pid}`);
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  const writer = new DumpWriter(partial);
  try {
    const consistent = await dumpFromSnapshot(client, dbName, writer);
    if (!consistent) await dumpFromMongo(client, dbName, writer);
    renameSync(partial, target);
    return {
      db: dbName,
      consistent,
      collections: writer.collections.map(({ name, documents }) => ({ name, documents })),
    };
  } catch (error) {
    writer.finishCollection();
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** Reads concatenated BSON documents without holding the whole file. */
function* bsonDocuments(path: string): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    let buffer = Buffer.alloc(0);
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      while (buffer.length >= 4) {
        const size = buffer.readInt32LE(0);
        if (size < 5) throw new Error(`${path} is not concatenated BSON (a document of ${size} bytes)`);
        if (buffer.length < size) break;
        yield buffer.subarray(0, size);
        buffer = buffer.subarray(size);
      }
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      buffer =
        buffer.length === 0 ? Buffer.from(chunk.subarray(0, read)) : Buffer.concat([buffer, chunk.subarray(0, read)]);
    }
    if (buffer.length > 0) throw new Error(`${path} ends in the middle of a document`);
  } finally {
    closeSync(fd);
  }
}

/** The directory holding the collections: DIR/<db>, or DIR itself, or DIR's only database directory. */
function dumpDirectoryFor(fromDir: string, dbName: string): string {
  const hasMetadata = (dir: string): boolean => readdirSync(dir).some((f) => f.endsWith('.metadata.json'));
  if (existsSync(join(fromDir, dbName)) && statSync(join(fromDir, dbName)).isDirectory()) return join(fromDir, dbName);
  if (hasMetadata(fromDir)) return fromDir;
  const subdirs = readdirSync(fromDir).filter((f) => !f.startsWith('.') && statSync(join(fromDir, f)).isDirectory());
  if (subdirs.length === 1 && hasMetadata(join(fromDir, subdirs[0]))) return join(fromDir, subdirs[0]);
  throw new Error(
    `${fromDir} holds no backup of database ${dbName} (expected ${join(fromDir, dbName)}/*.metadata.json)`,
  );
}

export class NotEmptyError extends Error {}

export interface RestoreSummary {
  db: string;
  from: string;
  collections: Array<{ name: string; documents: number }>;
}

/**
 * Loads a dump directory into database `dbName`. Refuses a database that holds any document
 * unless `drop`, which drops the whole database first so the result equals the backup.
 */
export async function restoreDatabase(
  client: MongoClient,
  dbName: string,
  fromDir: string,
  drop: boolean,
): Promise<RestoreSummary> {
  const source = dumpDirectoryFor(fromDir, dbName);
  const db = client.db(dbName);
  const existing = await db.listCollections({ type: 'collection' }, { nameOnly: true }).toArray();
  if (drop) {
    await db.dropDatabase();
  } else {
    for (const { name } of existing) {
      if (name.startsWith('system.')) continue;
      if ((await db.collection(name).estimatedDocumentCount()) > 0) {
        throw new NotEmptyError(
          `database ${dbName} is not empty (collection ${name} has documents): restore with --drop to replace it`,
        );
      }
    }
  }
  const present = new Set(drop ? [] : (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  const metadataFiles = readdirSync(source)
    .filter((f) => f.endsWith('.metadata.json'))
    .sort();
  const summary: RestoreSummary = { db: dbName, from: source, collections: [] };
  const views: Array<{ name: string; options: Document }> = [];
  for (const file of metadataFiles) {
    const meta = EJSON.parse(readFileSync(join(source, file), 'utf8'), { relaxed: false }) as {
      collectionName?: string;
      options?: Document;
      indexes?: Document[];
    };
    const name = meta.collectionName ?? file.slice(0, -'.metadata.json'.length);
    const options = meta.options ?? {};
    if (options.viewOn !== undefined) {
      views.push({ name, options });
      continue;
    }
    if (!present.has(name)) await db.createCollection(name, options);
    const indexes = (meta.indexes ?? []).filter((i) => i.name !== '_id_');
    if (indexes.length > 0) {
      await db.command({
        createIndexes: name,
        indexes: indexes.map((spec) => {
          const { v: _v, ns: _ns, ...rest } = spec;
          return rest;
        }),
      });
    }
    let documents = 0;
    const bsonPath = join(source, `${name}.bson`);
    if (existsSync(bsonPath)) {
      let batch: Document[] = [];
      let bytes = 0;
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        await db.collection(name).insertMany(batch, { ordered: true, bypassDocumentValidation: true });
        documents += batch.length;
        batch = [];
        bytes = 0;
      };
      for (const raw of bsonDocuments(bsonPath)) {
        batch.push(deserialize(raw, EXACT));
        bytes += raw.length;
        if (batch.length >= INSERT_BATCH_DOCS || bytes >= INSERT_BATCH_BYTES) await flush();
      }
      await flush();
    }
    summary.collections.push({ name, documents });
  }
  for (const view of views) {
    if (!present.has(view.name)) await db.createCollection(view.name, view.options);
    summary.collections.push({ name: view.name, documents: 0 });
  }
  return summary;
}
