import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Binary, Decimal128, Double, Int32, Long, ObjectId, deserialize, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo';
import { dumpDatabase, NotEmptyError, restoreDatabase } from '../../scripts/lib/dump';

/**
 * npm run backup / restore: an online snapshot in mongodump's layout, taken while writes go on,
 * restored equal to what the snapshot held; a non-empty database is only replaced with --drop.
 */
const root = resolve(__dirname, '..', '..');
const EXACT = { promoteValues: false, promoteLongs: false, promoteBuffers: false, bsonRegExp: true } as const;
const dirs: string[] = [];
function freshDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

let dataDir: string;
let source: EmbeddedMongo;
let client: MongoClient;

beforeAll(async () => {
  dataDir = freshDir('backup-app-');
  source = await startEmbeddedMongo({ dbPath: join(dataDir, 'db') });
  client = await MongoClient.connect(source.socketUri, { serverSelectionTimeoutMS: 3000 });
  const db = client.db('freshlink');
  await db.createCollection('lots', {
    validator: { remainingGrams: { $gte: 0 } },
  });
  await db.collection('lots').createIndex({ productCode: 1, expiresAt: 1 }, { name: 'product_expiry' });
  await db.collection('lots').createIndex({ code: 1 }, { unique: true, sparse: true });
  await db.collection('sessions').createIndex({ expires: 1 }, { expireAfterSeconds: 0 });
  await db.collection('lots').insertOne({
    _id: 'typed',
    int: new Int32(7),
    double: new Double(1),
    long: Long.fromString('9007199254740993'),
    decimal: Decimal128.fromString('12.50'),
    date: new Date('2026-01-02T03:04:05.678Z'),
    oid: new ObjectId('650000000000000000000001'),
    bin: new Binary(Buffer.from([1, 2, 3])),
    nested: { list: [new Int32(1), new Double(2), 'three'], empty: {} },
    remainingGrams: 0,
    code: 'L-1',
  } as never);
  await db.collection('sessions').insertOne({ _id: 's1', expires: new Date('2099-01-01') } as never);
});

afterAll(async () => {
  await client.close();
  await source.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function bsonFile(path: string): Document[] {
  const bytes = readFileSync(path);
  const docs: Document[] = [];
  for (let at = 0; at < bytes.length; at += bytes.readInt32LE(at)) {
    docs.push(deserialize(bytes.subarray(at, at + bytes.readInt32LE(at)), EXACT));
  }
  return docs;
}

async function exactDocs(c: MongoClient, db: string, coll: string): Promise<Document[]> {
  const raw = await c
    .db(db)
    .collection(coll)
    .find({}, { raw: true, sort: { _id: 1 } })
    .toArray();
  return raw.map((r) => deserialize(r as unknown as Uint8Array, EXACT));
}

const byId = (a: Document, b: Document): number => (String(a._id) < String(b._id) ? -1 : 1);

describe('backup and restore', () => {
  it('when the app keeps writing during a backup, then the backup is one instant and restores equal to it', async () => {
    const db = client.db('freshlink');
    let writing = true;
    let written = 0;
    // Writes go a_i then b_i, one after the other: at any instant |a| − |b| is 0 or 1.
    const writer = (async () => {
      while (writing) {
        await db.collection('a').insertOne({ _id: written } as never);
        await db.collection('b').insertOne({ _id: written } as never);
        written++;
      }
    })();
    while (written < 50) await new Promise((r) => setTimeout(r, 10));
    const out = freshDir('backup-out-');
    const summary = await dumpDatabase(client, 'freshlink', out);
    const atEnd = written;
    while (written < atEnd + 50) await new Promise((r) => setTimeout(r, 10));
    writing = false;
    await writer;

    expect(summary.consistent).toBe(true);
    const dir = join(out, 'freshlink');
    const a = bsonFile(join(dir, 'a.bson')).map((d) => (d._id as Int32).value);
    const b = bsonFile(join(dir, 'b.bson')).map((d) => (d._id as Int32).value);
    expect(a.length - b.length === 0 || a.length - b.length === 1).toBe(true);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: a.length }, (_, i) => i));
    expect(a.length).toBeGreaterThanOrEqual(50);
    expect(a.length).toBeLessThan(written);

    // mongodump's metadata: canonical extended JSON, indexes as listIndexes shows them.
    expect(readdirSync(dir).sort()).toEqual(
      ['a', 'b', 'lots', 'sessions'].flatMap((c) => [`${c}.bson`, `${c}.metadata.json`]).sort(),
    );
    const meta = JSON.parse(readFileSync(join(dir, 'lots.metadata.json'), 'utf8')) as Document;
    expect(meta).toMatchObject({ collectionName: 'lots', type: 'collection' });
    expect(meta.options).toEqual({ validator: { remainingGrams: { $gte: { $numberInt: '0' } } } });
    expect(meta.indexes).toEqual(
      expect.arrayContaining([
        { v: { $numberInt: '2' }, key: { _id: { $numberInt: '1' } }, name: '_id_' },
        expect.objectContaining({
          name: 'product_expiry',
          key: { productCode: { $numberInt: '1' }, expiresAt: { $numberInt: '1' } },
        }),
        expect.objectContaining({ name: 'code_1', unique: true, sparse: true }),
      ]),
    );

    const targetDir = freshDir('restore-target-');
    const target = await startEmbeddedMongo({ dbPath: targetDir });
    const targetClient = await MongoClient.connect(target.socketUri, { serverSelectionTimeoutMS: 3000 });
    try {
      const restored = await restoreDatabase(targetClient, 'freshlink', out, false);
      expect(restored.collections.find((c) => c.name === 'a')?.documents).toBe(a.length);
      for (const coll of ['a', 'b', 'lots', 'sessions']) {
        expect((await exactDocs(targetClient, 'freshlink', coll)).sort(byId)).toEqual(
          bsonFile(join(dir, `${coll}.bson`)).sort(byId),
        );
      }
      // Types survive both ways: Int32 stays Int32, 1.0 stays a double, etc.
      const typed = (await exactDocs(targetClient, 'freshlink', 'lots'))[0];
      expect(typed.int).toBeInstanceOf(Int32);
      expect(typed.double).toBeInstanceOf(Double);
      expect(typed.long).toEqual(Long.fromString('9007199254740993'));
      const indexes = await targetClient.db('freshlink').collection('lots').indexes();
      expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'code_1', 'product_expiry']);
      expect(indexes.find((i) => i.name === 'code_1')).toMatchObject({ unique: true, sparse: true });
      const ttl = await targetClient.db('freshlink').collection('sessions').indexes();
      expect(ttl.find((i) => i.name === 'expires_1')).toMatchObject({ expireAfterSeconds: 0 });
      const options = await targetClient.db('freshlink').listCollections({ name: 'lots' }).toArray();
      expect(options[0]).toMatchObject({ options: { validator: { remainingGrams: { $gte: 0 } } } });

      // A database holding documents is refused, then replaced with --drop.
      await targetClient.db('freshlink').collection('extra').insertOne({ stray: true });
      await expect(restoreDatabase(targetClient, 'freshlink', out, false)).rejects.toThrow(NotEmptyError);
      await expect(restoreDatabase(targetClient, 'freshlink', out, false)).rejects.toThrow(/not empty.*--drop/);
      await restoreDatabase(targetClient, 'freshlink', out, true);
      const names = (await targetClient.db('freshlink').listCollections().toArray()).map((c) => c.name).sort();
      expect(names).toEqual(['a', 'b', 'lots', 'sessions']);
      expect(await targetClient.db('freshlink').collection('a').countDocuments()).toBe(a.length);
    } finally {
      await targetClient.close();
      await target.close();
    }
  }, 120_000);

  it('when a snapshot is read through another pooled connection, then it still streams; its opener closing ends it', async () => {
    const opener = await MongoClient.connect(source.socketUri, { maxPoolSize: 1 });
    const reader = await MongoClient.connect(source.socketUri, { maxPoolSize: 1 });
    try {
      const { id } = await opener.db('admin').command({ freshlinkSnapshot: 1 });
      const first = await reader.db('admin').command({ freshlinkSnapshotNext: id });
      expect(first.records.length).toBeGreaterThan(0);
      await opener.close();
      await new Promise((r) => setTimeout(r, 100));
      await expect(reader.db('admin').command({ freshlinkSnapshotNext: id })).rejects.toThrow(/no open snapshot/);
    } finally {
      await reader.close();
    }
  });

  it('when npm run backup runs while the app serves DATA_DIR, then it goes through the socket; restore refuses the non-empty database', async () => {
    const out = freshDir('backup-cli-');
    const env = { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '' };
    const run = (script: string, args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((ok) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.once('exit', (code) => ok({ code, stdout, stderr }));
      });
    const backup = await run('scripts/backup.ts', ['--out', out]);
    expect(backup.code).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ msg: 'backup written', via: 'running server', consistent: true });
    const restore = await run('scripts/restore.ts', ['--from', out]);
    expect(restore.code).toBe(3);
    expect(restore.stderr).toMatch(/database freshlink is not empty .*--drop/);
  }, 120_000);
});
