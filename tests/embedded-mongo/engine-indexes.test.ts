import { Decimal128, Double, Int32, Long } from 'bson';
import { Collection } from '../../server/embedded-mongo/engine/collection';
import type { Doc } from '../../server/embedded-mongo/engine/bson-values';
import { compileFilter } from '../../server/embedded-mongo/engine/query';
import { parseSort, sortDocs } from '../../server/embedded-mongo/engine/sort';
import { openEngineStore, type EngineStore } from '../fixtures/engine-store';

/**
 * Index-assisted queries must return exactly what a full scan returns. A seeded random mix
 * of values (numbers of every BSON width, strings, arrays, nulls, missing fields), inserts,
 * updates and deletes, then many filters compared against brute force.
 */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const random = rng(42);
const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
const int = (n: number): number => Math.floor(random() * n);

function randomValue(): unknown {
  switch (int(9)) {
    case 0:
      return new Int32(int(20));
    case 1:
      return new Double(int(20) + 0.5);
    case 2:
      return Long.fromNumber(int(20));
    case 3:
      return Decimal128.fromString(`${int(20)}.25`);
    case 4:
      return pick(['a', 'b', 'c', 'd']);
    case 5:
      return null;
    case 6:
      return [new Int32(int(20)), pick(['a', 'b'])];
    case 7:
      return new Date(int(5) * 1000);
    default:
      return undefined;
  }
}

function randomDoc(id: number): Doc {
  const doc: Doc = { _id: new Int32(id) };
  const v = randomValue();
  if (v !== undefined) doc.v = v;
  doc.w = new Int32(int(5));
  return doc;
}

/** Real LMDB storage; tests flush part of their writes so reads merge storage and the in-flight overlay. */
let h: EngineStore;
beforeAll(async () => {
  h = await openEngineStore();
});
afterAll(async () => {
  await h.close();
});

function randomFilter(): Doc {
  const x = pick([new Int32(int(20)), new Double(int(20) + 0.5), 'b', null, new Date(2000), Long.fromNumber(int(20))]);
  switch (int(7)) {
    case 0:
      return { v: x };
    case 1:
      return { v: { $in: [x, new Int32(int(20)), 'a'] } };
    case 2:
      return { v: { $gt: x } };
    case 3:
      return { v: { $gte: x, $lt: new Int32(int(20)) } };
    case 4:
      return { $and: [{ v: { $lte: x } }, { w: { $ne: new Int32(1) } }] };
    case 5:
      return { $or: [{ v: x }, { w: new Int32(int(5)), v: { $gte: new Int32(int(20)) } }] };
    default:
      return { v: x, w: new Int32(int(5)) };
  }
}

test('index candidates always agree with a full scan, through inserts, updates and deletes', async () => {
  const indexed = h.collection('indexed');
  indexed.addIndex({ v: 2, key: { v: 1 }, name: 'v_1' });
  indexed.addIndex({ v: 2, key: { w: 1, v: -1 }, name: 'w_1_v_-1' });
  const plain = h.collection('plain');
  const both = (fn: (c: Collection) => void) => {
    fn(indexed);
    fn(plain);
  };

  for (let i = 0; i < 400; i++) {
    const doc = randomDoc(i);
    both((c) => h.track(c.put(Collection.keyOf(doc), doc)));
    if (i === 200) await h.flush();
  }
  for (let round = 0; round < 300; round++) {
    const id = int(400);
    const key = Collection.keyOf({ _id: new Int32(id) });
    if (random() < 0.3) both((c) => h.track(c.remove(key)));
    else {
      const doc = randomDoc(id);
      both((c) => h.track(c.put(key, doc)));
    }
    if (round === 150) await h.flush();
  }

  let usedIndex = 0;
  for (let q = 0; q < 300; q++) {
    const filter = randomFilter();
    const match = compileFilter(filter);
    const viaIndex = indexed.scan(filter, match);
    const brute = plain.scan(filter, match);
    if (viaIndex.index) usedIndex++;
    const ids = (docs: Doc[]) => docs.map((d) => String(d._id)).sort();
    expect({ filter, ids: ids(viaIndex.docs) }).toEqual({ filter, ids: ids(brute.docs) });
    expect(viaIndex.examined).toBeLessThanOrEqual(brute.examined);
  }
  expect(usedIndex).toBeGreaterThan(220);
});

test('a sort read from the index equals an in-memory sort', async () => {
  const c = h.collection('sorted');
  c.addIndex({ v: 2, key: { v: 1 }, name: 'v_1' });
  for (let i = 0; i < 300; i++) {
    const doc = randomDoc(i);
    if (Array.isArray(doc.v)) delete doc.v; // arrays make the index multikey, which disables index sorts
    h.track(c.put(Collection.keyOf(doc), doc));
    if (i === 150) await h.flush();
  }
  for (const dir of [1, -1] as const) {
    const filter = { v: { $gte: new Int32(5) } };
    const scan = c.scan(filter, compileFilter(filter), { path: 'v', dir, needed: 40 });
    expect(scan.sorted).toBe(true);
    const expected = sortDocs(c.scan(filter).docs, parseSort({ v: dir })).slice(0, 40);
    expect(scan.docs.map((d) => String(d.v))).toEqual(expected.map((d) => String(d.v)));
  }
});

test('a sort on the field after an equality prefix of a compound index equals an in-memory sort, ties included', async () => {
  const c = h.collection('compound');
  c.addIndex({ v: 2, key: { s: 1, t: 1 }, name: 's_1_t_1' });
  const plain = h.collection('compound_plain');
  for (let i = 0; i < 400; i++) {
    // Few distinct t values, so the limit usually falls inside a run of ties; some t missing or of another type.
    const doc: Doc = { _id: new Int32(i), s: pick(['open', 'open', 'sold', new Int32(1)]), w: new Int32(int(50)) };
    const t = pick([new Date(int(6) * 1000), new Date(int(6) * 1000), new Int32(int(3)), null, undefined]);
    if (t !== undefined) doc.t = t;
    h.track(c.put(Collection.keyOf(doc), doc));
    h.track(plain.put(Collection.keyOf(doc), doc));
    if (i === 250) await h.flush();
  }
  let usedPrefixPlan = 0;
  for (let q = 0; q < 200; q++) {
    const s = pick<unknown>(['open', 'sold', new Double(1), { $eq: 'open' }]);
    const filter: Doc = pick([
      { s },
      { s, w: { $gte: new Int32(int(50)) } },
      { s, t: { $gt: new Date(int(6) * 1000) } },
    ]);
    const dir = pick([1, -1] as const);
    const spec = parseSort(
      pick([
        { t: dir, _id: 1 },
        { t: dir, w: -dir },
      ]),
    );
    const needed = 1 + int(120);
    const scan = c.scan(filter, compileFilter(filter), { ...spec[0], needed, more: true });
    if (scan.index === 's_1_t_1' && scan.examined < 400) usedPrefixPlan++;
    const got = sortDocs(scan.docs, spec).slice(0, needed);
    const expected = sortDocs(plain.scan(filter).docs, spec).slice(0, needed);
    // Equal sort keys may come in either order (mongod does not promise one): compare the keys and the set of ids per key.
    const keys = (docs: Doc[]) =>
      docs.map((d) => `${String(d.t ?? null)}|${spec[1].path === '_id' ? String(d._id) : String(d.w)}`);
    expect({ filter, spec, needed, keys: keys(got) }).toEqual({ filter, spec, needed, keys: keys(expected) });
  }
  expect(usedPrefixPlan).toBeGreaterThan(100);
});
