import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { Schema, type Connection } from 'mongoose';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo';
import { rejection } from './harness';

let server: EmbeddedMongo;
let conn: Connection;
let dbPath: string;

const farmSchema = new Schema({ name: { type: String, required: true } });
const lotSchema = new Schema({
  code: { type: String, unique: true, required: true },
  farm: { type: Schema.Types.ObjectId, ref: 'Farm', required: true },
  remainingGrams: { type: Number, min: 0 },
  expiresAt: Date,
});

beforeAll(async () => {
  dbPath = mkdtempSync(join(tmpdir(), 'embedded-mongoose-'));
  server = await startEmbeddedMongo({ dbPath, port: 0 });
  conn = await mongoose.createConnection(`${server.uri}freshlink-test`).asPromise();
  conn.model('Farm', farmSchema);
  await conn.model('Lot', lotSchema).init();
});

afterAll(async () => {
  await conn.close();
  await server.close();
  rmSync(dbPath, { recursive: true, force: true });
});

interface FarmDoc {
  name: string;
}
interface LotDoc {
  code: string;
  farm: mongoose.Types.ObjectId;
  remainingGrams: number;
  expiresAt?: Date;
}
const Farm = () => conn.model<FarmDoc>('Farm');
const Lot = () => conn.model<LotDoc>('Lot');

test('autoIndex creates the unique index and a duplicate save rejects with 11000', async () => {
  const indexes = await Lot().collection.indexes();
  expect(indexes.find((i) => i.name === 'code_1')).toMatchObject({ unique: true, key: { code: 1 } });
  const farm = await Farm().create({ name: 'Green Hill' });
  await Lot().create({ code: 'L-1', farm: farm._id, remainingGrams: 1000 });
  const err = await rejection(new (Lot())({ code: 'L-1', farm: farm._id, remainingGrams: 5 }).save());
  expect(err.code).toBe(11000);
  expect(err.keyValue).toEqual({ code: 'L-1' });
});

test('populate resolves references', async () => {
  const farm = await Farm().create({ name: 'Tea Terrace' });
  await Lot().create({ code: 'L-pop', farm: farm._id, remainingGrams: 300 });
  const lot = await Lot().findOne({ code: 'L-pop' }).populate<{ farm: FarmDoc }>('farm');
  expect(lot?.farm.name).toBe('Tea Terrace');
});

test('findOneAndUpdate with an $inc guarded by a condition stops at zero', async () => {
  const farm = await Farm().create({ name: 'Guard' });
  const lot = await Lot().create({ code: 'L-guard', farm: farm._id, remainingGrams: 700 });
  const take = (grams: number) =>
    Lot()
      .findOneAndUpdate(
        { _id: lot._id, remainingGrams: { $gte: grams } },
        { $inc: { remainingGrams: -grams } },
        { returnDocument: 'after' },
      )
      .lean<{ remainingGrams: number }>();
  expect((await take(500))?.remainingGrams).toBe(200);
  expect(await take(500)).toBeNull();
  expect((await take(200))?.remainingGrams).toBe(0);
});

test('countDocuments and insertMany ordered:false with a duplicate', async () => {
  const farm = await Farm().create({ name: 'Bulk' });
  const docs = ['B-1', 'B-2', 'B-1', 'B-3'].map((code) => ({ code, farm: farm._id, remainingGrams: 1 }));
  const err = await rejection(Lot().insertMany(docs, { ordered: false }));
  expect(err.code).toBe(11000);
  expect(await Lot().countDocuments({ code: /^B-/ })).toBe(3);
});

test('updateOne, deleteMany and lean find with sort/skip/limit', async () => {
  const farm = await Farm().create({ name: 'Sorted' });
  await Lot().insertMany([5, 1, 4, 2, 3].map((g) => ({ code: `S-${g}`, farm: farm._id, remainingGrams: g })));
  await Lot().updateOne({ code: 'S-5' }, { $set: { remainingGrams: 50 } });
  const page = await Lot().find({ code: /^S-/ }).sort({ remainingGrams: -1 }).skip(1).limit(2).lean();
  expect(page.map((l) => l.code)).toEqual(['S-4', 'S-3']);
  expect((await Lot().deleteMany({ code: /^S-/, remainingGrams: { $lt: 3 } })).deletedCount).toBe(2);
});
