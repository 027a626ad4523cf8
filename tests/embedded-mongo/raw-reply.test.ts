import { Double, Int32, Long } from 'bson';
import type { Document } from 'mongodb';
import { startTestServer, type TestServer } from './harness';

/**
 * A find sorted by an index whose range alone decides the filter sends stored documents back
 * without decoding them (engine/planner.ts indexDecidesFilter). Every such query must answer
 * exactly what the decoded path answers: the same query with a projection naming every field
 * runs the filter on decoded documents. Values mix types, so ranges meet other classes,
 * NaN, null and missing fields, and writes land between reads.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('raw_reply');
});
afterAll(async () => {
  await t.close();
});

let seed = 7;
const random = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];

function aValue(): unknown {
  const n = Math.floor(random() * 50) - 10;
  return pick([
    n,
    new Int32(n),
    new Double(n + 0.5),
    Long.fromNumber(n),
    `s${String(n + 20).padStart(2, '0')}`,
    new Date(Date.UTC(2026, 0, 1) + n * 86_400_000),
    null,
    undefined,
    n % 2 === 0,
    Number.NaN,
  ]);
}

function aBound(): unknown {
  return pick([aValue(), Math.floor(random() * 40) - 5, `s${Math.floor(random() * 40)}`]);
}

function aFilter(): Document {
  const shape = Math.floor(random() * 7);
  if (shape === 0) return {};
  if (shape === 1) return { v: aBound() };
  if (shape === 2) return { v: { $eq: aBound() } };
  const lower = pick(['$gte', '$gt']);
  const upper = pick(['$lte', '$lt']);
  if (shape === 3) return { v: { [lower]: aBound() } };
  if (shape === 4) return { v: { [upper]: aBound() } };
  if (shape === 5) return { v: { [lower]: aBound(), [upper]: aBound() } };
  return { v: { $gte: aBound(), $ne: aBound() } };
}

interface Mixed {
  _id: number;
  v?: unknown;
  w: string;
}

const everyField = { _id: 1, v: 1, w: 1 } as const;

describe('stored documents sent back undecoded', () => {
  for (const direction of [1, -1] as const) {
    it(`when a find is sorted by the {v: ${direction}} index, then it answers as the decoding path does`, async () => {
      const coll = t.db.collection<Mixed>(`mixed_${direction === 1 ? 'asc' : 'desc'}`);
      await coll.createIndex({ v: direction });
      const docs = Array.from({ length: 300 }, (_, i) => {
        const v = aValue();
        const doc: Mixed = v === undefined ? { _id: i, w: `w${i}` } : { _id: i, v, w: `w${i}` };
        return doc;
      });
      await coll.insertMany(docs);
      for (let round = 0; round < 150; round++) {
        const filter = aFilter();
        const sortDir = pick([1, -1] as const);
        const limit = pick([0, 1, 7, 50]);
        const skip = pick([0, 0, 3]);
        const raw = await coll.find(filter).sort({ v: sortDir }).skip(skip).limit(limit).toArray();
        const decoded = await coll
          .find(filter, { projection: everyField })
          .sort({ v: sortDir })
          .skip(skip)
          .limit(limit)
          .toArray();
        // Ties on v may come in any order: compare the sequence of v and the set of documents.
        expect(raw.map((d) => String(d.v))).toEqual(decoded.map((d) => String(d.v)));
        expect(raw.map((d) => JSON.stringify(d)).sort()).toEqual(decoded.map((d) => JSON.stringify(d)).sort());
        if (round % 10 === 0) {
          const id = Math.floor(random() * 300);
          const v = aValue();
          await coll.updateOne({ _id: id }, v === undefined ? { $unset: { v: 1 } } : { $set: { v } });
        }
      }
    }, 60_000);
  }

  it('when documents are written while a sorted range is read in batches, then every batch is current', async () => {
    const coll = t.db.collection<{ _id: number; v: number; w: string }>('batches');
    await coll.createIndex({ v: 1 });
    await coll.insertMany(Array.from({ length: 500 }, (_, i) => ({ _id: i, v: i, w: `before ${i}` })));
    await coll.updateMany({ v: { $gte: 100, $lt: 200 } }, { $set: { w: 'after' } });
    const found = await coll
      .find({ v: { $gte: 100 } })
      .sort({ v: 1 })
      .limit(150)
      .toArray();
    expect(found).toHaveLength(150);
    expect(found.slice(0, 100).every((d) => d.w === 'after')).toBe(true);
    expect(found[100]).toEqual({ _id: 200, v: 200, w: 'before 200' });
  });
});
