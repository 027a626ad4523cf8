import { Int32 } from 'bson';
import { Collection } from '../../server/embedded-mongo/engine/collection';
import { openEngineStore } from '../fixtures/engine-store';
import { startTestServer, type TestServer } from './harness';

/**
 * A find holds its first batch as documents and the rest of its result as keys, read when
 * getMore reaches them: a large result does not hold every document in memory at once. What a
 * later batch returns is each document as it is then (updated, or left out once deleted or no
 * longer matching), as mongod's cursors yield and fetch again.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('cursor_tail');
});
afterAll(async () => {
  await t.close();
});

interface Item {
  _id: number;
  n: number;
  group: string;
  note?: string;
}

const items = (count: number): Item[] =>
  Array.from({ length: count }, (_, i) => ({ _id: i, n: i, group: i % 2 === 0 ? 'even' : 'odd' }));

describe('the engine scan', () => {
  it('when asked to keep 10 documents of 1,000 matches, then it returns 10 documents and 990 keys in order', async () => {
    const h = await openEngineStore();
    try {
      const c = h.collection('scan');
      for (let i = 0; i < 1000; i++) {
        const doc = { _id: new Int32(i), n: new Int32(i) };
        h.track(c.put(Collection.keyOf(doc), doc));
      }
      await h.flush();
      const result = c.scan({}, undefined, undefined, 0, 10);
      expect(result.docs).toHaveLength(10);
      expect(result.rest).toHaveLength(990);
      expect(result.rest?.[0]).toBe(Collection.keyOf({ _id: new Int32(10) }));
      // resumable (a find in stored order): it stops at 10 matches and says where to go on, holding no keys
      const resumable = c.scan({}, undefined, undefined, 0, 10, true);
      expect(resumable.docs).toHaveLength(10);
      expect(resumable.rest).toBeUndefined();
      expect(resumable.examined).toBe(10);
      expect(resumable.resumeAfter).toBe(Collection.keyOf({ _id: new Int32(9) }));
      // a filter: it examines only as far as the tenth match
      const odd = c.scan({}, (d) => (d.n as Int32).value % 2 === 1, undefined, 0, 10, true);
      expect(odd.docs.map((d) => (d.n as Int32).value)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
      expect(odd.examined).toBe(20);
      expect(odd.resumeAfter).toBe(Collection.keyOf({ _id: new Int32(19) }));
    } finally {
      await h.close();
    }
  });
});

describe('a find in stored order resumes its scan at each getMore', () => {
  it('when 2,500 documents are read in default batches, then each arrives once, in _id order, and the cursor closes at the end', async () => {
    const coll = t.db.collection<Item>('resumed');
    await coll.insertMany(items(2500));
    const first = await t.db.command({ find: 'resumed', filter: {} });
    const cursor = first.cursor as { id: { toString(): string }; firstBatch: Item[] };
    expect(cursor.firstBatch).toHaveLength(101);
    let id = cursor.id;
    const seen = cursor.firstBatch.map((d) => d._id);
    while (id.toString() !== '0') {
      const more = await t.db.command({ getMore: id, collection: 'resumed', batchSize: 700 });
      const c = more.cursor as { id: { toString(): string }; nextBatch: Item[] };
      expect(c.nextBatch.length).toBeLessThanOrEqual(700);
      seen.push(...c.nextBatch.map((d) => d._id));
      id = c.id;
    }
    expect(seen).toEqual(items(2500).map((d) => d._id));
  });

  it('when documents are inserted, deleted and changed while the cursor is open, then it sees those ahead of it as they are now', async () => {
    const coll = t.db.collection<Item>('resumed_changing');
    await coll.insertMany(items(1000).map((d) => ({ ...d, _id: d._id * 2 })));
    const cursor = coll.find({ group: 'even' }).batchSize(50);
    const got: Item[] = [];
    for (let i = 0; i < 50; i++) got.push((await cursor.next()) as Item);
    expect(got[49]._id).toBe(196);
    // the first reply's 101 matches are held as read; what lies beyond them is read when getMore reaches it
    await coll.insertOne({ _id: 1, n: 1, group: 'even' }); // behind the cursor: not seen
    await coll.insertOne({ _id: 1001, n: 1001, group: 'even' }); // ahead: seen
    await coll.deleteOne({ _id: 800 });
    await coll.updateOne({ _id: 804 }, { $set: { group: 'odd' } });
    await coll.updateOne({ _id: 808 }, { $set: { note: 'updated' } });
    got.push(...(await cursor.toArray()));
    const ids = got.map((d) => d._id);
    expect(ids).not.toContain(1);
    expect(ids).toContain(1001);
    expect(ids).not.toContain(800);
    expect(ids).not.toContain(804);
    expect(got.find((d) => d._id === 808)?.note).toBe('updated');
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(500 - 2 + 1);
  });

  it('when a filter, skip, limit and projection span batches, then they hold across the resumed scan, and killCursors closes it', async () => {
    const coll = t.db.collection<Item>('resumed_limits');
    await coll.insertMany(items(3000));
    const page = await coll
      .find({ group: 'odd' }, { projection: { group: 0 } })
      .skip(120)
      .limit(333)
      .batchSize(40)
      .toArray();
    expect(page).toHaveLength(333);
    expect(page[0]).toEqual({ _id: 241, n: 241 });
    expect(page[332]._id).toBe(241 + 2 * 332);
    const open = await t.db.command({ find: 'resumed_limits', filter: {}, batchSize: 10 });
    const id = (open.cursor as { id: unknown }).id;
    const killed = await t.db.command({ killCursors: 'resumed_limits', cursors: [id] });
    expect(killed.cursorsKilled).toHaveLength(1);
    await expect(t.db.command({ getMore: id, collection: 'resumed_limits' })).rejects.toMatchObject({ code: 43 });
  });
});

describe('cursors over large results', () => {
  it('when 5,000 documents are read through getMore, then every one arrives once, in order', async () => {
    const coll = t.db.collection<Item>('all');
    await coll.insertMany(items(5000));
    const seen = await coll.find({}).toArray();
    expect(seen.map((d) => d._id)).toEqual(items(5000).map((d) => d._id));
    const sorted = await coll.find({ group: 'odd' }).sort({ _id: -1 }).batchSize(50).toArray();
    expect(sorted).toHaveLength(2500);
    expect(sorted[0]._id).toBe(4999);
    expect(sorted[2499]._id).toBe(1);
  });

  it('when documents change between batches, then later batches show them as they are now', async () => {
    const coll = t.db.collection<Item>('changing');
    await coll.createIndex({ n: 1 });
    await coll.insertMany(items(1000));
    // Unsorted (natural _id order): an in-memory sort would read every match when the query runs.
    const cursor = coll.find({ group: 'even' }, { projection: { group: 0 } }).batchSize(100);
    const first: Item[] = [];
    for (let i = 0; i < 100; i++) first.push((await cursor.next()) as Item);
    expect(first[99]._id).toBe(198);
    await coll.updateOne({ _id: 400 }, { $set: { note: 'updated' } });
    await coll.deleteOne({ _id: 402 });
    await coll.updateOne({ _id: 404 }, { $set: { group: 'odd' } });
    const rest = await cursor.toArray();
    const ids = rest.map((d) => d._id);
    expect(ids).toHaveLength(400 - 2);
    expect(ids).not.toContain(402);
    expect(ids).not.toContain(404);
    expect(rest.find((d) => d._id === 400)).toEqual({ _id: 400, n: 400, note: 'updated' });
    expect(rest.every((d) => !('group' in d))).toBe(true);
  });

  it('when a sort no index gives covers more than a batch, then later batches are read as they are now, in order', async () => {
    const coll = t.db.collection<Item>('sorted_in_memory');
    // n is not indexed: the sort is done in memory. Reversed against _id so natural order does not help.
    await coll.insertMany(items(3000).map((d) => ({ ...d, n: 3000 - d._id })));
    const cursor = coll.find({ group: 'even' }).sort({ n: 1 }).batchSize(100);
    const first: Item[] = [];
    for (let i = 0; i < 100; i++) first.push((await cursor.next()) as Item);
    expect(first.map((d) => d.n)).toEqual(Array.from({ length: 100 }, (_, i) => 2 + 2 * i));
    // Matches sorting late: held as keys, so a getMore reads them as they are now.
    await coll.updateOne({ _id: 10 }, { $set: { note: 'updated' } }); // n 2990
    await coll.updateOne({ _id: 12 }, { $set: { group: 'odd' } }); // n 2988: no longer matches
    const rest = await cursor.toArray();
    expect(rest).toHaveLength(1500 - 100 - 1);
    expect(rest.map((d) => d.n)).toEqual([...rest.map((d) => d.n)].sort((a, b) => a - b));
    expect(rest.find((d) => d._id === 10)?.note).toBe('updated');
    expect(rest.some((d) => d._id === 12)).toBe(false);
    // skip and limit across the held documents and the keys
    const page = await coll.find({ group: 'odd' }).sort({ n: -1 }).skip(150).limit(200).batchSize(50).toArray();
    const odd = (await coll.find({ group: 'odd' }).toArray()).map((d) => d.n).sort((a, b) => b - a);
    expect(odd).toHaveLength(1501); // _id 12 joined
    expect(page.map((d) => d.n)).toEqual(odd.slice(150, 350));
  });

  it('when skip and limit reach past the first batch, then they count across documents and keys', async () => {
    const coll = t.db.collection<Item>('paged');
    await coll.createIndex({ n: 1 });
    await coll.insertMany(items(3000));
    const page = await coll
      .find({ n: { $gte: 100 } })
      .sort({ n: 1 })
      .skip(1000)
      .limit(700)
      .toArray();
    expect(page).toHaveLength(700);
    expect(page[0].n).toBe(1100);
    expect(page[699].n).toBe(1799);
    const unsorted = await coll.find({}).skip(2950).toArray();
    expect(unsorted.map((d) => d._id)).toEqual(
      items(3000)
        .slice(2950)
        .map((d) => d._id),
    );
    expect(await coll.countDocuments({ group: 'odd' })).toBe(1500);
  });
});

describe('aggregation reading documents as the pipeline pulls them', () => {
  it('when pipelines run over 5,000 documents, then $match, $sort, $skip, $limit and $group answer as before', async () => {
    const coll = t.db.collection<Item>('pipelines');
    await coll.createIndex({ n: -1 });
    await coll.insertMany(items(5000));
    const counted = await coll
      .aggregate([{ $match: { group: 'odd' } }, { $group: { _id: '$group', c: { $sum: 1 } } }])
      .toArray();
    expect(counted).toEqual([{ _id: 'odd', c: 2500 }]);
    const top = await coll
      .aggregate<Item>([{ $sort: { n: -1 } }, { $skip: 10 }, { $limit: 3 }, { $project: { group: 0 } }])
      .toArray();
    expect(top).toEqual([
      { _id: 4989, n: 4989 },
      { _id: 4988, n: 4988 },
      { _id: 4987, n: 4987 },
    ]);
    const all = await coll
      .aggregate<Item>([{ $match: { n: { $gte: 4000 } } }, { $addFields: { twice: { $multiply: ['$n', 2] } } }])
      .toArray();
    expect(all).toHaveLength(1000);
    expect(all.every((d) => (d as Item & { twice: number }).twice === d.n * 2)).toBe(true);
    const hinted = await coll.aggregate<Item>([{ $match: { n: { $lt: 5 } } }], { hint: { n: -1 } }).toArray();
    expect(hinted.map((d) => d.n)).toEqual([4, 3, 2, 1, 0]);
    const explained = await coll.aggregate([{ $match: { n: { $lt: 5 } } }]).explain();
    expect(JSON.stringify(explained)).toContain('n_-1');
  });
});
