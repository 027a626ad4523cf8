import { startTestServer, type TestServer } from './harness';

/**
 * Large inputs must not reach a JavaScript argument-count limit: an index built on a
 * collection of more than ~120,000 documents, or a 150,000-element array field indexed,
 * sorted on or $pushed, once threw "Maximum call stack size exceeded" from `push(...spread)`
 * (the index build failed with code 2, and the server answered BadValue to a valid request).
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('large_arrays');
});
afterAll(async () => {
  await t.close();
});

const BIG = 150_000;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('inputs beyond the call-argument limit', () => {
  it('when an index is built on 130,000 documents, then it is built and used', async () => {
    const coll = t.db.collection<{ _id: number; p: number }>('many');
    for (let start = 0; start < 130_000; start += 10_000)
      await coll.insertMany(range(10_000).map((i) => ({ _id: start + i, p: (start + i) % 977 })));
    await coll.createIndex({ p: 1 });
    expect(await coll.countDocuments({ p: 5 })).toBe(134);
    const explain = (await coll.find({ p: 5 }).explain()) as { queryPlanner: unknown };
    expect(JSON.stringify(explain.queryPlanner)).toContain('p_1');
  }, 120_000);

  it('when a document holds a 150,000-element array, then a multikey index and a sort on it work', async () => {
    const coll = t.db.collection<{ _id: number; xs: number[] }>('wide');
    await coll.createIndex({ xs: 1 });
    await coll.insertOne({ _id: 1, xs: range(BIG) });
    await coll.insertOne({ _id: 2, xs: [-1] });
    expect(await coll.countDocuments({ xs: BIG - 1 })).toBe(1);
    const sorted = await coll
      .find({}, { projection: { _id: 1 } })
      .sort({ xs: 1 })
      .toArray();
    expect(sorted.map((d) => d._id)).toEqual([2, 1]);
  }, 120_000);

  it('when 150,000 elements are $pushed at a position and at the end, then all arrive in order', async () => {
    const coll = t.db.collection<{ _id: number; xs: number[] }>('pushed');
    await coll.insertOne({ _id: 1, xs: [-1] });
    await coll.updateOne({ _id: 1 }, { $push: { xs: { $each: range(BIG), $position: 0 } } });
    const one = await coll.findOne({ _id: 1 });
    expect(one?.xs).toHaveLength(BIG + 1);
    expect(one?.xs[BIG]).toBe(-1);
    await coll.updateOne({ _id: 1 }, { $push: { xs: { $each: range(BIG) } } });
    const again = await coll.findOne({ _id: 1 });
    expect(again?.xs).toHaveLength(2 * BIG + 1);
    expect(again?.xs[2 * BIG]).toBe(BIG - 1);
  }, 60_000);
});
