import type { Collection, Document } from 'mongodb';
import { startTestServer, type TestServer } from './harness';

/**
 * `__proto__`, `constructor` and `prototype` are ordinary field names in MongoDB. No client
 * input may change Object.prototype or Function.prototype inside the server's process (the
 * server runs in this test's process), and such fields are stored and returned as data.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('protokeys');
});
afterAll(async () => {
  await t.close();
});

const objectNames = Object.getOwnPropertyNames(Object.prototype).sort().join();
const functionNames = Object.getOwnPropertyNames(Function.prototype).sort().join();
const arrayNames = Object.getOwnPropertyNames(Array.prototype).sort().join();

function expectPrototypesUntouched(context: string): void {
  const probe: Record<string, unknown> = {};
  const now = {
    object: Object.getOwnPropertyNames(Object.prototype).sort().join(),
    function: Object.getOwnPropertyNames(Function.prototype).sort().join(),
    array: Object.getOwnPropertyNames(Array.prototype).sort().join(),
    polluted: probe.polluted,
    proto: Object.getPrototypeOf(probe) === Object.prototype,
  };
  expect({ context, ...now }).toEqual({
    context,
    object: objectNames,
    function: functionNames,
    array: arrayNames,
    polluted: undefined,
    proto: true,
  });
}

/** A document literal with own keys that JS object literals would treat specially. */
function own(json: string): Document {
  return JSON.parse(json) as Document;
}

const DANGEROUS_PATHS = [
  '__proto__',
  'constructor',
  'prototype',
  '__proto__.polluted',
  'constructor.prototype.polluted',
  'prototype.polluted',
  'a.__proto__.polluted',
  'a.constructor.prototype.polluted',
  '__proto__.constructor.prototype.polluted',
  'constructor.prototype.toString',
  'arr.0.__proto__.polluted',
  'arr.$[].constructor.prototype.polluted',
  'arr.$.__proto__.polluted',
];

const VALUES: unknown[] = [1, 'x', { polluted: 1 }, [1, 2], own('{"__proto__":{"polluted":1}}')];

function operatorUpdates(path: string): Document[] {
  const out: Document[] = [];
  for (const v of VALUES) {
    out.push({ $set: { [path]: v } }, { $setOnInsert: { [path]: v } }, { $max: { [path]: v } });
    out.push({ $min: { [path]: v } }, { $push: { [path]: v } }, { $addToSet: { [path]: v } });
  }
  out.push(
    { $unset: { [path]: '' } },
    { $inc: { [path]: 1 } },
    { $mul: { [path]: 2 } },
    { $currentDate: { [path]: true } },
    { $pop: { [path]: 1 } },
    { $pull: { [path]: 1 } },
    { $pullAll: { [path]: [1] } },
    { $bit: { [path]: { or: 1 } } },
    { $rename: { hello: path } },
    { $rename: { [path]: 'renamed' } },
  );
  return out;
}

interface Row extends Document {
  _id: number;
}

async function seed(c: Collection<Row>): Promise<void> {
  await c.deleteMany({});
  await c.insertOne({ _id: 1 as never, hello: 'world', a: { b: 1 }, arr: [{ x: 1 }, { x: 2 }], n: 5 });
}

describe('no client input changes Object.prototype or Function.prototype', () => {
  test('every update operator on every dangerous path (update, upsert, findAndModify, arrayFilters)', async () => {
    const c = t.db.collection<Row>('fuzz');
    for (const path of DANGEROUS_PATHS) {
      const updates = operatorUpdates(path);
      await seed(c);
      // One bulk write per path keeps the test fast; unordered, so every update is tried.
      const plain = updates.map((update) => ({ updateOne: { filter: { _id: 1, 'arr.x': 1 }, update } }));
      await c.bulkWrite(plain, { ordered: false }).catch(() => undefined);
      expectPrototypesUntouched(`updateOne on ${path}`);
      const upserts = updates.map((update, i) => ({
        updateOne: { filter: { _id: 100 + i, 'arr.x': 1 }, update, upsert: true },
      }));
      await c.bulkWrite(upserts, { ordered: false }).catch(() => undefined);
      expectPrototypesUntouched(`upsert on ${path}`);
      const filtered = updates.map((update) => ({
        updateMany: { filter: {}, update, arrayFilters: path.includes('$[') ? [] : undefined },
      }));
      await c.bulkWrite(filtered, { ordered: false }).catch(() => undefined);
      expectPrototypesUntouched(`updateMany on ${path}`);
      for (const update of updates.slice(0, 8)) {
        await c.findOneAndUpdate({ _id: 1 as never }, update).catch(() => undefined);
      }
      expectPrototypesUntouched(`findOneAndUpdate on ${path}`);
    }
  }, 120_000);

  test('upsert seeds, filters, sorts, projections and index keys on dangerous paths', async () => {
    const c = t.db.collection<Row>('fuzz2');
    for (const path of DANGEROUS_PATHS.filter((p) => !p.includes('$'))) {
      await seed(c);
      await c.updateOne({ [path]: { polluted: 1 } }, { $set: { z: 1 } }, { upsert: true }).catch(() => undefined);
      await c.updateOne({ [path]: 1, [`${path}.x`]: 2 }, { $set: { z: 1 } }, { upsert: true }).catch(() => undefined);
      await c
        .replaceOne({ [path]: 7 }, own('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'), {
          upsert: true,
        })
        .catch(() => undefined);
      await c
        .find({ [path]: { $exists: true } }, { sort: { [path]: 1 }, projection: { [path]: 1 } })
        .toArray()
        .catch(() => undefined);
      await c
        .find({}, { projection: { [path]: 0 } })
        .toArray()
        .catch(() => undefined);
      await c
        .find({}, { projection: { [path]: { $slice: 1 } } })
        .toArray()
        .catch(() => undefined);
      await c
        .find({}, { projection: { [path]: '$hello' } })
        .toArray()
        .catch(() => undefined);
      await c
        .find({ [path]: { $type: 'constructor' } })
        .toArray()
        .catch(() => undefined);
      await c.createIndex({ [path]: 1 }).catch(() => undefined);
      await c.insertOne({ _id: 50, [path.split('.')[0]]: 3 }).catch(() => undefined);
      await c.dropIndexes().catch(() => undefined);
      expectPrototypesUntouched(`reads and seeds on ${path}`);
    }
  }, 120_000);

  test('aggregation stages and pipeline-style updates with dangerous field names', async () => {
    const c = t.db.collection<Row>('fuzz3');
    for (const path of DANGEROUS_PATHS.filter((p) => !p.includes('$'))) {
      await seed(c);
      const stages: Document[] = [
        { $addFields: { [path]: 1 } },
        { $set: { [path]: { polluted: 1 } } },
        { $project: { [path]: 1 } },
        { $project: { [path]: 0 } },
        { $project: { [path]: '$hello' } },
        { $unset: path },
        { $group: { _id: `$${path}`, [path.split('.')[0]]: { $first: '$hello' } } },
        { $replaceRoot: { newRoot: { $mergeObjects: ['$$ROOT', own('{"__proto__":{"polluted":1}}')] } } },
        { $replaceWith: { $literal: own('{"__proto__":{"polluted":1}}') } },
        { $sort: { [path]: 1 } },
        { $match: { [path]: { $exists: false } } },
      ];
      for (const stage of stages) {
        await c
          .aggregate([stage])
          .toArray()
          .catch(() => undefined);
        expectPrototypesUntouched(`aggregate ${JSON.stringify(stage)}`);
        await c.updateOne({ _id: 1 as never }, [stage]).catch(() => undefined);
        expectPrototypesUntouched(`pipeline update ${JSON.stringify(stage)}`);
      }
    }
    // The server still works for everyone: $project and pipeline updates run.
    await seed(c);
    expect(await c.aggregate([{ $project: { hello: 1 } }]).toArray()).toEqual([{ _id: 1, hello: 'world' }]);
    await c.updateOne({ _id: 1 as never }, [{ $set: { n: { $add: ['$n', 1] } } }]);
    expect((await c.findOne({ _id: 1 as never }))?.n).toBe(6);
  }, 120_000);
});

describe('dangerous names are ordinary fields, stored and returned', () => {
  test('insert and find return __proto__, constructor and prototype as own fields', async () => {
    const c = t.db.collection('roundtrip');
    await c.insertOne(own('{"_id":1,"__proto__":{"a":1},"constructor":"c","prototype":{"x":[1]}}'));
    const doc = await c.findOne({ _id: 1 as never });
    expect(JSON.stringify(doc)).toBe('{"_id":1,"__proto__":{"a":1},"constructor":"c","prototype":{"x":[1]}}');
    expect(await c.countDocuments({ '__proto__.a': 1 })).toBe(1);
    expect(await c.countDocuments({ constructor: 'c' })).toBe(1);
    expect(await c.countDocuments({ 'constructor.prototype': { $exists: true } })).toBe(0);
  });

  test('$rename to __proto__.polluted creates a nested field named __proto__', async () => {
    const c = t.db.collection('rename');
    await c.insertOne({ _id: 1 as never, hello: 'world' });
    await c.updateOne({}, { $rename: { hello: '__proto__.polluted' } });
    expectPrototypesUntouched('rename');
    expect(JSON.stringify(await c.findOne({}))).toBe('{"_id":1,"__proto__":{"polluted":"world"}}');
    await c.updateOne({}, { $rename: { '__proto__.polluted': 'constructor.x' } });
    expect(JSON.stringify(await c.findOne({}))).toBe('{"_id":1,"__proto__":{},"constructor":{"x":"world"}}');
  });

  test('$set with a __proto__ key inside a subdocument keeps it', async () => {
    const c = t.db.collection('setsub');
    await c.insertOne({ _id: 1 as never });
    await c.updateOne({}, { $set: { sub: own('{"__proto__":{"k":1},"v":2}') } });
    expect(JSON.stringify(await c.findOne({}))).toBe('{"_id":1,"sub":{"__proto__":{"k":1},"v":2}}');
    await c.updateOne({}, { $set: { 'constructor.prototype.polluted': true } });
    expect(JSON.stringify(await c.findOne({}, { projection: { _id: 0, constructor: 1 } }))).toBe(
      '{"constructor":{"prototype":{"polluted":true}}}',
    );
  });

  test('upsert seeds the document from __proto__ equality fields', async () => {
    const c = t.db.collection('upsertseed');
    await c.updateOne(own('{"__proto__.k":1}'), { $set: { v: 1 } }, { upsert: true });
    expect(JSON.stringify(await c.findOne({}, { projection: { _id: 0 } }))).toBe('{"__proto__":{"k":1},"v":1}');
  });

  test('aggregation keeps and computes dangerous field names', async () => {
    const c = t.db.collection('aggkeys');
    await c.insertOne(own('{"_id":1,"__proto__":{"a":1},"constructor":2,"n":3}'));
    const [excluded] = await c.aggregate([{ $project: { n: 0 } }]).toArray();
    expect(JSON.stringify(excluded)).toBe('{"_id":1,"__proto__":{"a":1},"constructor":2}');
    const [added] = await c
      .aggregate([{ $addFields: { 'prototype.x': '$constructor' } }, { $project: { _id: 0, prototype: 1 } }])
      .toArray();
    expect(JSON.stringify(added)).toBe('{"prototype":{"x":2}}');
    await c.updateOne({ _id: 1 as never }, [{ $set: { constructor: { $add: ['$constructor', 1] } } }]);
    expect(JSON.stringify(await c.findOne({}))).toBe('{"_id":1,"__proto__":{"a":1},"constructor":3,"n":3}');
  });
});
