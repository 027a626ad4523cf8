import type { Document } from 'mongodb';
import { rejection, startTestServer, type TestServer } from './harness';

/** Geospatial and text search, evaluated by scanning, through the driver. */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('geotext');
});
afterAll(async () => {
  await t.close();
});

// Farms around Shouguang (lng, lat).
const farms = [
  { _id: 'near', loc: { type: 'Point', coordinates: [118.74, 36.86] } },
  { _id: 'mid', loc: { type: 'Point', coordinates: [118.9, 36.9] } },
  { _id: 'far', loc: { type: 'Point', coordinates: [120.38, 36.07] } }, // Qingdao
];
const restaurant = { type: 'Point', coordinates: [118.73, 36.85] };

describe('2dsphere', () => {
  beforeAll(async () => {
    const c = t.db.collection('farms');
    await c.createIndex({ loc: '2dsphere' });
    await c.insertMany(farms as Document[]);
  });

  test('$near with $geometry sorts by distance in meters and honours $maxDistance/$minDistance', async () => {
    const c = t.db.collection('farms');
    const all = await c.find({ loc: { $near: { $geometry: restaurant } } }).toArray();
    expect(all.map((d) => d._id)).toEqual(['near', 'mid', 'far']);
    const within20km = await c.find({ loc: { $near: { $geometry: restaurant, $maxDistance: 20_000 } } }).toArray();
    expect(within20km.map((d) => d._id)).toEqual(['near', 'mid']);
    const ring = await c
      .find({ loc: { $nearSphere: { $geometry: restaurant, $minDistance: 5_000, $maxDistance: 200_000 } } })
      .toArray();
    expect(ring.map((d) => d._id)).toEqual(['mid', 'far']);
  });

  test('$geoWithin $geometry and $centerSphere; $geoIntersects across the antimeridian', async () => {
    const c = t.db.collection('farms');
    const box = {
      type: 'Polygon',
      coordinates: [
        [
          [118, 36],
          [119, 36],
          [119, 37],
          [118, 37],
          [118, 36],
        ],
      ],
    };
    // $geoWithin promises no order (natural order is _id order here, insertion order on mongod).
    const within = await c.find({ loc: { $geoWithin: { $geometry: box } } }).toArray();
    expect(within.map((d) => d._id).sort()).toEqual(['mid', 'near']);
    // 0.01 rad ≈ 63.8 km on mongod's earth radius.
    const sphere = await c.find({ loc: { $geoWithin: { $centerSphere: [[118.73, 36.85], 0.01] } } }).toArray();
    expect(sphere.map((d) => d._id).sort()).toEqual(['mid', 'near']);
    const lines = t.db.collection('lines');
    await lines.insertOne({
      _id: 1 as never,
      line: {
        type: 'LineString',
        coordinates: [
          [-178, 10],
          [178, 10],
        ],
      },
    });
    const cross = {
      type: 'LineString',
      coordinates: [
        [180, 11],
        [180, 9],
      ],
    };
    expect(await lines.countDocuments({ line: { $geoIntersects: { $geometry: cross } } })).toBe(1);
  });

  test('$geoNear adds the distance and filters with query', async () => {
    const c = t.db.collection('farms');
    const rows = await c
      .aggregate([
        {
          $geoNear: { near: restaurant, distanceField: 'dist.m', maxDistance: 50_000, query: { _id: { $ne: 'mid' } } },
        },
      ])
      .toArray();
    expect(rows.map((d) => d._id)).toEqual(['near']);
    expect(rows[0].dist.m).toBeGreaterThan(1_000);
    expect(rows[0].dist.m).toBeLessThan(2_000);
  });
});

describe('legacy 2d', () => {
  test('$near, $within $box/$center/$polygon on coordinate pairs', async () => {
    const c = t.db.collection('plane');
    await c.createIndex({ pos: '2d' });
    await c.insertMany([
      { _id: 1, pos: [0, 0] },
      { _id: 2, pos: [3, 4] },
      { _id: 3, pos: [10, 10] },
    ] as Document[]);
    const ids = async (f: Document): Promise<unknown[]> => (await c.find(f).toArray()).map((d) => d._id);
    expect(await ids({ pos: { $near: [9, 9], $maxDistance: 20 } })).toEqual([3, 2, 1]);
    expect(await ids({ pos: { $near: [0, 0], $maxDistance: 5 } })).toEqual([1, 2]);
    expect(
      await ids({
        pos: {
          $within: {
            $box: [
              [-1, -1],
              [4, 4],
            ],
          },
        },
      }),
    ).toEqual([1, 2]);
    expect(await ids({ pos: { $geoWithin: { $center: [[0, 0], 5] } } })).toEqual([1, 2]);
    expect(
      await ids({
        pos: {
          $geoWithin: {
            $polygon: [
              [1, 1],
              [12, 1],
              [12, 12],
            ],
          },
        },
      }),
    ).toEqual([3]);
  });
});

describe('text search', () => {
  beforeAll(async () => {
    const c = t.db.collection('lots');
    await c.createIndex({ title: 'text', notes: 'text' }, { weights: { title: 5 }, default_language: 'english' });
    await c.insertMany([
      { _id: 1, title: '寿光新鲜蔬菜 fresh cabbage', notes: 'picked today' },
      { _id: 2, title: 'Cabbages and leeks', notes: 'searching for a buyer' },
      { _id: 3, title: '山东大葱', notes: 'fresh green onion, 新鲜' },
      { _id: 4, title: 'frozen dumplings', notes: 'not fresh' },
    ] as Document[]);
  });

  async function search(q: string): Promise<unknown[]> {
    const docs = await t.db
      .collection('lots')
      .find({ $text: { $search: q } }, { projection: { score: { $meta: 'textScore' } } })
      .sort({ score: { $meta: 'textScore' } })
      .toArray();
    return docs.map((d) => d._id);
  }

  test('terms are stemmed, weighted and sorted by score', async () => {
    // The shorter title scores higher for the same term (mongod's 0.5 × count / tokens + 0.5).
    expect(await search('cabbage')).toEqual([2, 1]);
    expect(await search('search')).toEqual([2]);
  });

  test('Chinese is matched by character bigrams', async () => {
    expect(await search('新鲜')).toEqual([1, 3]);
    expect(await search('蔬菜')).toEqual([1]);
    expect(await search('大葱')).toEqual([3]);
  });

  test('phrases and negation', async () => {
    expect(await search('"green onion"')).toEqual([3]);
    expect((await search('fresh -frozen')).sort()).toEqual([1, 3]);
  });

  test('the score is returned by {$meta: "textScore"} and usable in aggregate', async () => {
    const [top] = await t.db
      .collection('lots')
      .find({ $text: { $search: 'cabbage' } }, { projection: { _id: 1, score: { $meta: 'textScore' } } })
      .sort({ score: { $meta: 'textScore' } })
      .toArray();
    expect(top._id).toBe(2);
    expect(top.score).toBeGreaterThan(1);
    const rows = await t.db
      .collection('lots')
      .aggregate([
        { $match: { $text: { $search: 'fresh' } } },
        { $project: { score: { $meta: 'textScore' } } },
        { $sort: { score: -1 } },
      ])
      .toArray();
    expect(rows.length).toBe(3);
    expect(rows.every((r) => typeof r.score === 'number')).toBe(true);
  });

  test('without a text index $text fails as on mongod', async () => {
    expect((await rejection(t.db.collection('plane').findOne({ $text: { $search: 'x' } }))).code).toBe(27);
  });
});
