import type { Document } from 'mongodb';
import { startTestServer, type TestServer } from './harness';

/**
 * Geo indexes kept in LMDB give the same answers as a scan: a randomized differential test
 * (the same documents in a collection with a 2dsphere/2d index and in one without), then what
 * explain shows and how few documents a first page by distance reads.
 */
// Each differential test also runs every query as a scan: generous under a loaded shared machine.
jest.setTimeout(180_000);

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('geoindex');
});
afterAll(async () => {
  await t.close();
});

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = random(14);
const between = (lo: number, hi: number): number => lo + (hi - lo) * rnd();
const round = (v: number): number => Math.round(v * 1e4) / 1e4;

/** A point anywhere, or crowded at the antimeridian, a pole, or Shouguang. */
function aPoint(): [number, number] {
  const r = rnd();
  if (r < 0.25) return [round(between(-180, 180)), round(between(-90, 90))];
  if (r < 0.45) return [round(rnd() < 0.5 ? between(179, 180) : between(-180, -179)), round(between(-10, 10))];
  if (r < 0.6) return [round(between(-180, 180)), round(rnd() < 0.5 ? between(88, 90) : between(-90, -88))];
  return [round(between(118.5, 119)), round(between(36.6, 37))];
}

function aGeometry(i: number): Document | undefined {
  const r = rnd();
  if (r < 0.7) return { type: 'Point', coordinates: aPoint() };
  if (r < 0.78) {
    const [x, y] = aPoint();
    return {
      type: 'LineString',
      coordinates: [
        [x, y],
        [round(Math.min(180, x + between(0, 3))), round(Math.max(-90, y - between(0, 2)))],
      ],
    };
  }
  if (r < 0.84) {
    const [x, y] = aPoint();
    const x2 = Math.min(180, x + 1);
    const y2 = Math.min(90, y + 1);
    return {
      type: 'Polygon',
      coordinates: [
        [
          [x, y],
          [x2, y],
          [x2, y2],
          [x, y2],
          [x, y],
        ],
      ],
    };
  }
  if (r < 0.9) return { type: 'MultiPoint', coordinates: [aPoint(), aPoint()] };
  if (r < 0.95) return undefined;
  // The same point as another document: ties in distance must come in _id order.
  return { type: 'Point', coordinates: [118.7, 36.8 + (i % 3) * 0.01] };
}

const ids = (docs: Document[]): unknown[] => docs.map((d) => d._id);
const sorted = (docs: Document[]): unknown[] => ids(docs).sort((a, b) => Number(a) - Number(b));

describe('2dsphere index against a scan', () => {
  const docs: Document[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 1200; i++) {
      const loc = aGeometry(i);
      docs.push(loc ? { _id: i, loc, n: i % 7 } : { _id: i, n: i % 7 });
    }
    const indexed = t.db.collection('sphereIndexed');
    await indexed.createIndex({ loc: '2dsphere' });
    await indexed.insertMany(docs.slice(0, 800));
    await t.db.collection('sphereScan').insertMany(docs.slice(0, 800));
    // Later writes go through the maintained index: inserts, moves and deletes.
    await indexed.insertMany(docs.slice(800));
    await t.db.collection('sphereScan').insertMany(docs.slice(800));
    for (const c of [indexed, t.db.collection('sphereScan')]) {
      for (let i = 0; i < 1200; i += 37) {
        await c.updateOne({ _id: i } as Document, {
          $set: { loc: { type: 'Point', coordinates: [179.95, 0.01 * i] } },
        });
      }
      await c.deleteMany({ _id: { $mod: [50, 3] } } as Document);
    }
  });

  async function both(filter: Document, limit = 0): Promise<[Document[], Document[]]> {
    return Promise.all([
      t.db.collection('sphereIndexed').find(filter).limit(limit).toArray(),
      t.db.collection('sphereScan').find(filter).limit(limit).toArray(),
    ]);
  }

  test('$near/$nearSphere: same documents in the same order, with $minDistance/$maxDistance and limits', async () => {
    for (let q = 0; q < 40; q++) {
      const point = { type: 'Point', coordinates: aPoint() };
      const near: Document = { $geometry: point };
      if (rnd() < 0.5) near.$maxDistance = between(1_000, 3_000_000);
      if (rnd() < 0.3) near.$minDistance = between(0, 500_000);
      const limit = [0, 1, 5, 20][q % 4];
      const op = q % 2 === 0 ? '$near' : '$nearSphere';
      const [a, b] = await both({ loc: { [op]: near } }, limit);
      expect(ids(a)).toEqual(ids(b));
    }
  });

  test('legacy $nearSphere in radians and $near with another condition', async () => {
    for (let q = 0; q < 20; q++) {
      const filter = { loc: { $nearSphere: aPoint(), $maxDistance: between(0.001, 1) }, n: { $lt: 4 } };
      const [a, b] = await both(filter, q % 3 === 0 ? 0 : 10);
      expect(ids(a)).toEqual(ids(b));
    }
  });

  test('$geoWithin and $geoIntersects: same documents', async () => {
    for (let q = 0; q < 16; q++) {
      const [x, y] = aPoint();
      const w = between(0.01, 20);
      const box = [
        [x, y],
        [Math.min(180, x + w), y],
        [Math.min(180, x + w), Math.min(90, y + w)],
        [x, Math.min(90, y + w)],
        [x, y],
      ];
      const filters: Document[] = [
        { loc: { $geoWithin: { $centerSphere: [[x, y], between(0.0001, 0.5)] } } },
        { loc: { $geoWithin: { $geometry: { type: 'Polygon', coordinates: [box] } } } },
        { loc: { $geoIntersects: { $geometry: { type: 'Polygon', coordinates: [box] } } } },
        { loc: { $geoIntersects: { $geometry: { type: 'LineString', coordinates: [box[0], box[2]] } } } },
        { loc: { $geoIntersects: { $geometry: { type: 'Point', coordinates: [x, y] } } } },
      ];
      for (const filter of filters) {
        const [a, b] = await both(filter);
        expect(sorted(a)).toEqual(sorted(b));
      }
    }
  });

  test("$geoNear then $match/$sort by distance/$limit (the board's distance listing): same rows", async () => {
    for (let q = 0; q < 20; q++) {
      const geoNear: Document = {
        near: { type: 'Point', coordinates: aPoint() },
        key: 'loc',
        spherical: true,
        distanceField: 'dist',
        query: { n: { $ne: q % 7 } },
      };
      if (q % 3 === 0) geoNear.minDistance = between(0, 100_000);
      if (q % 4 === 0) geoNear.maxDistance = between(10_000, 5_000_000);
      const pipeline = [
        { $geoNear: geoNear },
        { $match: { dist: { $gte: 0 } } },
        { $sort: { dist: 1, _id: 1 } },
        { $limit: 15 },
      ];
      const [a, b] = await Promise.all([
        t.db.collection('sphereIndexed').aggregate(pipeline).toArray(),
        t.db.collection('sphereScan').aggregate(pipeline).toArray(),
      ]);
      expect(a).toEqual(b);
    }
  });

  test('a great-circle edge that rises toward the pole is found where it rises', async () => {
    // From 80°N 100°W to 80°N 100°E the short way crosses 180° at about 88.25°N.
    const arc = {
      _id: 'arc',
      loc: {
        type: 'LineString',
        coordinates: [
          [-100, 80],
          [100, 80],
        ],
      },
    };
    await t.db.collection('sphereIndexed').insertOne(arc as Document);
    await t.db.collection('sphereScan').insertOne(arc as Document);
    const meridian = {
      type: 'LineString',
      coordinates: [
        [180, 87],
        [180, 89.5],
      ],
    };
    const [a, b] = await both({ loc: { $geoIntersects: { $geometry: meridian } } });
    expect(ids(b)).toContain('arc');
    expect(ids(a)).toEqual(ids(b));
  });

  test('explain: GEO_NEAR_2DSPHERE reads a few documents for a first page of 20, a scan reads them all', async () => {
    const filter = { loc: { $near: { $geometry: { type: 'Point', coordinates: [118.75, 36.8] } } } };
    const indexed = await t.db.collection('sphereIndexed').find(filter).limit(20).explain('executionStats');
    expect(indexed.queryPlanner.winningPlan.stage).toBe('GEO_NEAR_2DSPHERE');
    expect(indexed.queryPlanner.winningPlan.indexName).toBe('loc_2dsphere');
    const scan = await t.db.collection('sphereScan').find(filter).limit(20).explain('executionStats');
    expect(scan.queryPlanner.winningPlan.stage).toBe('COLLSCAN');
    expect(scan.executionStats.totalDocsExamined).toBeGreaterThan(800);
    expect(indexed.executionStats.totalDocsExamined).toBeLessThan(200);
    const within = await t.db
      .collection('sphereIndexed')
      .find({ loc: { $geoWithin: { $centerSphere: [[118.75, 36.8], 0.001] } } })
      .explain('executionStats');
    expect(within.queryPlanner.winningPlan.inputStage).toEqual({ stage: 'IXSCAN', indexName: 'loc_2dsphere' });
    expect(within.executionStats.totalDocsExamined).toBeLessThan(400);
  });
});

describe('2d index against a scan', () => {
  beforeAll(async () => {
    const docs: Document[] = [];
    for (let i = 0; i < 800; i++) {
      const p = rnd() < 0.1 ? [5, 5] : [round(between(-180, 180)), round(between(-180, 180))];
      docs.push({ _id: i, pos: rnd() < 0.1 ? [p, [0, 0]] : p });
    }
    await t.db.collection('flatIndexed').createIndex({ pos: '2d' });
    await t.db.collection('flatIndexed').insertMany(docs);
    await t.db.collection('flatScan').insertMany(docs);
  });

  test('$near (flat), $nearSphere, $geoWithin $box/$center/$polygon: same answers', async () => {
    for (let q = 0; q < 24; q++) {
      const p = [round(between(-180, 180)), round(between(-180, 180))];
      const cases: Array<[Document, number, boolean]> = [
        [{ pos: { $near: p, $maxDistance: between(1, 100) } }, 0, true],
        [{ pos: { $near: p } }, 10, true],
        [{ pos: { $nearSphere: [p[0], Math.max(-89, Math.min(89, p[1]))], $maxDistance: between(0.01, 2) } }, 5, true],
        [{ pos: { $geoWithin: { $box: [p, [p[0] + 30, p[1] + 20]] } } }, 0, false],
        [{ pos: { $geoWithin: { $center: [p, between(1, 50)] } } }, 0, false],
        [{ pos: { $geoWithin: { $polygon: [p, [p[0] + 40, p[1]], [p[0], p[1] + 40]] } } }, 0, false],
      ];
      for (const [filter, limit, ordered] of cases) {
        const [a, b] = await Promise.all([
          t.db.collection('flatIndexed').find(filter).limit(limit).toArray(),
          t.db.collection('flatScan').find(filter).limit(limit).toArray(),
        ]);
        if (ordered) expect(ids(a)).toEqual(ids(b));
        else expect(sorted(a)).toEqual(sorted(b));
      }
    }
    const plan = await t.db
      .collection('flatIndexed')
      .find({ pos: { $near: [0, 0] } })
      .limit(3)
      .explain();
    expect(plan.queryPlanner.winningPlan.stage).toBe('GEO_NEAR_2D');
  });
});
